/**
 * The SQL the completeness function sends to Athena, built here as plain text so that the tests run
 * the very same text against DuckDB over the same Parquet inventory rows
 * (tests/functions/log-archive/completeness-duckdb.test.ts).
 *
 * Dialect: the subset Athena engine v3 (Trino) and DuckDB share, no shim: WITH, LEFT JOIN,
 * CASE, COALESCE, `IS DISTINCT FROM`, `split_part(string, delimiter, index)` (1-based in both),
 * `TIMESTAMP 'yyyy-mm-dd hh:mm:ss'` literals, COUNT/SUM with GROUP BY, ORDER BY, LIMIT; string
 * literals in single quotes, identifiers unquoted.
 * https://trino.io/docs/current/functions/string.html#split_part
 * https://duckdb.org/docs/sql/functions/char.html (split_part)
 * The DDL (`ALTER TABLE ... ADD PARTITION`) is Athena's only (Hive DDL); DuckDB never sees it.
 *
 * Columns: the S3 Inventory Parquet schema Athena documents
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/storage-inventory-athena-query.html):
 * bucket, key, version_id, is_latest, is_delete_marker, size, last_modified_date (timestamp),
 * e_tag, replication_status, encryption_status, checksum_algorithm; partition dt
 * (`YYYY-MM-DD-HH-MM`, the `hive/dt=.../` folder).
 */

/** The problems a source object can have; `failed` is S3's own replication status FAILED. */
export const PROBLEMS = ["missing", "version_differs", "content_differs", "replication_failed"] as const;
export type Problem = (typeof PROBLEMS)[number];

export interface ComparisonInput {
  /** Glue table over the archive's (Beijing) inventory, as replicated into Ningxia. */
  sourceTable: string;
  /** Glue table over the replica's own inventory. */
  replicaTable: string;
  sourceDt: string;
  replicaDt: string;
  /** Objects last modified before this (UTC) must be in the replica: `yyyy-mm-dd hh:mm:ss`. */
  cutoff: string;
}

const DT = /^\d{4}-\d{2}-\d{2}-\d{2}-\d{2}$/;
const TS = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const IDENT = /^[a-z_][a-z0-9_]*$/;

function checked(i: ComparisonInput): ComparisonInput {
  for (const t of [i.sourceTable, i.replicaTable])
    if (!IDENT.test(t)) throw new Error(`completeness: table name ${JSON.stringify(t)} is not a plain identifier`);
  for (const d of [i.sourceDt, i.replicaDt]) if (!DT.test(d)) throw new Error(`completeness: inventory dt ${JSON.stringify(d)} is not YYYY-MM-DD-HH-MM`);
  if (!TS.test(i.cutoff)) throw new Error(`completeness: cutoff ${JSON.stringify(i.cutoff)} is not yyyy-mm-dd hh:mm:ss`);
  return i;
}

/**
 * One row per latest source version with its classification (NULL: fine). Compared by key against
 * the replica's latest version: CRR keeps version ids, so a different id means the replica lags a
 * version; size and ETag catch a differing content. A FAILED status is reported whatever its age.
 */
function classified(i: ComparisonInput): string {
  return `WITH s AS (
  SELECT key, version_id, is_delete_marker, size, e_tag, last_modified_date, replication_status
  FROM ${i.sourceTable}
  WHERE dt = '${i.sourceDt}' AND is_latest = true
), r AS (
  SELECT key, version_id, is_delete_marker, size, e_tag
  FROM ${i.replicaTable}
  WHERE dt = '${i.replicaDt}' AND is_latest = true
), c AS (
  SELECT
    s.key AS key,
    split_part(s.key, '/', 1) AS prefix,
    s.version_id AS version_id,
    s.size AS size,
    s.e_tag AS e_tag,
    s.last_modified_date AS last_modified_date,
    s.replication_status AS replication_status,
    r.version_id AS replica_version_id,
    r.size AS replica_size,
    r.e_tag AS replica_e_tag,
    CASE
      WHEN s.replication_status = 'FAILED' THEN 'replication_failed'
      WHEN s.last_modified_date >= TIMESTAMP '${i.cutoff}' THEN NULL
      WHEN r.key IS NULL THEN 'missing'
      WHEN r.version_id IS DISTINCT FROM s.version_id THEN 'version_differs'
      WHEN COALESCE(s.is_delete_marker, false) <> COALESCE(r.is_delete_marker, false) THEN 'content_differs'
      WHEN r.size IS DISTINCT FROM s.size OR r.e_tag IS DISTINCT FROM s.e_tag THEN 'content_differs'
      ELSE NULL
    END AS problem
  FROM s LEFT JOIN r ON r.key = s.key
)`;
}

/** Counts per top-level prefix: latest source objects, those past the grace period, and each problem. */
export function summarySql(input: ComparisonInput): string {
  const i = checked(input);
  return `${classified(i)}
SELECT
  prefix,
  COUNT(*) AS source_objects,
  SUM(CASE WHEN last_modified_date < TIMESTAMP '${i.cutoff}' THEN 1 ELSE 0 END) AS checked_objects,
  SUM(CASE WHEN problem = 'missing' THEN 1 ELSE 0 END) AS missing,
  SUM(CASE WHEN problem = 'version_differs' THEN 1 ELSE 0 END) AS version_differs,
  SUM(CASE WHEN problem = 'content_differs' THEN 1 ELSE 0 END) AS content_differs,
  SUM(CASE WHEN problem = 'replication_failed' THEN 1 ELSE 0 END) AS replication_failed
FROM c
GROUP BY prefix
ORDER BY prefix`;
}

/** The problem objects themselves, at most `limit` (the summary carries the full counts). */
export function detailSql(input: ComparisonInput, limit: number): string {
  const i = checked(input);
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`completeness: detail limit ${limit} is not a positive integer`);
  return `${classified(i)}
SELECT problem, key, version_id, size, e_tag, last_modified_date, replication_status, replica_version_id, replica_size, replica_e_tag
FROM c
WHERE problem IS NOT NULL
ORDER BY problem, key
LIMIT ${limit}`;
}

/** Registers one inventory snapshot as a partition (Athena DDL; idempotent). */
export function addPartitionSql(table: string, dt: string, location: string): string {
  if (!IDENT.test(table)) throw new Error(`completeness: table name ${JSON.stringify(table)} is not a plain identifier`);
  if (!DT.test(dt)) throw new Error(`completeness: inventory dt ${JSON.stringify(dt)} is not YYYY-MM-DD-HH-MM`);
  if (!/^s3:\/\/[a-z0-9][a-z0-9.-]*\/[A-Za-z0-9!_.*'()\/=-]*\/$/.test(location))
    throw new Error(`completeness: partition location ${JSON.stringify(location)} is not an s3:// folder`);
  return `ALTER TABLE ${table} ADD IF NOT EXISTS PARTITION (dt = '${dt}') LOCATION '${location}'`;
}
