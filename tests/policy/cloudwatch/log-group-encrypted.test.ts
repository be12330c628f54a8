import { logGroupEncrypted } from "../../../policy-pack/cloudwatch/log-group-encrypted";
import { res, runOne, UNKNOWN } from "../helpers";

const T = "aws:cloudwatch/logGroup:LogGroup";

describe("cloudwatch-log-group-encrypted", () => {
  it("passes a KMS key (unknown in preview)", async () => {
    const preview = await runOne(logGroupEncrypted, [res(T, "g", { kmsKeyId: UNKNOWN, retentionInDays: 30 })], { preview: true });
    expect(preview.messages).toEqual([]);
    expect(preview.result.examined).toBe(1);
  });
  it("reports a missing key (mandatory)", async () => {
    const enc = await runOne(logGroupEncrypted, [res(T, "g", {})]);
    expect(enc.messages).toEqual(['LogGroup "g" has no kmsKeyId: set it to a customer-managed KMS key ARN.']);
    expect(enc.result.violations[0].enforcementLevel).toBe("mandatory");
  });
});
