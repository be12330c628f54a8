import { backupVaultEncryptedWithCmk } from "../../../policy-pack/backup/vault-encrypted-with-cmk";
import { keyArn, res, runOne, UNKNOWN } from "../helpers";

describe("backup-vault-encrypted-with-cmk", () => {
  const T = "aws:backup/vault:Vault";
  it("passes a CMK and reports none or the AWS managed key", async () => {
    expect((await runOne(backupVaultEncryptedWithCmk, [res(T, "v", { kmsKeyArn: keyArn() })])).messages).toEqual([]);
    const preview = await runOne(backupVaultEncryptedWithCmk, [res(T, "v", { kmsKeyArn: UNKNOWN })], { preview: true });
    expect(preview.messages).toEqual([]);
    expect(preview.result.examined).toBe(1);
    expect((await runOne(backupVaultEncryptedWithCmk, [res(T, "v", {})])).messages).toEqual([
      'Vault "v": kmsKeyArn is not set (the AWS managed key would be used); use a customer-managed key.',
    ]);
    expect(
      (await runOne(backupVaultEncryptedWithCmk, [res(T, "v", { kmsKeyArn: "arn:aws-cn:kms:cn-north-1:111122223333:alias/aws/backup" })])).messages,
    ).toEqual(['Vault "v": kmsKeyArn names the AWS managed key arn:aws-cn:kms:cn-north-1:111122223333:alias/aws/backup; use a customer-managed key.']);
  });
});
