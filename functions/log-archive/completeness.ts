/**
 * The completeness report (issue 17 item 1), run in the backup region next to the replica: both
 * inventories are there, the replica's own and the archive's, which Cross-Region Replication
 * copies with every other object of the archive (its one rule has an empty filter). The archive's
 * `hive/dt=.../symlink.txt` still names the Beijing bucket's data files, so each run writes a copy
 * naming the replicated files in this bucket (after checking each one is there) and registers it
 * as the day's partition: Athena then reads only Ningxia objects (infra/archive-completeness.ts
 * says why).
 *
 * A run: latest snapshot of each inventory -> partitions -> summary and detail queries
 * (completeness-sql.ts) -> `reports/completeness/<yyyy-mm-dd>.json` (SSE-KMS) -> metrics
 * `ObjectsMissingInReplica` (missing + version or content differs) and `ReplicationFailedObjects`.
 * Every failure throws: the scheduled invocation is retried, then dead-lettered, and nothing is
 * reported as complete.
 */
import type { AthenaClient } from "@aws-sdk/client-athena";
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { deferUntilFirstEvent, type Env, requiredInteger, requiredString } from "../shared/env";
import { emitMetrics } from "../shared/metrics";
import { type AthenaQueryOptions, runAthenaQuery } from "./athena-query";
import { addPartitionSql, type ComparisonInput, detailSql, summarySql } from "./completeness-sql";

export const REPORT_PREFIX = "reports/completeness/";
/** Where the rewritten symlink of the archive's snapshot goes (a folder per dt, Hive style). */
export const SOURCE_SYMLINK_PREFIX = "reports/completeness/source-inventory/";
export const COMPLETENESS_METRICS_NAMESPACE = "cn-log-backup/Completeness";

export interface CompletenessSettings {
  replicaBucket: string;
  /** The replica's key: reports and symlinks are written SSE-KMS with it. */
  kmsKeyArn: string;
  /** S3 Inventory's destination prefix and configuration id (infra/archive-inventory.ts). */
  inventoryPrefix: string;
  inventoryConfigId: string;
  sourceTable: string;
  replicaTable: string;
  graceHours: number;
  detailLimit: number;
  athena: AthenaQueryOptions;
}

export interface CompletenessDeps {
  s3: S3Client;
  athena: AthenaClient;
  now?: () => number;
  emit?: typeof emitMetrics;
}

export interface PrefixCounts {
  prefix: string;
  sourceObjects: number;
  checkedObjects: number;
  missing: number;
  versionDiffers: number;
  contentDiffers: number;
  replicationFailed: number;
}

export interface CompletenessReport {
  generatedAt: string;
  replicaBucket: string;
  sourceBucket: string;
  sourceInventory: string;
  replicaInventory: string;
  graceHours: number;
  cutoff: string;
  totals: Omit<PrefixCounts, "prefix">;
  objectsMissingInReplica: number;
  replicationFailedObjects: number;
  prefixes: PrefixCounts[];
  /** At most `detailLimit` problem objects; `detailTruncated` says whether there are more. */
  objects: Record<string, string | null>[];
  detailTruncated: boolean;
  queries: { id: string; bytesScanned: number }[];
}

const DT_FOLDER = /dt=(\d{4}-\d{2}-\d{2}-\d{2}-\d{2})\/$/;

async function commonPrefixes(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: "/", ContinuationToken: token }));
    for (const p of page.CommonPrefixes ?? []) if (p.Prefix) out.push(p.Prefix);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}

/** The newest `dt=` folder under an inventory's `hive/`, or an error naming where it looked. */
export async function latestSnapshot(s3: S3Client, bucket: string, hivePrefix: string): Promise<string> {
  const dts = (await commonPrefixes(s3, bucket, hivePrefix))
    .map((p) => DT_FOLDER.exec(p)?.[1])
    .filter((d): d is string => !!d)
    .sort();
  if (dts.length === 0) throw new Error(`completeness: no inventory snapshot under s3://${bucket}/${hivePrefix} yet`);
  return dts[dts.length - 1];
}

/** The one inventoried source bucket whose inventory replicated into `inventory/` (not the replica's own). */
export async function sourceBucketOf(s3: S3Client, s: CompletenessSettings): Promise<string> {
  const names = (await commonPrefixes(s3, s.replicaBucket, `${s.inventoryPrefix}/`))
    .map((p) => p.slice(s.inventoryPrefix.length + 1, -1))
    .filter((n) => n && n !== s.replicaBucket);
  if (names.length !== 1) {
    throw new Error(
      `completeness: expected the inventory of exactly one source bucket under s3://${s.replicaBucket}/${s.inventoryPrefix}/, found ${names.length ? names.join(", ") : "none"}`,
    );
  }
  return names[0];
}

