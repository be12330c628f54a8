/**
 * The primary (source) stack in Beijing. Reads the backup stack's outputs through a
 * StackReference (its name is config) and builds everything that ships data to Ningxia.
 */
import * as pulumi from "@pulumi/pulumi";
import { ResolvedConfig } from "./config";
import { BACKUP_OUTPUT_KEYS, broughtVault, logArchiveLifecycle, stackTags } from "./common";
import { LogArchive } from "../infra/log-archive";
import { cloudWatchLogsKeyStatement, customerManagedKey } from "../infra/kms";
import { AuroraLab } from "../infra/aurora-lab";
import { lambdaNetwork } from "./lambda-network";
import { AuditLogPipeline } from "../infra/audit-log-pipeline";
import { BackupEvents } from "../infra/backup-events";
import { s3Arn } from "../infra/partition";
import { buildArchiveSearch } from "./archive-search";

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

  // LogArchive: the archive bucket, its replication to Ningxia and every log source feeding it.
  // The replica comes from the backup stack; a missing output fails `pulumi up` with this message
  // (in preview the backup stack may not be deployed yet, and the value is simply unknown).
  const replicaOutput = (key: string) =>
    backupStack.getOutput(key).apply((v) => {
      if (v === undefined && !pulumi.runtime.isDryRun()) {
        pulumi.log.error(`backup stack ${cfg.backupStackName} has no output ${key}: deploy the backup stack (LogArchive, backup role) first`);
      }
      return v as string;
    });
  const la = cfg.logArchive;
  const logArchive = new LogArchive("log-archive", {
    role: "primary",
    stack: cfg.stack,
    primaryRegion: cfg.primaryRegion,
    backupRegion: cfg.backupRegion,
    replica: {
      bucketArn: replicaOutput(BACKUP_OUTPUT_KEYS.logArchiveReplicaBucketArn),
      keyArn: replicaOutput(BACKUP_OUTPUT_KEYS.logArchiveReplicaKeyArn),
      accountId: cfg.backupAccountId,
    },
    replication: { replicationTimeControl: la.replicationTimeControl, storageClass: la.replicaStorageClass },
    lifecycle: logArchiveLifecycle(cfg),
    cloudWatchLogs: {
      mode: la.cloudWatchLogsMode,
      logGroupPatterns: la.logGroupPatterns,
      subscriptionSchedule: la.subscriptionSchedule,
      firehose: { bufferSizeMb: la.firehoseBufferSizeMb, bufferIntervalSeconds: la.firehoseBufferIntervalSeconds, decompress: la.firehoseDecompression },
      exportTask: { period: la.exportPeriod, schedule: la.exportSchedule },
    },
    flowLogs: { vpcIds: la.flowLogVpcIds, trafficType: la.flowLogTrafficType },
    cloudTrail: { enabled: la.cloudTrail, multiRegion: la.cloudTrailMultiRegion },
    ec2Agent: { logFiles: la.ec2LogFiles },
    rdsLogGroups: la.rdsLogGroups,
    logGroupRetentionDays: la.logGroupRetentionDays,
    lambdaLogKeyArn: lambdaLogsKey.arn,
    lambdaLogRetentionDays: cfg.lambdaLogRetentionDays,
    // Its functions are built below, once their network (possibly the lab's VPC) is known.
    deferFunctions: true,
    kmsKeyDeletionWindowDays: cfg.kmsKeyDeletionWindowDays,
    // Backup Audit Manager's report plan (backupEvents.auditFramework) delivers into the archive.
    backupReports: cfg.backupEvents.enabled && cfg.backupEvents.auditFramework,
    inventory: la.inventory,
    tags,
  });
  // The archive AuditLogPipeline writes to: auditLogPipeline.archiveBucketName/archiveKmsKeyArn
  // when set, otherwise LogArchive's bucket and key.
  const audit = cfg.auditLogPipeline;
  const auditArchive: { bucket: pulumi.Input<string>; keyArn: pulumi.Input<string> } =
    audit.archiveBucketName && audit.archiveKmsKeyArn
      ? { bucket: audit.archiveBucketName, keyArn: audit.archiveKmsKeyArn }
      : { bucket: logArchive.bucketName, keyArn: logArchive.keyArn };

  const lab = cfg.auroraLab.enabled ? auroraLab(cfg, tags, logArchive, audit.enabled ? auditArchive : undefined) : undefined;

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
  logArchive.createFunctions(lambdaVpc);

  // The lab VPC's flow logs go to the archive too.
  if (lab) logArchive.addFlowLogs("log-archive-lab-flow-logs", lab.vpcId);

  // BackupEvents first: its topic is the stack's notification topic, which the other components'
  // alarms notify.
  let backupEvents: BackupEvents | undefined;
  if (cfg.backupEvents.enabled) {
    const b = cfg.backupEvents;
    backupEvents = new BackupEvents("backup-events", {
      role: "primary",
      sourceVaultName: b.sourceVaultName,
      ...broughtVault(b.sourceVaultArn, b.sourceVaultKmsKeyArn),
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
      // Audit Manager reports and snapshot exports (both off by default) land in the archive.
      archive: { bucketName: logArchive.bucketName, keyArn: logArchive.keyArn },
      auditFramework: b.auditFramework,
      snapshotExport: b.snapshotExport,
      kmsKeyDeletionWindowDays: cfg.kmsKeyDeletionWindowDays,
      tags,
    });
  }

  if (audit.enabled && !backupEvents) {
    pulumi.log.warn("auditLogPipeline: its alarms notify nobody: the stack's notification topic is BackupEvents' topic and backupEvents.enabled is false");
  }
  // AuditLogPipeline: Aurora MySQL audit logs into the archive's `audit-logs/` prefix.
  let auditLogPipeline: AuditLogPipeline | undefined;
  if (audit.enabled) {
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
      restPathVersion: audit.restPathVersion,
      oldestPendingAlarmMinutes: audit.oldestPendingAlarmMinutes,
      // Alarm and OK notifications go to the stack's notification topic (BackupEvents' topic).
      alarmActions: backupEvents ? [backupEvents.topic.arn] : [],
      vpc: lambdaVpc,
      tags,
    });
  }

  const outputs: Record<string, unknown> = {
    backupAccountId,
    lambdaLogsKeyArn: lambdaLogsKey.arn,
    logArchiveBucketName: logArchive.bucketName,
    logArchiveBucketArn: logArchive.bucketArn,
    logArchiveKeyArn: logArchive.keyArn,
    logArchiveAgentInstanceProfileName: logArchive.agentInstanceProfileName,
    ...(auditLogPipeline ? { auditLogTableName: auditLogPipeline.table.name, auditLogDeadLetterQueueUrl: auditLogPipeline.deadLetterQueue.url } : {}),
    ...(lab ? { auroraLab: auroraLabOutputs(lab) } : {}),
  };

  // Archive search (logArchive.archiveSearch, off by default): stacks/archive-search.ts.
  if (la.archiveSearch) Object.assign(outputs, buildArchiveSearch(cfg, logArchive, audit.enabled ? auditArchive : undefined, tags));

  if (backupEvents) {
    outputs.sourceVaultArn = backupEvents.vaultArn;
    outputs.backupAlertsTopicArn = backupEvents.topic.arn;
    outputs.backupErrorQueueUrl = backupEvents.errorQueue.url;
  }
  return outputs;
}

/**
 * AuroraLab, the pipeline's test subject, built on LogArchive: the client runs with LogArchive's
 * CloudWatch-agent kit (instance profile, agent configuration), the cluster exports into log
 * groups LogArchive makes (archive key, archived like every other matching group), and the lab
 * script looks for the audit logs where AuditLogPipeline writes them (`auditArchive`, when the
 * pipeline is on). The lab VPC's flow logs go to the archive too (buildPrimaryStack).
 */
function auroraLab(
  cfg: ResolvedConfig,
  tags: Record<string, string>,
  logArchive: LogArchive,
  auditArchive: { bucket: pulumi.Input<string>; keyArn: pulumi.Input<string> } | undefined,
): AuroraLab {
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
    clientKit: logArchive.agentKit(),
    logs: { retentionInDays: c.logRetentionDays, createLogGroups: logArchive.rdsLogGroupFactory({ retentionInDays: c.logRetentionDays }) },
    auditLogs: auditArchive && { bucketName: auditArchive.bucket, bucketKeyArn: auditArchive.keyArn },
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
