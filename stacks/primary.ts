/**
 * The primary (source) stack in Beijing. Reads the backup stack's outputs (./backup-stack-outputs.ts)
 * and builds, top-down: the log archive, its agent kit, the AuroraLab, the functions' network, the
 * log shipping into the archive, BackupEvents, the audit-log pipeline, its completeness report and
 * the archive search. Config becomes each component's Args in stacks/args/<component>.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import { ResolvedConfig } from "./config";
import { stackTags } from "./common";
import { backupStackOutputs } from "./backup-stack-outputs";
import { agentKitArgs, cloudTrailArgs, cloudWatchLogsArgs, flowLogsArgs, logArchiveArgs } from "./args/log-archive";
import { LogArchive, agentKit, archiveTrail, cloudWatchLogsToArchive, vpcFlowLogs } from "../infra/log-archive";
import { cloudWatchLogsKeyStatement, customerManagedKey } from "../infra/kms";
import { AuroraLab } from "../infra/aurora-lab";
import { auroraLabArgs, labRdsLogGroups } from "./args/aurora-lab";
import { lambdaNetwork } from "./lambda-network";
import { labPrivateNetwork, lambdaNetworkArgs } from "./args/lambda-network";
import { AuditLogPipeline } from "../infra/audit-log-pipeline";
import { auditLogArchive, auditLogPipelineArgs } from "./args/audit-log-pipeline";
import { BackupEventsPrimaryRegion } from "../infra/backup-events";
import { primaryRegionArgs } from "./args/backup-events";
import { AuditLogCompleteness } from "../infra/audit-log-completeness";
import { auditLogCompletenessArgs } from "./args/completeness";
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
  // The archive AuditLogPipeline writes to (its own when configured, otherwise LogArchive's).
  const audit = cfg.auditLogPipeline;
  const auditArchive = auditLogArchive(cfg, logArchive);

  // The CloudWatch-agent kit and the log groups the archive owns (the lab cluster's among them).
  const kit = agentKit(logArchive, agentKitArgs(cfg, tags, labRdsLogGroups(cfg)));

  // AuroraLab, the pipeline's test subject: LogArchive's agent configuration and log groups, and
  // the audit logs where AuditLogPipeline writes them. Its VPC's flow logs go to the archive too.
  const lab = cfg.auroraLab.enabled
    ? new AuroraLab("aurora-lab", auroraLabArgs(cfg, tags, { kit, auditArchive: audit.enabled ? auditArchive : undefined }))
    : undefined;

  // Every Lambda of this stack runs here (undefined: outside any VPC).
  const lambdaVpc = lambdaNetwork(lambdaNetworkArgs(cfg, tags, lab && labPrivateNetwork(lab)));

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
  const auditLogPipeline = audit.enabled
    ? new AuditLogPipeline(
        "audit-log",
        auditLogPipelineArgs(cfg, tags, {
          archive: auditArchive,
          lambdaLogKeyArn: lambdaLogsKey.arn,
          lambdaVpc,
          notificationTopicArn: backupEvents?.topic.arn,
        }),
      )
    : undefined;

  if (la.completeness && auditLogPipeline) {
    // The audit-log sibling of the replica's completeness report (infra/audit-log-completeness.ts).
    new AuditLogCompleteness(
      "audit-log-completeness",
      auditLogCompletenessArgs(cfg, tags, {
        table: { name: auditLogPipeline.table.name, arn: auditLogPipeline.table.arn, keyArn: auditLogPipeline.key.arn },
        auditArchive,
        notificationTopicArn: backupEvents?.topic.arn,
        lambdaLogKeyArn: lambdaLogsKey.arn,
        lambdaVpc,
      }),
    );
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