/** `YYYY-MM-DD-HH-MM` (UTC) as epoch ms. */
export function dtTime(dt: string): number {
  const [y, mo, d, h, mi] = dt.split("-").map(Number);
  return Date.UTC(y, mo - 1, d, h, mi);
}

function sqlTimestamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}

/**
 * Copies the archive's snapshot symlink into this bucket, naming the replicated data files, after
 * checking that each one has replicated (an incomplete source inventory would hide missing objects).
 */
export async function localizeSourceSymlink(s3: S3Client, s: CompletenessSettings, sourceBucket: string, dt: string): Promise<string> {
  const base = `${s.inventoryPrefix}/${sourceBucket}/${s.inventoryConfigId}`;
  const got = await s3.send(new GetObjectCommand({ Bucket: s.replicaBucket, Key: `${base}/hive/dt=${dt}/symlink.txt` }));
  const text = (await got.Body?.transformToString()) ?? "";
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length === 0) throw new Error(`completeness: the symlink of ${sourceBucket}'s inventory ${dt} lists no data file`);
  const from = `s3://${sourceBucket}/`;
  const local: string[] = [];
  for (const line of lines) {
    if (!line.startsWith(from) || !line.slice(from.length).startsWith(`${base}/data/`)) {
      throw new Error(`completeness: symlink line ${JSON.stringify(line)} is not a data file of ${from}${base}/data/`);
    }
    const key = line.slice(from.length);
    try {
      await s3.send(new HeadObjectCommand({ Bucket: s.replicaBucket, Key: key }));
    } catch (err) {
      throw new Error(`completeness: inventory data file ${key} of ${dt} has not replicated into ${s.replicaBucket} (${(err as Error).name})`);
    }
    local.push(`s3://${s.replicaBucket}/${key}`);
  }
  const folder = `${SOURCE_SYMLINK_PREFIX}dt=${dt}/`;
  await s3.send(
    new PutObjectCommand({
      Bucket: s.replicaBucket,
      Key: `${folder}symlink.txt`,
      Body: `${local.join("\n")}\n`,
      ServerSideEncryption: "aws:kms",
      SSEKMSKeyId: s.kmsKeyArn,
    }),
  );
  return `s3://${s.replicaBucket}/${folder}`;
}

const n = (v: string | null | undefined) => {
  const x = Number(v ?? 0);
  if (!Number.isFinite(x)) throw new Error(`completeness: ${JSON.stringify(v)} is not a count`);
  return x;
};

