/**
 * The backup (destination) stack in Ningxia. Deployed first; exports what the primary needs.
 * Nothing here reads the primary's outputs, so the two stacks have no cycle.
 */
import * as aws from "@pulumi/aws";
import { ResolvedConfig } from "./config";
import { BACKUP_OUTPUT_KEYS, stackTags } from "./common";
import { BackupEvents } from "../infra/backup-events";
import { RdsBackupReplication } from "../infra/rds-backup-replication";

export function buildBackupStack(cfg: ResolvedConfig): Record<string, unknown> {
  const tags = stackTags(cfg);
  const identity = aws.getCallerIdentityOutput({});
  const outputs: Record<string, unknown> = { accountId: identity.accountId };

  if (cfg.rdsAutomatedBackups.instances.length > 0) {
    const rds = new RdsBackupReplication("rds-automated-backups", {
      instances: cfg.rdsAutomatedBackups.instances,
      retentionPeriodDays: cfg.rdsAutomatedBackups.retentionPeriodDays,
      kmsKeyArn: cfg.rdsAutomatedBackups.kmsKeyArn,
      kmsKeyDeletionWindowDays: cfg.kmsKeyDeletionWindowDays,
      tags,
    });
    outputs.rdsAutomatedBackupsKeyArn = rds.kmsKeyArn;
  }

  if (cfg.backupEvents.enabled) {
    const b = cfg.backupEvents;
    const backupEvents = new BackupEvents("backup-events", {
      role: "backup",
      destinationVaultName: b.destinationVaultName,
      // This stack's own account is always admitted; these are the others.
      sourceAccountIds: [b.primaryAccountId, cfg.backupAccountId].filter((id): id is string => id !== undefined),
      adminRoleArns: b.adminRoleArns,
      vaultLock: {
        mode: b.vaultLockMode,
        minRetentionDays: b.vaultLockMinRetentionDays,
        maxRetentionDays: b.vaultLockMaxRetentionDays,
        changeableForDays: b.vaultLockChangeableForDays,
      },
      notificationEmails: b.notificationEmails,
      kmsKeyDeletionWindowDays: cfg.kmsKeyDeletionWindowDays,
      tags,
    });
    outputs[BACKUP_OUTPUT_KEYS.destinationVaultArn] = backupEvents.vault.arn;
    outputs[BACKUP_OUTPUT_KEYS.destinationVaultKeyArn] = backupEvents.vaultKey.arn;
  }
  return outputs;
}
