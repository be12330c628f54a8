/**
 * The primary (source) stack in Beijing. Reads the backup stack's outputs through a
 * StackReference (its name is config) and builds everything that ships data to Ningxia.
 */
import * as pulumi from "@pulumi/pulumi";
import { ResolvedConfig } from "./config";
import { BACKUP_OUTPUT_KEYS, stackTags } from "./common";
import { cloudWatchLogsKeyStatement, customerManagedKey } from "../infra/kms";
import { AuroraLab } from "../infra/aurora-lab";
import { lambdaNetwork } from "./lambda-network";
import { AuditLogPipeline } from "../infra/audit-log-pipeline";
import { BackupEvents } from "../infra/backup-events";
import { s3Arn } from "../infra/partition";

export function buildPrimaryStack(cfg: ResolvedConfig): Record<string, unknown> {
  const tags = stackTags(cfg);
  const backupStack = new pulumi.StackReference("backup-stack", { name: cfg.backupStackName });
  const backupAccountId = backupStack.requireOutput(BACKUP_OUTPUT_KEYS.accountId) as pulumi.Output<string>;

  // One key for the log groups of every Lambda function in this stack.
  const lambdaLogsKey = customerManagedKey(
    "lambda-logs-key",
    {
      description: "cn-log-backup: encrypts the log groups of this stack's Lambda functions",
      deletionWindowInDays: cfg.kmsKeyDeletionWindowDays,
      alias: `cn-log-backup/${cfg.stack}/lambda-logs`,
      statements: [cloudWatchLogsKeyStatement(cfg.region)],
      tags,
    },
    {},
  );

  const lab = cfg.auroraLab.enabled ? auroraLab(cfg, tags) : undefined;

  // Every Lambda of this stack runs here (undefined: outside any VPC).
  const lambdaVpc = lambdaNetwork(
    cfg,
    tags,
    lab && {
      vpcId: lab.vpcId,
      privateSubnetIds: lab.privateSubnetIds,
      privateRouteTableIds: lab.privateRouteTableIds,
      lambdaSecurityGroupId: lab.lambdaSecurityGroupId,
      endpointServices: lab.endpointServices,
    },
  );

  // AuditLogPipeline: Aurora MySQL audit logs into the archive's `audit-logs/` prefix. It takes the
  // archive bucket and key as inputs: auditLogPipeline.archiveBucketName/archiveKmsKeyArn when set,
  // otherwise LogArchive's bucket and key once LogArchive is wired into this stack.
  const audit = cfg.auditLogPipeline;
  const auditArchive = audit.archiveBucketName && audit.archiveKmsKeyArn ? { bucket: audit.archiveBucketName, keyArn: audit.archiveKmsKeyArn } : undefined;
  let auditLogPipeline: AuditLogPipeline | undefined;
  if (audit.enabled && auditArchive) {
    auditLogPipeline = new AuditLogPipeline("audit-log", {
      archiveBucketName: auditArchive.bucket,
      archiveBucketArn: s3Arn(auditArchive.bucket),
      archiveKmsKeyArn: auditArchive.keyArn,
      logKeyArn: lambdaLogsKey.arn,
      logRetentionDays: cfg.lambdaLogRetentionDays,
      scheduleMinutes: audit.scheduleMinutes,
      keyDeletionWindowDays: cfg.kmsKeyDeletionWindowDays,
      downloaderTimeoutSeconds: audit.downloaderTimeoutSeconds,
      downloaderMemoryMb: audit.downloaderMemoryMb,
      partSizeMb: audit.partSizeMb,
      streamMaxRetries: audit.streamMaxRetries,
      oldestPendingAlarmMinutes: audit.oldestPendingAlarmMinutes,
      vpc: lambdaVpc,
      tags,
    });
  } else if (audit.enabled) {
    pulumi.log.warn("auditLogPipeline is enabled but has no archive yet: set auditLogPipeline.archiveBucketName and archiveKmsKeyArn (or wire LogArchive)");
  }

  const outputs: Record<string, unknown> = {
    backupAccountId,
    lambdaLogsKeyArn: lambdaLogsKey.arn,
    ...(auditLogPipeline ? { auditLogTableName: auditLogPipeline.table.name, auditLogDeadLetterQueueUrl: auditLogPipeline.deadLetterQueue.url } : {}),
    ...(lab ? { auroraLab: auroraLabOutputs(lab) } : {}),
  };

  if (cfg.backupEvents.enabled) {
    const b = cfg.backupEvents;
    const backupEvents = new BackupEvents("backup-events", {
      role: "primary",
      sourceVaultName: b.sourceVaultName,
      destinationVaultArn: backupStack.requireOutput(BACKUP_OUTPUT_KEYS.destinationVaultArn) as pulumi.Output<string>,
      destinationVaultKeyArn: backupStack.requireOutput(BACKUP_OUTPUT_KEYS.destinationVaultKeyArn) as pulumi.Output<string>,
      backupRegion: cfg.backupRegion,
      plan: {
        schedule: b.schedule,
        startWindowMinutes: b.startWindowMinutes,
        completionWindowMinutes: b.completionWindowMinutes,
        deleteAfterDays: b.deleteAfterDays,
        coldStorageAfterDays: b.coldStorageAfterDays,
        selectionTag: { key: b.selectionTagKey, value: b.selectionTagValue },
      },
      copy: { deleteAfterDays: b.copyDeleteAfterDays, coldStorageAfterDays: b.copyColdStorageAfterDays, copyOnDemandBackups: b.copyOnDemandBackups },
      retainAfterCopyDays: b.retainAfterCopyDays,
      restoreStatuses: b.restoreStatuses,
      noBackupAlarmHours: b.noBackupAlarmHours,
      notificationEmails: b.notificationEmails,
      lambdaLogKeyArn: lambdaLogsKey.arn,
      lambdaLogRetentionDays: cfg.lambdaLogRetentionDays,
      lambdaVpc,
      // The archive bucket and key come from LogArchive once it is wired here; until then the
      // two flags that need them (auditFramework, snapshotExport) fail with a clear message.
      archive: undefined,
      auditFramework: b.auditFramework,
      snapshotExport: b.snapshotExport,
      kmsKeyDeletionWindowDays: cfg.kmsKeyDeletionWindowDays,
      tags,
    });
    outputs.sourceVaultArn = backupEvents.vault.arn;
    outputs.backupAlertsTopicArn = backupEvents.topic.arn;
    outputs.backupErrorQueueUrl = backupEvents.errorQueue.url;
  }
  return outputs;
}

