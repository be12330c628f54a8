/**
 * The destination vault keeps its AWS Backup Vault Lock, so no one (governance: without permission;
 * compliance: no one) can delete recovery points early or shorten their retention.
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html
 */
import { attachedBy } from "../lib/attach";
import { design } from "../lib/controls";
import { destinationTagsSchema, destinationVaults } from "../lib/destination-vaults";
import { describe, MANDATORY, read, T, validateStackOf } from "../lib/kit";
import { PackStackPolicy } from "../lib/meta";

export const backupVaultLocked: PackStackPolicy = {
  name: "backup-vault-locked",
  description: "Every destination backup vault (the Ningxia copy) has a Vault Lock configuration with a minimum retention.",
  remediationSteps:
    "Keep the aws.backup.VaultLockConfiguration on the destination vault (backupEvents.vaultLockMode governance or compliance, vaultLockMinRetentionDays).",
  enforcementLevel: MANDATORY,
  severity: "high",
  topics: ["retention", "replication"],
  framework: design("BackupEvents", "Backup role: the destination vault keeps its vault lock (no FSBP control for Vault Lock)."),
  configSchema: { properties: { destinationTags: destinationTagsSchema } },
  validateStack: validateStackOf([T.backupVault, T.backupVaultLock], (args, report) => {
    for (const vault of destinationVaults(args.resources, args.getConfig<{ destinationTags?: Record<string, string> }>().destinationTags)) {
      const locks = attachedBy(vault, args.resources, [T.backupVaultLock], "backupVaultName", ["name"]);
      if (locks.length === 0) {
        report(`${describe(vault)} is a destination vault without a Vault Lock: add an aws.backup.VaultLockConfiguration for it.`, vault.urn);
        continue;
      }
      for (const l of locks) {
        const min = read(() => l.props.minRetentionDays);
        if (min.known && (min.value === undefined || min.value === null || Number(min.value) < 1)) {
          report(`${describe(vault)}: its Vault Lock ${describe(l)} sets no minRetentionDays, so recovery points can still be deleted at once.`, l.urn);
        }
      }
    }
  }),
};
