/**
 * Config `logArchive.*` -> the Args of LogArchive's parts (infra/log-archive/), field by field;
 * Args fields carry their config keys' names.
 */
import type { HardenedArgs } from "../../infra/hardened-profile";
import * as pulumi from "@pulumi/pulumi";
import { ResolvedConfig } from "../config";
import type { LambdaVpcConfig } from "../../infra/lambda";
import { configuredFlowLogVpcs } from "../../infra/log-archive";
import type {
  AgentKitArgs,
  ArchiveLogGroup,
  CloudTrailArgs,
  CloudWatchLogsArgs,
  FlowLogsArgs,
  LogArchive,
  LifecycleArgs,
  LogArchiveArgs,
  RdsLogGroupArgs,
  ReplicaLogArchiveArgs,
  ReplicaRef,
} from "../../infra/log-archive";

type Tags = Record<string, string>;

/** LogArchive's lifecycle settings for either role (`expirationDays` differs: archive vs replica). */
export function logArchiveLifecycle(cfg: ResolvedConfig): LifecycleArgs {
  const la = cfg.logArchive;
  const prefixExpirationDays: LifecycleArgs["prefixExpirationDays"] = {};
  for (const [k, v] of Object.entries(la.prefixRetentionDays)) prefixExpirationDays[`${k}/` as keyof typeof prefixExpirationDays] = v;
  return {
    expirationDays: cfg.role === "backup" ? la.replicaRetentionDays : la.archiveRetentionDays,
    prefixExpirationDays: cfg.role === "backup" ? undefined : prefixExpirationDays,
    infrequentAccessDays: la.infrequentAccessAfterDays,
    glacierDays: la.glacierAfterDays,
    noncurrentVersionExpirationDays: la.noncurrentVersionExpirationDays,
    abortIncompleteMultipartUploadDays: la.abortIncompleteMultipartUploadDays,
  };
}

/** The backup stack's ReplicaLogArchive. */
export function replicaLogArchiveArgs(cfg: ResolvedConfig, tags: Tags, hardened?: HardenedArgs): ReplicaLogArchiveArgs {
  const la = cfg.logArchive;
  return {
    primaryRegion: cfg.primaryRegion,
    backupRegion: cfg.backupRegion,
    primaryAccountId: la.primaryAccountId,
    lifecycle: logArchiveLifecycle(cfg),
    objectLock: la.objectLockMode === "off" ? undefined : { mode: la.objectLockMode, days: la.objectLockDays },
    kmsKeyDeletionWindowDays: cfg.kmsKeyDeletionWindowDays,
    inventory: la.inventory,
    hardened,
    tags,
  };
}

/** The primary stack's LogArchive (the archive and its replication to `replica`). */
export function logArchiveArgs(cfg: ResolvedConfig, replica: { bucketArn: pulumi.Input<string>; keyArn: pulumi.Input<string> }, tags: Tags): LogArchiveArgs {
  const la = cfg.logArchive;
  const replicaRef: ReplicaRef = { ...replica, accountId: cfg.backupAccountId };
  return {
    stack: cfg.stack,
    primaryRegion: cfg.primaryRegion,
    backupRegion: cfg.backupRegion,
    replica: replicaRef,
    replicationTimeControl: la.replicationTimeControl,
    replicaStorageClass: la.replicaStorageClass,
    lifecycle: logArchiveLifecycle(cfg),
    cloudWatchLogsMode: la.cloudWatchLogsMode,
    cloudTrail: la.cloudTrail,
    // Backup Audit Manager's report plan (backupEvents.auditFramework) delivers into the archive.
    backupReports: cfg.backupEvents.enabled && cfg.backupEvents.auditFramework,
    inventory: la.inventory,
    kmsKeyDeletionWindowDays: cfg.kmsKeyDeletionWindowDays,
    tags,
  };
}

/** The agent kit; `lab`: the AuroraLab's cluster, whose export log groups LogArchive makes too. */
export function agentKitArgs(cfg: ResolvedConfig, tags: Tags, lab?: RdsLogGroupArgs): AgentKitArgs {
  const la = cfg.logArchive;
  return {
    stack: cfg.stack,
    ec2LogFiles: la.ec2LogFiles,
    rdsLogGroups: [...la.rdsLogGroups, ...(lab ? [lab] : [])],
    logGroupRetentionDays: la.logGroupRetentionDays,
    tags,
  };
}

/** CloudWatch Logs shipping: `logGroups` are the agent kit's, `lambdaVpc` the functions' network. */
export function cloudWatchLogsArgs(
  cfg: ResolvedConfig,
  tags: Tags,
  logGroups: ArchiveLogGroup[],
  lambda: { lambdaLogKeyArn: pulumi.Input<string>; lambdaVpc?: LambdaVpcConfig },
): CloudWatchLogsArgs {
  const la = cfg.logArchive;
  return {
    stack: cfg.stack,
    cloudWatchLogsMode: la.cloudWatchLogsMode,
    logGroupPatterns: la.logGroupPatterns,
    subscriptionSchedule: la.subscriptionSchedule,
    firehoseBufferSizeMb: la.firehoseBufferSizeMb,
    firehoseBufferIntervalSeconds: la.firehoseBufferIntervalSeconds,
    firehoseDecompression: la.firehoseDecompression,
    exportPeriod: la.exportPeriod,
    exportSchedule: la.exportSchedule,
    logGroupRetentionDays: la.logGroupRetentionDays,
    logGroups,
    lambdaLogKeyArn: lambda.lambdaLogKeyArn,
    lambdaLogRetentionDays: cfg.lambdaLogRetentionDays,
    lambdaVpc: lambda.lambdaVpc,
    tags,
  };
}

export function cloudTrailArgs(cfg: ResolvedConfig, tags: Tags): CloudTrailArgs {
  return { stack: cfg.stack, cloudTrailMultiRegion: cfg.logArchive.cloudTrailMultiRegion, tags };
}

/** Flow logs of the configured VPCs (`logArchive.flowLogVpcIds`) and of the AuroraLab's VPC. */
export function flowLogsArgs(cfg: ResolvedConfig, archive: LogArchive, tags: Tags, labVpcId?: pulumi.Input<string>): FlowLogsArgs {
  const la = cfg.logArchive;
  return {
    vpcs: [...configuredFlowLogVpcs(archive, la.flowLogVpcIds), ...(labVpcId ? [{ name: `${archive.name}-lab-flow-logs`, vpcId: labVpcId }] : [])],
    flowLogTrafficType: la.flowLogTrafficType,
    tags,
  };
}