export async function runCompleteness(deps: CompletenessDeps, s: CompletenessSettings): Promise<CompletenessReport> {
  const now = deps.now ?? Date.now;
  const startedAt = now();
  const sourceBucket = await sourceBucketOf(deps.s3, s);
  const sourceHive = `${s.inventoryPrefix}/${sourceBucket}/${s.inventoryConfigId}/hive/`;
  const replicaHive = `${s.inventoryPrefix}/${s.replicaBucket}/${s.inventoryConfigId}/hive/`;
  const [sourceDt, replicaDt] = [await latestSnapshot(deps.s3, s.replicaBucket, sourceHive), await latestSnapshot(deps.s3, s.replicaBucket, replicaHive)];
  const sourceLocation = await localizeSourceSymlink(deps.s3, s, sourceBucket, sourceDt);
  const queries: { id: string; bytesScanned: number }[] = [];
  const run = async (sql: string, ddl = false) => {
    const q = await runAthenaQuery(deps.athena, sql, s.athena, { ddl });
    queries.push({ id: q.queryExecutionId, bytesScanned: q.bytesScanned });
    return q.rows;
  };
  await run(addPartitionSql(s.sourceTable, sourceDt, sourceLocation), true);
  await run(addPartitionSql(s.replicaTable, replicaDt, `s3://${s.replicaBucket}/${replicaHive}dt=${replicaDt}/`), true);

  // Both snapshots must have seen an object for its absence to mean anything.
  const cutoffMs = Math.min(dtTime(sourceDt), dtTime(replicaDt)) - s.graceHours * 3_600_000;
  const input: ComparisonInput = { sourceTable: s.sourceTable, replicaTable: s.replicaTable, sourceDt, replicaDt, cutoff: sqlTimestamp(cutoffMs) };
  const summary = await run(summarySql(input));
  const detail = await run(detailSql(input, s.detailLimit + 1));

  const prefixes: PrefixCounts[] = summary.map((r) => ({
    prefix: r.prefix ?? "",
    sourceObjects: n(r.source_objects),
    checkedObjects: n(r.checked_objects),
    missing: n(r.missing),
    versionDiffers: n(r.version_differs),
    contentDiffers: n(r.content_differs),
    replicationFailed: n(r.replication_failed),
  }));
  const totals = prefixes.reduce(
    (t, p) => ({
      sourceObjects: t.sourceObjects + p.sourceObjects,
      checkedObjects: t.checkedObjects + p.checkedObjects,
      missing: t.missing + p.missing,
      versionDiffers: t.versionDiffers + p.versionDiffers,
      contentDiffers: t.contentDiffers + p.contentDiffers,
      replicationFailed: t.replicationFailed + p.replicationFailed,
    }),
    { sourceObjects: 0, checkedObjects: 0, missing: 0, versionDiffers: 0, contentDiffers: 0, replicationFailed: 0 },
  );
  // An empty source snapshot (unregistered partition, unreadable files) must not read as "complete".
  if (totals.sourceObjects === 0) throw new Error(`completeness: the archive's inventory ${sourceDt} has no rows in ${s.sourceTable}: nothing was compared`);
  const report: CompletenessReport = {
    generatedAt: new Date(startedAt).toISOString(),
    replicaBucket: s.replicaBucket,
    sourceBucket,
    sourceInventory: sourceDt,
    replicaInventory: replicaDt,
    graceHours: s.graceHours,
    cutoff: input.cutoff,
    totals,
    objectsMissingInReplica: totals.missing + totals.versionDiffers + totals.contentDiffers,
    replicationFailedObjects: totals.replicationFailed,
    prefixes,
    objects: detail.slice(0, s.detailLimit),
    detailTruncated: detail.length > s.detailLimit,
    queries,
  };
  const key = `${REPORT_PREFIX}${report.generatedAt.slice(0, 10)}.json`;
  await deps.s3.send(
    new PutObjectCommand({
      Bucket: s.replicaBucket,
      Key: key,
      Body: JSON.stringify(report, null, 2),
      ContentType: "application/json",
      ServerSideEncryption: "aws:kms",
      SSEKMSKeyId: s.kmsKeyArn,
    }),
  );
  await (deps.emit ?? emitMetrics)(
    COMPLETENESS_METRICS_NAMESPACE,
    { Bucket: s.replicaBucket },
    {
      ObjectsMissingInReplica: { value: report.objectsMissingInReplica, unit: "Count" },
      ReplicationFailedObjects: { value: report.replicationFailedObjects, unit: "Count" },
    },
    startedAt,
  );
  return report;
}

/**
 * Settings from the function's environment, read once per container on the first event
 * (infra/archive-completeness.ts). Each variable is named as the ArchiveCompletenessArgs field or
 * setting it carries (`bucketName`, `keyArn`, `graceHours`, ...); a missing or bad value fails the
 * invocation with a message naming the variable and what it allows.
 */
export function settingsFromEnv(env: Env): CompletenessSettings {
  return {
    replicaBucket: requiredString(env, "bucketName"),
    kmsKeyArn: requiredString(env, "keyArn"),
    inventoryPrefix: requiredString(env, "inventoryPrefix"),
    inventoryConfigId: requiredString(env, "inventoryConfigId"),
    sourceTable: requiredString(env, "sourceTable"),
    replicaTable: requiredString(env, "replicaTable"),
    graceHours: requiredInteger(env, "graceHours", { min: 0 }),
    detailLimit: requiredInteger(env, "detailLimit", { min: 0 }),
    athena: {
      workgroup: requiredString(env, "workgroupName"),
      database: requiredString(env, "databaseName"),
      maxWaitMs: requiredInteger(env, "maxWaitMs", { min: 0 }),
      pollIntervalMs: requiredInteger(env, "pollIntervalMs", { min: 0 }),
    },
  };
}

/**
 * The reporter's handler (infra/archive-completeness.ts): `env` is the environment as the container
 * started, read on the first event; each run returns the report's two counts.
 */
export function createCompletenessHandler(
  deps: CompletenessDeps,
  env: Env,
): (event?: unknown) => Promise<Pick<CompletenessReport, "objectsMissingInReplica" | "replicationFailedObjects">> {
  return deferUntilFirstEvent(() => {
    const s = settingsFromEnv(env);
    return async () => {
      const { objectsMissingInReplica, replicationFailedObjects } = await runCompleteness(deps, s);
      return { objectsMissingInReplica, replicationFailedObjects };
    };
  });
}
