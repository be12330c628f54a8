/**
 * The primary (source) stack in Beijing. Reads the backup stack's outputs through a
 * StackReference (its name is config) and builds everything that ships data to Ningxia.
 */
import * as pulumi from "@pulumi/pulumi";
import { ResolvedConfig } from "./config";
import { BACKUP_OUTPUT_KEYS, logArchiveLifecycle, stackTags } from "./common";
import { LogArchive } from "../infra/log-archive";
import { cloudWatchLogsKeyStatement, customerManagedKey } from "../infra/kms";
import { lambdaNetwork } from "./lambda-network";

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

  // Every Lambda of this stack runs here (undefined: outside any VPC).
  const lambdaVpc = lambdaNetwork(cfg, tags);
  void lambdaVpc;

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
    lambdaVpc,
    kmsKeyDeletionWindowDays: cfg.kmsKeyDeletionWindowDays,
    tags,
  });

  return {
    backupAccountId,
    lambdaLogsKeyArn: lambdaLogsKey.arn,
    logArchiveBucketName: logArchive.bucketName,
    logArchiveBucketArn: logArchive.bucketArn,
    logArchiveKeyArn: logArchive.keyArn,
    logArchiveAgentInstanceProfileName: logArchive.agentInstanceProfileName,
  };
}
