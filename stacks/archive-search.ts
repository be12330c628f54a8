/**
 * The primary stack's archive search (logArchive.archiveSearch, off by default): the Glue tables,
 * named queries and auditor policy of infra/archive-search.ts over LogArchive's bucket, in the
 * database and workgroup the stand-in block makes (replaced by infra/archive-athena.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { ResolvedConfig } from "./config";
import { FLOW_LOG_FIELDS, LogArchive } from "../infra/log-archive";
import { archiveSearch } from "../infra/archive-search";
import { partitionFacts } from "../infra/partition";
import { STAND_IN_RESULTS_PREFIX, standInCatalog } from "../infra/archive-search/stand-in";

export function buildArchiveSearch(
  cfg: ResolvedConfig,
  logArchive: LogArchive,
  /** AuditLogPipeline's archive when the pipeline is on (LogArchive's bucket or its own). */
  auditArchive: { bucket: pulumi.Input<string>; keyArn: pulumi.Input<string> } | undefined,
  tags: Record<string, string>,
): Record<string, unknown> {
  const la = cfg.logArchive;
  const parent = { parent: logArchive };
  // ---- STAND-IN (lead: replace with the database and workgroup of infra/archive-athena.ts) ----
  const catalog = standInCatalog("archive-search", { stack: cfg.stack, bucketName: logArchive.bucketName, keyArn: logArchive.keyArn, tags }, parent);
  // ---- end of stand-in ----
  const search = archiveSearch(
    "archive-search",
    {
      databaseName: catalog.databaseName,
      workgroupName: catalog.workgroupName,
      bucketName: logArchive.bucketName,
      keyArn: logArchive.keyArn,
      resultsPrefix: STAND_IN_RESULTS_PREFIX,
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
