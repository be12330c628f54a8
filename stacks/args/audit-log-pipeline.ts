/**
 * Config `auditLogPipeline.*` -> AuditLogPipeline's Args, field by field (Args fields carry their
 * config keys' names where they come from one); what is not config (the archive, the stack's log
 * key, network and notification topic) comes in `from`.
 */
import * as pulumi from "@pulumi/pulumi";
import type { AuditLogPipelineArgs } from "../../infra/audit-log-pipeline";
import type { LambdaVpcConfig } from "../../infra/lambda";
import { s3Arn } from "../../infra/partition";
import type { ResolvedConfig } from "../config";

/** The bucket AuditLogPipeline writes to (`audit-logs/`) and its key. */
export interface AuditArchive {
  bucket: pulumi.Input<string>;
  keyArn: pulumi.Input<string>;
}

/** `auditLogPipeline.archiveBucketName`/`archiveKmsKeyArn` when both are set, otherwise LogArchive's bucket and key. */
export function auditLogArchive(cfg: ResolvedConfig, logArchive: { bucketName: pulumi.Input<string>; keyArn: pulumi.Input<string> }): AuditArchive {
  const audit = cfg.auditLogPipeline;
  return audit.archiveBucketName && audit.archiveKmsKeyArn
    ? { bucket: audit.archiveBucketName, keyArn: audit.archiveKmsKeyArn }
    : { bucket: logArchive.bucketName, keyArn: logArchive.keyArn };
}

export function auditLogPipelineArgs(
  cfg: ResolvedConfig,
  tags: Record<string, string>,
  from: {
    archive: AuditArchive;
    lambdaLogKeyArn: pulumi.Input<string>;
    lambdaVpc: LambdaVpcConfig | undefined;
    /** The stack's notification topic (BackupEvents' topic), when BackupEvents is on. */
    notificationTopicArn: pulumi.Input<string> | undefined;
  },
): AuditLogPipelineArgs {
  const audit = cfg.auditLogPipeline;
  return {
    stack: cfg.stack,
    archiveBucketName: from.archive.bucket,
    archiveBucketArn: s3Arn(from.archive.bucket),
    archiveKmsKeyArn: from.archive.keyArn,
    logKeyArn: from.lambdaLogKeyArn,
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
    alarmActions: from.notificationTopicArn ? [from.notificationTopicArn] : [],
    vpc: from.lambdaVpc,
    tags,
  };
}
