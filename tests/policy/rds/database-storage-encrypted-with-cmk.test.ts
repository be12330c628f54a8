import { rdsStorageEncryptedWithCmk } from "../../../policy-pack/rds/database-storage-encrypted-with-cmk";
import { res, runOne, UNKNOWN } from "../helpers";

describe("rds-database-storage-encrypted-with-cmk", () => {
  const CLUSTER = "aws:rds/cluster:Cluster";
  const INSTANCE = "aws:rds/instance:Instance";
  it("passes an encrypted cluster with a CMK (unknown in preview)", async () => {
    expect((await runOne(rdsStorageEncryptedWithCmk, [res(CLUSTER, "c", { storageEncrypted: true, kmsKeyId: UNKNOWN })], { preview: true })).messages).toEqual(
      [],
    );
  });
  it("reports unencrypted storage and the AWS managed key", async () => {
    expect((await runOne(rdsStorageEncryptedWithCmk, [res(INSTANCE, "db", { storageEncrypted: false })])).messages).toEqual([
      'Instance "db" does not encrypt its storage: set storageEncrypted: true with a customer-managed kmsKeyId.',
    ]);
    expect((await runOne(rdsStorageEncryptedWithCmk, [res(CLUSTER, "c", { storageEncrypted: true, kmsKeyId: "alias/aws/rds" })])).messages).toEqual([
      'Cluster "c": kmsKeyId names the AWS managed key alias/aws/rds; use a customer-managed key.',
    ]);
  });
});
