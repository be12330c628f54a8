import { dynamodbDeletionProtection } from "../../../policy-pack/dynamodb/table-deletion-protection";
import { res, runOne } from "../helpers";

const TBL = "aws:dynamodb/table:Table";

describe("dynamodb-table-deletion-protection", () => {
  it("passes a protected table and reports an unprotected one, in both modes", async () => {
    for (const preview of [false, true]) {
      expect((await runOne(dynamodbDeletionProtection, [res(TBL, "files", { deletionProtectionEnabled: true })], { preview })).messages).toEqual([]);
      expect((await runOne(dynamodbDeletionProtection, [res(TBL, "files", { deletionProtectionEnabled: false })], { preview })).messages).toEqual([
        'Table "files" has no deletion protection: set deletionProtectionEnabled: true.',
      ]);
      expect((await runOne(dynamodbDeletionProtection, [res(TBL, "files", {})], { preview })).messages).toHaveLength(1);
    }
  });
});
