/**
 * The primary (source) stack in Beijing. Reads the backup stack's outputs through a
 * StackReference (its name is config) and builds everything that ships data to Ningxia.
 */
import * as pulumi from "@pulumi/pulumi";
import { ResolvedConfig } from "./config";
import { BACKUP_OUTPUT_KEYS, stackTags } from "./common";
import { cloudWatchLogsKeyStatement, customerManagedKey } from "../infra/kms";
import { lambdaNetwork } from "./lambda-network";
import { AuditLogPipeline } from "../infra/audit-log-pipeline";
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

  // Every Lambda of this stack runs here (undefined: outside any VPC).
  const lambdaVpc = lambdaNetwork(cfg, tags);

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

  return {
    backupAccountId,
    lambdaLogsKeyArn: lambdaLogsKey.arn,
    ...(auditLogPipeline ? { auditLogTableName: auditLogPipeline.table.name, auditLogDeadLetterQueueUrl: auditLogPipeline.deadLetterQueue.url } : {}),
  };
}
