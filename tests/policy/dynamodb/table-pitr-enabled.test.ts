import { dynamodbTablePitrEnabled } from "../../../policy-pack/dynamodb/table-pitr-enabled";
import { res, runOne } from "../helpers";

describe("dynamodb-table-pitr-enabled", () => {
  const T = "aws:dynamodb/table:Table";
  it("passes PITR on and reports it off", async () => {
    expect((await runOne(dynamodbTablePitrEnabled, [res(T, "t", { pointInTimeRecovery: { enabled: true } })])).messages).toEqual([]);
    expect((await runOne(dynamodbTablePitrEnabled, [res(T, "t", { pointInTimeRecovery: { enabled: false } })])).messages).toEqual([
      'Table "t" has point-in-time recovery off: set pointInTimeRecovery: { enabled: true }.',
    ]);
  });
});
