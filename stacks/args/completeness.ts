/**
 * Config `logArchive.completeness*` -> the completeness reports' Args, field by field: the replica's
 * (ArchiveCompleteness, backup stack) and the audit-log pipeline's (AuditLogCompleteness, primary
 * stack). What is not config comes in `from`: the buckets, keys and table the reports read, the
 * notification topic, and the functions' log key and network.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ArchiveCompletenessArgs } from "../../infra/archive-completeness";
import type { AuditLogCompletenessArgs } from "../../infra/audit-log-completeness";
import type { LambdaVpcConfig } from "../../infra/lambda";
import { s3Arn } from "../../infra/partition";
import type { ResolvedConfig } from "../config";
import type { AuditArchive } from "./audit-log-pipeline";

/** What both reports take from config. */
function reportArgs(cfg: ResolvedConfig, region: string, notificationTopicArn: pulumi.Input<string> | undefined, tags: Record<string, string>) {
  const la = cfg.logArchive;
  return {
    stack: cfg.stack,
    region,
    graceHours: la.completenessGraceHours,
    schedule: la.completenessSchedule,
    alarmActions: notificationTopicArn ? [notificationTopicArn] : [],
    logRetentionDays: cfg.lambdaLogRetentionDays,
    tags,
  };
}

export function archiveCompletenessArgs(
  cfg: ResolvedConfig,
  tags: Record<string, string>,
  from: {
    replica: { bucketName: pulumi.Input<string>; bucketArn: pulumi.Input<string>; keyArn: pulumi.Input<string> };
    notificationTopicArn?: pulumi.Input<string>;
  },
): ArchiveCompletenessArgs {
  return {
    ...reportArgs(cfg, cfg.backupRegion, from.notificationTopicArn, tags),
    bucketName: from.replica.bucketName,
    bucketArn: from.replica.bucketArn,
    keyArn: from.replica.keyArn,
    bytesScannedCutoffMb: cfg.logArchive.athenaBytesScannedCutoffMb,
    kmsKeyDeletionWindowDays: cfg.kmsKeyDeletionWindowDays,
  };
}

export function auditLogCompletenessArgs(
  cfg: ResolvedConfig,
  tags: Record<string, string>,
  from: {
    table: { name: pulumi.Input<string>; arn: pulumi.Input<string>; keyArn: pulumi.Input<string> };
    auditArchive: AuditArchive;
    notificationTopicArn?: pulumi.Input<string>;
    lambdaLogKeyArn: pulumi.Input<string>;
    lambdaVpc?: LambdaVpcConfig;
  },
): AuditLogCompletenessArgs {
  return {
    ...reportArgs(cfg, cfg.primaryRegion, from.notificationTopicArn, tags),
    tableName: from.table.name,
    tableArn: from.table.arn,
    tableKeyArn: from.table.keyArn,
    pipelineName: `${cfg.stack}-audit-log`,
    archiveBucketName: from.auditArchive.bucket,
    archiveBucketArn: s3Arn(from.auditArchive.bucket),
    archiveKeyArn: from.auditArchive.keyArn,
    logKeyArn: from.lambdaLogKeyArn,
    vpc: from.lambdaVpc,
  };
}
