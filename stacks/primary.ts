/**
 * The primary (source) stack in Beijing. Reads the backup stack's outputs (./backup-stack-outputs.ts)
 * and builds, top-down: the log archive, its agent kit, the AuroraLab, the functions' network, the
 * log shipping into the archive, BackupEvents and the audit-log pipeline.
 */
import * as pulumi from "@pulumi/pulumi";
import { ResolvedConfig } from "./config";
import { stackTags } from "./common";
import { backupStackOutputs } from "./backup-stack-outputs";
import { agentKitArgs, cloudTrailArgs, cloudWatchLogsArgs, flowLogsArgs, logArchiveArgs } from "./args/log-archive";
import { AgentKit, LogArchive, agentKit, archiveTrail, cloudWatchLogsToArchive, vpcFlowLogs } from "../infra/log-archive";
import { cloudWatchLogsKeyStatement, customerManagedKey } from "../infra/kms";
import { AuroraLab, LOG_EXPORTS } from "../infra/aurora-lab";
import { lambdaNetwork } from "./lambda-network";
import { AuditLogPipeline } from "../infra/audit-log-pipeline";
import { BackupEventsPrimaryRegion } from "../infra/backup-events";
import { primaryRegionArgs } from "./args/backup-events";
import { AuditLogCompleteness } from "../infra/audit-log-completeness";
import { s3Arn } from "../infra/partition";
import { buildArchiveSearch } from "./archive-search";

export function buildPrimaryStack(cfg: ResolvedConfig): Record<string, unknown> {
  const tags = stackTags(cfg);
  const backupStack = backupStackOutputs(cfg);
  const backupAccountId = backupStack.accountId;

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

  // The archive bucket, its grants to every log source, and its replication to Ningxia.
  const la = cfg.logArchive;
  const logArchive = new LogArchive("log-archive", logArchiveArgs(cfg, backupStack.logArchiveReplica, tags));
  // The archive AuditLogPipeline writes to: auditLogPipeline.archiveBucketName/archiveKmsKeyArn
  // when set, otherwise LogArchive's bucket and key.
  const audit = cfg.auditLogPipeline;
  const auditArchive: { bucket: pulumi.Input<string>; keyArn: pulumi.Input<string> } =
    audit.archiveBucketName && audit.archiveKmsKeyArn
      ? { bucket: audit.archiveBucketName, keyArn: audit.archiveKmsKeyArn }
      : { bucket: logArchive.bucketName, keyArn: logArchive.keyArn };

  // The CloudWatch-agent kit and the log groups the archive owns (the lab cluster's among them).
  const c = cfg.auroraLab;
  const kit = agentKit(
    logArchive,
    agentKitArgs(cfg, tags, c.enabled ? { clusterName: c.clusterIdentifier, logTypes: LOG_EXPORTS, retentionInDays: c.logRetentionDays } : undefined),
  );

  const lab = c.enabled ? auroraLab(cfg, tags, kit, audit.enabled ? auditArchive : undefined) : undefined;

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

  // Log shipping into the archive: CloudWatch Logs, VPC Flow Logs (the lab VPC's too), CloudTrail.
  cloudWatchLogsToArchive(logArchive, cloudWatchLogsArgs(cfg, tags, kit.logGroups, { lambdaLogKeyArn: lambdaLogsKey.arn, lambdaVpc }));
  vpcFlowLogs(logArchive, flowLogsArgs(cfg, logArchive, tags, lab?.vpcId));
  if (la.cloudTrail) archiveTrail(logArchive, cloudTrailArgs(cfg, tags));

  // BackupEvents first: its topic is the stack's notification topic, which the other components'
  // alarms notify.
  let backupEvents: BackupEventsPrimaryRegion | undefined;
  if (cfg.backupEvents.enabled) {
    const destinationVault = backupStack.destinationVault();
    backupEvents = new BackupEventsPrimaryRegion(
      "backup-events",
      primaryRegionArgs(cfg, tags, {
        destinationVaultArn: destinationVault.arn,
        destinationVaultKeyArn: destinationVault.keyArn,
        lambdaLogKeyArn: lambdaLogsKey.arn,
        lambdaVpc,
        // Audit Manager reports and snapshot exports (both off by default) land in the archive.
        archive: { bucketName: logArchive.bucketName, keyArn: logArchive.keyArn },
      }),
    );
  }

  if (audit.enabled && !backupEvents) {
    pulumi.log.warn("auditLogPipeline: its alarms notify nobody: the stack's notification topic is BackupEvents' topic and backupEvents.enabled is false");
  }
  // AuditLogPipeline: Aurora MySQL audit logs into the archive's `audit-logs/` prefix.
  let auditLogPipeline: AuditLogPipeline | undefined;
  if (audit.enabled) {
    auditLogPipeline = new AuditLogPipeline("audit-log", {
      stack: cfg.stack,
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

  if (la.completeness && auditLogPipeline) {
    // The audit-log sibling of the replica's completeness report (infra/audit-log-completeness.ts).
    new AuditLogCompleteness("audit-log-completeness", {
      tableName: auditLogPipeline.table.name,
      tableArn: auditLogPipeline.table.arn,
      tableKeyArn: auditLogPipeline.key.arn,
      pipelineName: `${cfg.stack}-audit-log`,
      archiveBucketName: auditArchive.bucket,
      archiveBucketArn: s3Arn(auditArchive.bucket),
      archiveKeyArn: auditArchive.keyArn,
      region: cfg.primaryRegion,
      graceHours: la.completenessGraceHours,
      schedule: la.completenessSchedule,
      alarmActions: backupEvents ? [backupEvents.topic.arn] : [],
      logKeyArn: lambdaLogsKey.arn,
      logRetentionDays: cfg.lambdaLogRetentionDays,
      vpc: lambdaVpc,
      stack: cfg.stack,
      tags,
    });
  }

  const outputs: Record<string, unknown> = {
    backupAccountId,
    lambdaLogsKeyArn: lambdaLogsKey.arn,
    logArchiveBucketName: logArchive.bucketName,
    logArchiveBucketArn: logArchive.bucketArn,
    logArchiveKeyArn: logArchive.keyArn,
    logArchiveAgentInstanceProfileName: kit.instanceProfileName,
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
 * CloudWatch-agent configuration, the cluster exports into log groups LogArchive's agent kit made
 * (archive key, archived like every other matching group), and the lab script looks for the audit
 * logs where AuditLogPipeline writes them (`auditArchive`, when the pipeline is on). The lab VPC's
 * flow logs go to the archive too (buildPrimaryStack).
 */
function auroraLab(
  cfg: ResolvedConfig,
  tags: Record<string, string>,
  kit: AgentKit,
  auditArchive: { bucket: pulumi.Input<string>; keyArn: pulumi.Input<string> } | undefined,
): AuroraLab {
  const c = cfg.auroraLab;
  return new AuroraLab("aurora-lab", {
    stack: cfg.stack,
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
    clientKit: kit.clientKit,
    logs: { retentionInDays: c.logRetentionDays, createLogGroups: kit.rdsLogGroups(c.clusterIdentifier) },
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
