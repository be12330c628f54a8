/**
 * The named queries of the archive search: the questions auditors ask of the archive, one SQL
 * constant each, saved as Athena named queries in the workgroup (infra/archive-search.ts).
 *
 * Dialect: the subset Athena (Trino, engine version 3) and DuckDB share, with `?` execution
 * parameters (Athena: `--execution-parameters`, console prompts for them;
 * https://docs.aws.amazon.com/athena/latest/ug/querying-with-prepared-statements.html). Four Trino
 * functions are not DuckDB's; the DuckDB test defines them as macros (tests/helpers/athena-duckdb.ts):
 * json_extract_scalar, regexp_like, from_unixtime, from_iso8601_timestamp. Everything else runs as is.
 *
 * Every query filters on its table's projected partitions first (event_date, year/month): bytes
 * scanned, Athena's cost, then grow with the window asked, not with the archive.
 */
import { cloudTrailEventSource } from "../partition";
import { TABLE_NAMES } from "./tables";

const list = (xs: readonly string[]) => xs.map((x) => `'${x}'`).join(", ");

/** AWS Backup calls that delete a recovery point or shorten how long it is kept. */
export const RECOVERY_POINT_EVENTS = [
  "DeleteRecoveryPoint",
  "UpdateRecoveryPointLifecycle",
  "DisassociateRecoveryPoint",
  "DisassociateRecoveryPointFromParent",
] as const;

/**
 * Who deleted or shortened recovery points, days `?` to `?` (yyyy/MM/dd, inclusive). Request
 * parameter names as CloudTrail records AWS Backup's (camelCase):
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/logging-using-cloudtrail.html
 */
export const RECOVERY_POINT_DELETIONS_SQL = `SELECT eventtime, eventname, useridentity.arn AS principal_arn, useridentity.sessioncontext.sessionissuer.arn AS role_arn,
  sourceipaddress, awsregion,
  json_extract_scalar(requestparameters, '$.backupVaultName') AS backup_vault_name,
  json_extract_scalar(requestparameters, '$.recoveryPointArn') AS recovery_point_arn,
  json_extract_scalar(requestparameters, '$.lifecycle.deleteAfterDays') AS delete_after_days,
  errorcode
FROM ${TABLE_NAMES.cloudTrail}
WHERE event_date BETWEEN ? AND ?
  AND eventsource = '${cloudTrailEventSource("backup")}'
  AND eventname IN (${list(RECOVERY_POINT_EVENTS)})
ORDER BY eventtime, eventid`;

/** Calls that change who may delete backups or decrypt them: vault policy and lock, key policy and life, bucket policy. */
export const POLICY_CHANGE_EVENTS = {
  backup: [
    "PutBackupVaultAccessPolicy",
    "DeleteBackupVaultAccessPolicy",
    "PutBackupVaultLockConfiguration",
    "DeleteBackupVaultLockConfiguration",
    "DeleteBackupVault",
  ],
  kms: ["PutKeyPolicy", "ScheduleKeyDeletion", "DisableKey", "DisableKeyRotation"],
  s3: ["PutBucketPolicy", "DeleteBucketPolicy"],
} as const;

/** Who changed a vault, key or bucket policy (or scheduled a key's deletion), days `?` to `?`. */
export const POLICY_CHANGES_SQL = `SELECT eventtime, eventsource, eventname, useridentity.arn AS principal_arn, useridentity.sessioncontext.sessionissuer.arn AS role_arn,
  sourceipaddress, awsregion,
  coalesce(json_extract_scalar(requestparameters, '$.backupVaultName'), json_extract_scalar(requestparameters, '$.keyId'), json_extract_scalar(requestparameters, '$.bucketName')) AS target,
  errorcode
FROM ${TABLE_NAMES.cloudTrail}
WHERE event_date BETWEEN ? AND ?
  AND ((eventsource = '${cloudTrailEventSource("backup")}' AND eventname IN (${list(POLICY_CHANGE_EVENTS.backup)}))
    OR (eventsource = '${cloudTrailEventSource("kms")}' AND eventname IN (${list(POLICY_CHANGE_EVENTS.kms)}))
    OR (eventsource = '${cloudTrailEventSource("s3")}' AND eventname IN (${list(POLICY_CHANGE_EVENTS.s3)})))
ORDER BY eventtime, eventid`;

/**
 * Rejected connections by source address in month `?`/`?` (year, two-digit month): flows, packets,
 * bytes, distinct destination ports, first and last seen (Unix seconds). Field meanings:
 * https://docs.aws.amazon.com/vpc/latest/userguide/flow-log-records.html
 */
export const REJECTED_CONNECTIONS_SQL = `SELECT srcaddr, count(*) AS flows, sum(packets) AS packets, sum(bytes) AS bytes,
  count(DISTINCT dstport) AS distinct_ports, min(start) AS first_seen, max("end") AS last_seen
FROM ${TABLE_NAMES.flowLogs}
WHERE year = ? AND month = ?
  AND action = 'REJECT'
GROUP BY srcaddr
ORDER BY flows DESC, srcaddr`;

