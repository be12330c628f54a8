import type * as pulumi from "@pulumi/pulumi";
import type { LambdaVpcConfig } from "../lambda";

export const METRIC_NAMESPACE = "CnLogBackup/AuditLog";
export const KEY_PREFIX = "audit-logs/";

/**
 * What stacks/primary.ts passes; fields named as their config keys (`auditLogPipeline.<field>`)
 * where they come from one.
 */
export interface AuditLogPipelineArgs {
  /** The stack's name (in the key alias, the schedule's and the log groups' names, the metrics' `Pipeline`). */
  readonly stack: string;
  /** The archive bucket (LogArchive's) and its ARN; objects go under `audit-logs/`. */
  readonly archiveBucketName: pulumi.Input<string>;
  readonly archiveBucketArn: pulumi.Input<string>;
  /** The archive bucket's KMS key: the downloader may use this key and no other. */
  readonly archiveKmsKeyArn: pulumi.Input<string>;
  /** KMS key of the Lambda log groups. */
  readonly logKeyArn: pulumi.Input<string>;
  readonly logRetentionDays: number;
  /** Minutes between scans (EventBridge Scheduler rate). */
  readonly scheduleMinutes: number;
  /** Deletion window of the pipeline's own key (table, queues). */
  readonly keyDeletionWindowDays: number;
  readonly downloaderTimeoutSeconds?: number;
  readonly downloaderMemoryMb?: number;
  /** Multipart part size in MiB (memory per download is about this x 3). */
  readonly partSizeMb?: number;
  /** Retries of a failed stream batch before it goes to the on-failure destination. */
  readonly streamMaxRetries?: number;
  /** Path version of the RDS REST download endpoint (`v13`, documented; `v19` see functions/audit-log/rds-source.ts). */
  readonly restPathVersion?: "v13" | "v19";
  /** Records older than this go to the on-failure destination (Aurora keeps files 24 h). */
  readonly streamMaxRecordAgeSeconds?: number;
  /** Alarm when a detected file has waited this long for its backup. */
  readonly oldestPendingAlarmMinutes?: number;
  /** Run the three functions in this VPC (it needs endpoints for RDS, SQS, KMS, logs, S3, DynamoDB). */
  readonly vpc?: LambdaVpcConfig;
  /** Where alarms notify (SNS topic ARNs). */
  readonly alarmActions?: pulumi.Input<string>[];
  readonly tags?: Record<string, string>;
}
