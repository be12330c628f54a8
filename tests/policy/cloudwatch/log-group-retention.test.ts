import { logGroupRetention } from "../../../policy-pack/cloudwatch/log-group-retention";
import { keyArn, res, runOne } from "../helpers";

const T = "aws:cloudwatch/logGroup:LogGroup";

describe("cloudwatch-log-group-retention", () => {
  it("passes a retention", async () => {
    expect((await runOne(logGroupRetention, [res(T, "g", { kmsKeyId: keyArn(), retentionInDays: 30 })])).messages).toEqual([]);
  });
  it("reports a missing retention (mandatory)", async () => {
    const ret = await runOne(logGroupRetention, [res(T, "g", { retentionInDays: 0 })]);
    expect(ret.messages).toEqual(['LogGroup "g" keeps its logs forever: set retentionInDays.']);
    expect(ret.result.violations[0].enforcementLevel).toBe("mandatory");
  });
});