/**
 * AuroraLab, the pipeline's test subject. When LogArchive lands, pass its CloudWatch-agent kit
 * (`clientKit`), its RDS log-group factory (`logs.createLogGroups`), the archive bucket and key
 * (`auditLogs`), and add the lab VPC to its flow logs (`lab.vpcId`).
 */
function auroraLab(cfg: ResolvedConfig, tags: Record<string, string>): AuroraLab {
  const c = cfg.auroraLab;
  return new AuroraLab("aurora-lab", {
    region: cfg.region,
    vpcCidr: c.vpcCidr,
    natGateway: c.natGateway,
    client: { instanceType: c.clientInstanceType, rootVolumeGiB: c.clientRootVolumeGiB },
    database: {
      clusterIdentifier: c.clusterIdentifier,
      engineVersion: c.engineVersion,
      instanceClass: c.dbInstanceClass,
      masterUsername: c.masterUsername,
      backupRetentionDays: c.backupRetentionDays,
      deletionProtection: c.deletionProtection,
      finalSnapshot: c.finalSnapshot,
      auditExcludedUsers: c.auditExcludedUsers,
      slowQuerySeconds: c.slowQuerySeconds,
    },
    backupSelectionTag: { key: c.backupTagKey, value: c.backupTagValue },
    logs: { retentionInDays: c.logRetentionDays },
    sysbench: c.sysbenchSource ? { source: c.sysbenchSource, sha256: c.sysbenchSha256 } : undefined,
    kmsKeyDeletionWindowDays: cfg.kmsKeyDeletionWindowDays,
    tags,
  });
}

function auroraLabOutputs(lab: AuroraLab) {
  return {
    vpcId: lab.vpcId,
    clientInstanceId: lab.clientInstanceId,
    ssmStartSessionCommand: lab.ssmStartSessionCommand,
    clusterIdentifier: lab.clusterIdentifier,
    clusterEndpoint: lab.clusterEndpoint,
    readerEndpoint: lab.readerEndpoint,
    masterUserSecretArn: lab.masterUserSecretArn,
    clusterParameterGroupName: lab.clusterParameterGroupName,
    dbInstanceIdentifiers: lab.dbInstanceIdentifiers,
  };
}
