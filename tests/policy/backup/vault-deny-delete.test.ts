import { backupVaultDenyDelete } from "../../../policy-pack/backup/vault-deny-delete";
import { res, runOne } from "../helpers";

const V = "aws:backup/vault:Vault";
const VP = "aws:backup/vaultPolicy:VaultPolicy";
const dest = () => res(V, "dr", { name: "cn-log-backup-dr", tags: { "cn-log-backup:role": "backup" } });
const policy = (action: string | string[], extra: Record<string, any> = {}) =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "Deny", Effect: "Deny", Principal: "*", Action: action, Resource: "*", ...extra }] });

describe("backup-vault-deny-delete", () => {
  it("passes a deny of both actions (also through a wildcard, with an admin exception)", async () => {
    for (const preview of [false, true]) {
      for (const p of [
        policy(["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"]),
        policy(["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPoint*"], {
          Condition: { ArnNotLike: { "aws:PrincipalArn": ["arn:aws-cn:iam::111122223333:role/admin"] } },
        }),
      ]) {
        const v = dest();
        expect((await runOne(backupVaultDenyDelete, [v, res(VP, "vp", { backupVaultName: "cn-log-backup-dr", policy: p })], { preview })).messages).toEqual([]);
      }
    }
  });

  it("reports a deny that misses UpdateRecoveryPointLifecycle, an Allow-only policy, and no policy", async () => {
    for (const preview of [false, true]) {
      const v = dest();
      expect(
        (
          await runOne(backupVaultDenyDelete, [v, res(VP, "vp", { backupVaultName: "cn-log-backup-dr", policy: policy("backup:DeleteRecoveryPoint") })], {
            preview,
          })
        ).messages,
      ).toEqual(['Vault "dr": its access policy VaultPolicy "vp" does not deny backup:UpdateRecoveryPointLifecycle to Principal "*" on every recovery point.']);
      expect((await runOne(backupVaultDenyDelete, [dest()], { preview })).messages[0]).toMatch(/without an access policy denying/);
    }
    const conditional = policy(["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"], {
      Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } },
    });
    expect((await runOne(backupVaultDenyDelete, [dest(), res(VP, "vp", { backupVaultName: "cn-log-backup-dr", policy: conditional })])).messages).toHaveLength(
      1,
    );
    const allow = JSON.stringify({
      Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws-cn:iam::111122223333:root" }, Action: "backup:CopyIntoBackupVault", Resource: "*" }],
    });
    expect((await runOne(backupVaultDenyDelete, [dest(), res(VP, "vp", { backupVaultName: "cn-log-backup-dr", policy: allow })])).messages[0]).toMatch(
      /does not deny backup:DeleteRecoveryPoint and backup:UpdateRecoveryPointLifecycle/,
    );
  });
});
