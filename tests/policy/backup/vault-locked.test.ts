import { backupVaultLocked } from "../../../policy-pack/backup/vault-locked";
import { res, runOne, UNKNOWN } from "../helpers";

const V = "aws:backup/vault:Vault";
const L = "aws:backup/vaultLockConfiguration:VaultLockConfiguration";
const dest = () => res(V, "dr", { name: "cn-log-backup-dr", tags: { "cn-log-backup:role": "backup" } });

describe("backup-vault-locked", () => {
  it("passes a destination vault with a lock (by dependency in preview), and ignores source vaults", async () => {
    for (const preview of [false, true]) {
      const v = dest();
      const src = res(V, "src", { name: "src", tags: { "cn-log-backup:role": "primary" } });
      const { messages } = await runOne(
        backupVaultLocked,
        [v, src, res(L, "lock", { backupVaultName: UNKNOWN, minRetentionDays: 7 }, { deps: { backupVaultName: [v] } })],
        { preview },
      );
      expect(messages).toEqual([]);
    }
  });

  it("reports a destination vault without a lock, or a lock without a minimum retention, in both modes", async () => {
    for (const preview of [false, true]) {
      expect((await runOne(backupVaultLocked, [dest()], { preview })).messages).toEqual([
        'Vault "dr" is a destination vault without a Vault Lock: add an aws.backup.VaultLockConfiguration for it.',
      ]);
      const v = dest();
      const weak = await runOne(backupVaultLocked, [v, res(L, "lock", { backupVaultName: "cn-log-backup-dr" })], { preview });
      expect(weak.messages[0]).toMatch(/sets no minRetentionDays/);
    }
  });
});
