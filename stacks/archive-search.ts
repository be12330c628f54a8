/**
 * The primary stack's archive search (logArchive.archiveSearch, off by default): the Glue tables,
 * named queries and auditor policy of infra/archive-search.ts over LogArchive's bucket, in the
 * Glue database and Athena workgroup of infra/archive-athena.ts (results under the archive's
 * athena-results/, SSE_KMS with the archive key, the bytes-scanned cutoff from config).
 */
import * as pulumi from "@pulumi/pulumi";
import { ResolvedConfig } from "./config";
import { FLOW_LOG_FIELDS, LogArchive } from "../infra/log-archive";
import { archiveSearch } from "../infra/archive-search";
import { partitionFacts } from "../infra/partition";
import { ATHENA_RESULTS_PREFIX, archiveAthena } from "../infra/archive-athena";

/** The Glue database and Athena workgroup of the search (one of each per primary stack and account). */
export const SEARCH_DATABASE = "cn_log_backup_archive_search";
export const SEARCH_WORKGROUP = "cn-log-backup-archive-search";

export function buildArchiveSearch(
  cfg: ResolvedConfig,
  logArchive: LogArchive,
  /** AuditLogPipeline's archive when the pipeline is on (LogArchive's bucket or its own). */
  auditArchive: { bucket: pulumi.Input<string>; keyArn: pulumi.Input<string> } | undefined,
  tags: Record<string, string>,
): Record<string, unknown> {
  const la = cfg.logArchive;
  const parent = { parent: logArchive };
  const catalog = archiveAthena(
    "archive-search",
    {
      bucketName: logArchive.bucketName,
      keyArn: logArchive.keyArn,
      bytesScannedCutoffMb: la.athenaBytesScannedCutoffMb,
      databaseName: SEARCH_DATABASE,
      workgroupName: SEARCH_WORKGROUP,
      tags,
    },
    parent,
  );
  const search = archiveSearch(
    "archive-search",
    {
      databaseName: catalog.databaseName,
      workgroupName: catalog.workgroupName,
      bucketName: logArchive.bucketName,
      keyArn: logArchive.keyArn,
      resultsPrefix: ATHENA_RESULTS_PREFIX,
      region: cfg.primaryRegion,
      accountId: partitionFacts(parent).accountId,
      layout: {
        flowLogFields: FLOW_LOG_FIELDS,
        // A multi-region trail in China records both of its regions.
        trailRegions: la.cloudTrail ? (la.cloudTrailMultiRegion ? [cfg.primaryRegion, cfg.backupRegion] : [cfg.primaryRegion]) : undefined,
        cloudWatchLogs: la.cloudWatchLogsMode === "exportTask" ? "exportTask" : la.firehoseDecompression ? "firehoseDecompressed" : "firehose",
        auditLogs: auditArchive && { bucketName: auditArchive.bucket, keyArn: auditArchive.keyArn, otherBucket: auditArchive.bucket !== logArchive.bucketName },
      },
      stack: cfg.stack,
      tags,
    },
    parent,
  );
  return { archiveSearch: { databaseName: catalog.databaseName, workgroupName: catalog.workgroupName, auditorPolicyArn: search.auditorPolicy.arn } };
}