/** Expressions over the audit table shared by the two database queries. */
const AUDIT_INSTANCE = `regexp_extract("$path", 'audit-logs/([^/]+)/', 1)`;
const AUDIT_TIME = "from_unixtime(CAST(event_timestamp AS bigint) / 1000000)";

/**
 * Failed database logins by instance, user and client host between `?` and `?` (ISO-8601
 * timestamps): FAILED_CONNECT records and CONNECT records with a non-zero return code (the
 * MySQL error, e.g. 1045 access denied).
 */
export const FAILED_DB_LOGINS_SQL = `SELECT ${AUDIT_INSTANCE} AS instance, username, host, count(*) AS failures,
  min(${AUDIT_TIME}) AS first_failure, max(${AUDIT_TIME}) AS last_failure
FROM ${TABLE_NAMES.auditLogs}
WHERE ${AUDIT_TIME} BETWEEN from_iso8601_timestamp(?) AND from_iso8601_timestamp(?)
  AND (operation = 'FAILED_CONNECT' OR (operation = 'CONNECT' AND retcode <> '0'))
GROUP BY 1, username, host
ORDER BY failures DESC, instance, username, host`;

/** Statements that change schema or privileges, matched on the statement text (QUERY records). */
export const DDL_DCL_STATEMENT = "^(CREATE|ALTER|DROP|RENAME|TRUNCATE|GRANT|REVOKE|SET PASSWORD)\\b";

/**
 * DDL and privilege changes by user between `?` and `?` (ISO-8601): QUERY records whose text is
 * DDL/DCL (the server_audit_events QUERY_DDL and QUERY_DCL classes log as QUERY), and TABLE
 * events of kind CREATE/ALTER/DROP/RENAME.
 */
export const DDL_DCL_CHANGES_SQL = `SELECT username, ${AUDIT_INSTANCE} AS instance, ${AUDIT_TIME} AS event_time, host, dbname, operation, object AS statement, retcode
FROM ${TABLE_NAMES.auditLogs}
WHERE ${AUDIT_TIME} BETWEEN from_iso8601_timestamp(?) AND from_iso8601_timestamp(?)
  AND (operation IN ('CREATE', 'ALTER', 'DROP', 'RENAME', 'QUERY_DDL', 'QUERY_DCL')
    OR (operation = 'QUERY' AND regexp_like(upper(ltrim(object)), '${DDL_DCL_STATEMENT}')))
ORDER BY username, event_time, queryid`;

/** A named query: what it answers, which table it needs, and its parameters. */
export interface NamedQuerySpec {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly table: (typeof TABLE_NAMES)[keyof typeof TABLE_NAMES];
  readonly parameters: readonly string[];
  readonly sql: string;
}

export const NAMED_QUERIES: readonly NamedQuerySpec[] = [
  {
    id: "recovery-point-deletions",
    name: "cn-log-backup: who deleted or shortened recovery points",
    description:
      "AWS Backup DeleteRecoveryPoint / UpdateRecoveryPointLifecycle / Disassociate* calls by principal. Parameters: first day, last day (yyyy/MM/dd).",
    table: TABLE_NAMES.cloudTrail,
    parameters: ["first day yyyy/MM/dd", "last day yyyy/MM/dd"],
    sql: RECOVERY_POINT_DELETIONS_SQL,
  },
  {
    id: "policy-changes",
    name: "cn-log-backup: who changed a vault, key or bucket policy",
    description:
      "Vault access policy and lock, key policy, key deletion/disable, bucket policy changes by principal. Parameters: first day, last day (yyyy/MM/dd).",
    table: TABLE_NAMES.cloudTrail,
    parameters: ["first day yyyy/MM/dd", "last day yyyy/MM/dd"],
    sql: POLICY_CHANGES_SQL,
  },
  {
    id: "rejected-connections",
    name: "cn-log-backup: rejected connections by source",
    description: "VPC flow log REJECT records grouped by source address. Parameters: year (yyyy), month (MM).",
    table: TABLE_NAMES.flowLogs,
    parameters: ["year yyyy", "month MM"],
    sql: REJECTED_CONNECTIONS_SQL,
  },
  {
    id: "failed-db-logins",
    name: "cn-log-backup: failed database logins",
    description: "Aurora audit FAILED_CONNECT and failed CONNECT records by instance, user and host. Parameters: from, to (ISO-8601 timestamps).",
    table: TABLE_NAMES.auditLogs,
    parameters: ["from ISO-8601", "to ISO-8601"],
    sql: FAILED_DB_LOGINS_SQL,
  },
  {
    id: "ddl-dcl-changes",
    name: "cn-log-backup: DDL and privilege changes by user",
    description: "Aurora audit records of CREATE/ALTER/DROP/RENAME/TRUNCATE/GRANT/REVOKE by user. Parameters: from, to (ISO-8601 timestamps).",
    table: TABLE_NAMES.auditLogs,
    parameters: ["from ISO-8601", "to ISO-8601"],
    sql: DDL_DCL_CHANGES_SQL,
  },
];
