/**
 * The backup (destination) stack in Ningxia. Deployed first; exports what the primary needs.
 * Nothing here reads the primary's outputs, so the two stacks have no cycle.
 */
import { RestoreTesting } from "../infra/restore-testing";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ResolvedConfig } from "./config";
import { BACKUP_OUTPUT_KEYS, stackTags } from "./common";
import { BackupEventsBackupRegion } from "../infra/backup-events";
import { backupRegionArgs } from "./args/backup-events";
import { ReplicaLogArchive } from "../infra/log-archive";
import { replicaLogArchiveArgs } from "./args/log-archive";
import { RdsBackupReplication } from "../infra/rds-backup-replication";
import { ArchiveCompleteness } from "../infra/archive-completeness";
import { archiveCompletenessArgs } from "./args/completeness";
import { breakGlassGuardScpStatements, breakGlassRoleArn } from "../infra/hardened-profile";
import { policyDocumentJson } from "../infra/iam";

export function buildBackupStack(cfg: ResolvedConfig): Record<string, unknown> {
  const tags = stackTags(cfg);
  const identity = aws.getCallerIdentityOutput({});
  // README "Hardened profile": config validation guarantees breakGlassRoleName when it is on.
  const hardened = cfg.hardenedProfile ? { breakGlassRoleArn: breakGlassRoleArn(cfg.breakGlassRoleName!) } : undefined;

  // LogArchive: the replica bucket and its key; the primary's replication role writes here.
  const la = cfg.logArchive;
  if (cfg.backupAccountId !== undefined && la.primaryAccountId === undefined) {
    // Not an error: other components' cross-account settings must not depend on LogArchive's key.
    pulumi.log.warn(
      "cn-log-backup:logArchive.primaryAccountId is unset while backupAccountId is set: the replica admits the replication role of this account only; set it to the primary stack's account id",
    );
  }
  const logArchive = new ReplicaLogArchive("log-archive", replicaLogArchiveArgs(cfg, tags, hardened));

  const outputs: Record<string, unknown> = {
    accountId: identity.accountId,
    [BACKUP_OUTPUT_KEYS.logArchiveReplicaBucketName]: logArchive.bucketName,
    [BACKUP_OUTPUT_KEYS.logArchiveReplicaBucketArn]: logArchive.bucketArn,
    [BACKUP_OUTPUT_KEYS.logArchiveReplicaKeyArn]: logArchive.keyArn,
  };
  // README "Hardened profile": the SCP an Organizations administrator attaches to this account.
  if (hardened) outputs.hardenedProfileScp = policyDocumentJson(breakGlassGuardScpStatements(logArchive.bucketArn, hardened));

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

  let backupTopicArn: pulumi.Output<string> | undefined;
  if (cfg.backupEvents.enabled) {
    const b = cfg.backupEvents;
    const sourceAccountIds = [b.primaryAccountId, cfg.backupAccountId].filter((id): id is string => id !== undefined);
    if (b.destinationVaultArn !== undefined && sourceAccountIds.length > 0) {
      pulumi.log.warn(
        `cn-log-backup:backupEvents.destinationVaultArn: ${b.destinationVaultArn} is not managed here; its access policy must allow backup:CopyIntoBackupVault to account ${sourceAccountIds.join(", ")}, and its key policy must let that account use the key through AWS Backup`,
      );
    }
    const backupEvents = new BackupEventsBackupRegion("backup-events", backupRegionArgs(cfg, tags, hardened));
    if (b.restoreTesting) {
      // China availability unconfirmed (README, Restore testing): only when asked for.
      const overrides: Record<string, string> = {};
      if (b.restoreTestingDbSubnetGroupName !== undefined) overrides.dbSubnetGroupName = b.restoreTestingDbSubnetGroupName;
      if (b.restoreTestingSecurityGroupIds.length > 0) overrides.vpcSecurityGroupIds = JSON.stringify(b.restoreTestingSecurityGroupIds);
      new RestoreTesting("restore-testing", {
        vaultArn: backupEvents.vaultArn,
        tagKey: b.selectionTagKey,
        tagValue: b.selectionTagValue,
        scheduleExpression: b.restoreTestingSchedule,
        startWindowHours: b.restoreTestingStartWindowHours,
        selectionWindowDays: b.restoreTestingSelectionWindowDays,
        validationWindowHours: b.restoreTestingValidationWindowHours,
        resourceType: b.restoreTestingResourceType,
        restoreMetadataOverrides: overrides,
        tags,
      });
    }
    backupTopicArn = backupEvents.topic.arn;
    outputs[BACKUP_OUTPUT_KEYS.destinationVaultArn] = backupEvents.vaultArn;
    outputs[BACKUP_OUTPUT_KEYS.destinationVaultKeyArn] = backupEvents.vaultKeyArn;
  }
  if (la.completeness) {
    // Runs here, next to both inventories (infra/archive-completeness.ts says why); alarms to BackupEvents' topic.
    if (!cfg.backupEvents.enabled)
      pulumi.log.warn(
        "logArchive.completeness: its alarms notify nobody: the stack's notification topic is BackupEvents' topic and backupEvents.enabled is false",
      );
    const c = new ArchiveCompleteness(
      "archive-completeness",
      archiveCompletenessArgs(cfg, tags, { replica: logArchive, notificationTopicArn: backupTopicArn }),
    );
    outputs.completenessWorkgroupName = c.athena.workgroupName;
  }
  return outputs;
}
