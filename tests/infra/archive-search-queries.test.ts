/**
 * The named queries' SQL, run for real on DuckDB over sample files in the formats AWS writes
 * (tests/fixtures/archive-search/samples.ts), laid out at the keys the program writes and read
 * through the Glue table specs (tests/helpers/athena-duckdb.ts: partition values from the
 * table's storage.location.template; the SQL text runs unchanged, with four Trino functions as
 * DuckDB macros). Each test asserts the exact rows a query returns.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import type { DuckDBConnection } from "@duckdb/node-api";
import { FLOW_LOG_FIELDS } from "../../infra/log-archive";
import { objectKeyFor } from "../../functions/audit-log/common";
import { CLOUDTRAIL_COLUMNS, auditLogsTable, cloudTrailTable, flowLogsTable } from "../../infra/archive-search/tables";
import {
  DDL_DCL_CHANGES_SQL,
  FAILED_DB_LOGINS_SQL,
  NAMED_QUERIES,
  POLICY_CHANGES_SQL,
  RECOVERY_POINT_DELETIONS_SQL,
  REJECTED_CONNECTIONS_SQL,
} from "../../infra/archive-search/queries";
import { LocalBucket, duck, duckType, literal, query, sqlString, tableView } from "../helpers/athena-duckdb";
import { ACCOUNT, AUDIT_FILES, CLOUDTRAIL_FILES, FLOW_LOG_FILES } from "../fixtures/archive-search/samples";

const BUCKET = "log-archive-archive-0a1b2c3";
const REGION = "cn-north-1";

/** JSON keys of the CloudTrail record for each column of the Glue table (the JSON SerDe matches case-insensitively). */
const CLOUDTRAIL_KEYS: Record<string, string> = {
  eventversion: "eventVersion",
  useridentity: "userIdentity",
  eventtime: "eventTime",
  eventsource: "eventSource",
  eventname: "eventName",
  awsregion: "awsRegion",
  sourceipaddress: "sourceIPAddress",
  useragent: "userAgent",
  errorcode: "errorCode",
  errormessage: "errorMessage",
  requestparameters: "requestParameters",
  responseelements: "responseElements",
  additionaleventdata: "additionalEventData",
  requestid: "requestID",
  eventid: "eventID",
  readonly: "readOnly",
  resources: "resources",
  eventtype: "eventType",
  apiversion: "apiVersion",
  recipientaccountid: "recipientAccountId",
  serviceeventdetails: "serviceEventDetails",
  sharedeventid: "sharedEventID",
  vpcendpointid: "vpcEndpointId",
  tlsdetails: "tlsDetails",
};

let dir: string;
let bucket: LocalBucket;
let c: DuckDBConnection;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "archive-search-"));
  bucket = new LocalBucket(BUCKET, dir);
  c = await duck();
});
afterAll(() => {
  c?.closeSync();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("rejected connections by source (VPC flow logs, Parquet)", () => {
  const spec = flowLogsTable({ bucket: BUCKET, account: ACCOUNT, region: REGION, fields: FLOW_LOG_FIELDS });

  beforeAll(async () => {
    // Parquet files with the table's columns and types, written by DuckDB at the Hive keys Flow Logs uses.
    const cols = spec.columns.map((col) => `"${col.name}" ${duckType(col.type)}`).join(", ");
    for (const f of FLOW_LOG_FILES) {
      await c.run(`CREATE OR REPLACE TABLE rows_tmp (${cols})`);
      for (const r of f.rows) {
        const values = spec.columns.map((col) => literal(col.name === "version" ? 5 : col.name === "account_id" ? ACCOUNT : (r as any)[col.name]));
        await c.run(`INSERT INTO rows_tmp VALUES (${values.join(", ")})`);
      }
      const h = f.hour;
      const key = `flow-logs/AWSLogs/aws-account-id=${ACCOUNT}/aws-service=vpcflowlogs/aws-region=${REGION}/year=${h.year}/month=${h.month}/day=${h.day}/hour=${h.hour}/${ACCOUNT}_vpcflowlogs_${REGION}_fl-0123456789abcdef0_${h.year}${h.month}${h.day}T${h.hour}00Z_4a5b6c7d.log.parquet`;
      const file = bucket.write(key, "");
      await c.run(`COPY rows_tmp TO ${sqlString(file)} (FORMAT parquet)`);
    }
    await tableView(c, spec, bucket, (file) => `SELECT * FROM read_parquet(${sqlString(file)}, hive_partitioning = false)`);
  });

  test("the Parquet files carry exactly the table's columns and types", async () => {
    const file = bucket.file(bucket.keysUnder(spec.location)[0]);
    const schema = await query(
      c,
      `SELECT column_name AS name, column_type AS type FROM (DESCRIBE SELECT * FROM read_parquet(${sqlString(file)}, hive_partitioning = false))`,
      [],
    );
    expect(schema).toEqual(spec.columns.map((col) => ({ name: col.name, type: duckType(col.type) })));
  });

  test("December 2026: the REJECT records grouped by source, most flows first; ACCEPT, NODATA and November left out", async () => {
    const rows = await query(c, REJECTED_CONNECTIONS_SQL, ["2026", "12"]);
    expect(rows).toEqual([
      { srcaddr: "203.0.113.10", flows: "3", packets: "6", bytes: "360", distinct_ports: "2", first_seen: "1764579600", last_seen: "1764716460" },
      { srcaddr: "198.51.100.7", flows: "1", packets: "4", bytes: "240", distinct_ports: "1", first_seen: "1764716500", last_seen: "1764716560" },
    ]);
    expect(await query(c, REJECTED_CONNECTIONS_SQL, ["2026", "11"])).toEqual([
      { srcaddr: "192.0.2.99", flows: "1", packets: "1", bytes: "60", distinct_ports: "1", first_seen: "1764504000", last_seen: "1764504060" },
    ]);
  });
});

describe("CloudTrail questions (gzip JSON Records)", () => {
  const spec = cloudTrailTable({ bucket: BUCKET, account: ACCOUNT, regions: [REGION, "cn-northwest-1"] });

  beforeAll(async () => {
    for (const f of CLOUDTRAIL_FILES) {
      bucket.write(`cloudtrail/AWSLogs/${ACCOUNT}/CloudTrail/${f.region}/${f.day}/${f.file}`, zlib.gzipSync(JSON.stringify({ Records: f.records })));
    }
    // A digest file next to the logs: outside the table's location (CloudTrail-Digest/), never read.
    bucket.write(
      `cloudtrail/AWSLogs/${ACCOUNT}/CloudTrail-Digest/${REGION}/2026/11/20/${ACCOUNT}_CloudTrail-Digest_${REGION}_x_20261120T1100Z.json.gz`,
      zlib.gzipSync("{}"),
    );
    const s = (k: string) => `json_extract_string(r, '$.${k}')`;
    const cols = spec.columns.map((col) => {
      const k = CLOUDTRAIL_KEYS[col.name];
      if (col.name === "useridentity") {
        return `{'type': ${s("userIdentity.type")}, 'arn': ${s("userIdentity.arn")}, 'accountid': ${s("userIdentity.accountId")}, 'username': ${s("userIdentity.userName")},
          'sessioncontext': {'sessionissuer': {'type': ${s("userIdentity.sessionContext.sessionIssuer.type")}, 'arn': ${s("userIdentity.sessionContext.sessionIssuer.arn")}}}} AS useridentity`;
      }
      return col.type === "string" ? `${s(k)} AS ${col.name}` : `json_extract(r, '$.${k}') AS ${col.name}`;
    });
    await tableView(
      c,
      spec,
      bucket,
      (file) => `SELECT ${cols.join(", ")} FROM (SELECT unnest(Records) AS r FROM read_json(${sqlString(file)}, columns = {Records: 'JSON[]'}))`,
    );
  });

  test("the view stands for every column of the Glue table, no other", () => {
    expect(Object.keys(CLOUDTRAIL_KEYS).sort()).toEqual(CLOUDTRAIL_COLUMNS.map((col) => col.name).sort());
  });

  test("who deleted or shortened recovery points, 20-22 November: the two calls, with principal, role, vault and new lifecycle", async () => {
    const rows = await query(c, RECOVERY_POINT_DELETIONS_SQL, ["2026/11/20", "2026/11/22"]);
    const rp = `arn:aws-cn:rds:cn-north-1:${ACCOUNT}:cluster-snapshot:awsbackup:job-0a1b2c3d-0000-4000-8000-000000000001`;
    expect(rows).toEqual([
      {
        eventtime: "2026-11-20T10:01:00Z",
        eventname: "DeleteRecoveryPoint",
        principal_arn: `arn:aws-cn:sts::${ACCOUNT}:assumed-role/ops-admin/mallory`,
        role_arn: `arn:aws-cn:iam::${ACCOUNT}:role/ops-admin`,
        sourceipaddress: "192.0.2.10",
        awsregion: "cn-north-1",
        backup_vault_name: "cn-log-backup-source",
        recovery_point_arn: rp,
        delete_after_days: null,
        errorcode: null,
      },
      {
        eventtime: "2026-11-20T10:02:00Z",
        eventname: "UpdateRecoveryPointLifecycle",
        principal_arn: `arn:aws-cn:iam::${ACCOUNT}:user/eve`,
        role_arn: null,
        sourceipaddress: "192.0.2.10",
        awsregion: "cn-north-1",
        backup_vault_name: "cn-log-backup-source",
        recovery_point_arn: rp,
        delete_after_days: "1",
        errorcode: null,
      },
    ]);
    // The later deletion is found when its day is asked for.
    expect((await query(c, RECOVERY_POINT_DELETIONS_SQL, ["2026/11/01", "2026/11/19"])).map((r) => [r.eventtime, r.eventname])).toEqual([
      ["2026-11-10T00:01:00Z", "DeleteRecoveryPoint"],
    ]);
  });

  test("who changed a vault or key policy, 20-22 November: key policy, vault policy and a refused key deletion, in both regions", async () => {
    const rows = await query(c, POLICY_CHANGES_SQL, ["2026/11/20", "2026/11/22"]);
    expect(rows.map((r) => [r.eventtime, r.eventsource, r.eventname, r.principal_arn, r.awsregion, r.target, r.errorcode])).toEqual([
      [
        "2026-11-20T10:04:00Z",
        "kms.amazonaws.com",
        "PutKeyPolicy",
        `arn:aws-cn:sts::${ACCOUNT}:assumed-role/ops-admin/mallory`,
        "cn-north-1",
        `arn:aws-cn:kms:cn-north-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
        null,
      ],
      [
        "2026-11-21T02:01:00Z",
        "backup.amazonaws.com",
        "PutBackupVaultAccessPolicy",
        `arn:aws-cn:iam::${ACCOUNT}:user/eve`,
        "cn-northwest-1",
        "cn-log-backup-destination",
        null,
      ],
      [
        "2026-11-21T02:02:00Z",
        "kms.amazonaws.com",
        "ScheduleKeyDeletion",
        `arn:aws-cn:iam::${ACCOUNT}:user/eve`,
        "cn-northwest-1",
        `arn:aws-cn:kms:cn-northwest-1:${ACCOUNT}:key/0fedcba9-8765-4321-0fed-cba987654321`,
        "AccessDenied",
      ],
    ]);
  });
});

describe("database questions (Aurora MySQL audit log CSV)", () => {
  const spec = auditLogsTable({ bucket: BUCKET });

  beforeAll(async () => {
    for (const f of AUDIT_FILES) bucket.write(objectKeyFor(f.instance, f.logFileName), f.lines.join("\n") + "\n");
    const columns = `{${spec.columns.map((col) => `'${col.name}': 'VARCHAR'`).join(", ")}}`;
    // OpenCSVSerDe's settings from the table: separator, quote and escape characters.
    const p = spec.serde.parameters!;
    await tableView(
      c,
      spec,
      bucket,
      (file, url) =>
        `SELECT *, ${sqlString(url)} AS "$path" FROM read_csv(${sqlString(file)}, columns = ${columns}, header = false, delim = ${sqlString(p.separatorChar)}, quote = ${sqlString(p.quoteChar)}, escape = ${sqlString(p.escapeChar)}, null_padding = true, auto_detect = false)`,
    );
  });

  const WINDOW = ["2026-12-01T00:00:00Z", "2026-12-01T23:59:59Z"];

  test("failed logins on 1 December by instance, user and host: FAILED_CONNECT and CONNECT with an error, most first", async () => {
    const rows = await query(c, FAILED_DB_LOGINS_SQL, WINDOW);
    expect(rows.map((r) => [r.instance, r.username, r.host, r.failures])).toEqual([
      ["orders-1", "mallory", "10.0.9.9", "2"],
      ["orders-1", "root", "10.0.9.10", "1"],
      ["orders-2", "mallory", "10.0.9.9", "1"],
    ]);
    expect([rows[0].first_failure, rows[0].last_failure].map((t) => new Date(String(t)).toISOString())).toEqual([
      "2026-12-01T10:00:01.000Z",
      "2026-12-01T10:00:02.000Z",
    ]);
  });

  test("DDL and privilege changes on 1 December by user: the statement text unquoted, a SELECT mentioning DROP left out", async () => {
    const rows = await query(c, DDL_DCL_CHANGES_SQL, WINDOW);
    expect(rows.map((r) => [r.username, r.instance, r.operation, r.statement, r.retcode])).toEqual([
      ["admin", "orders-1", "QUERY", "CREATE TABLE t1 (c1 INT)", "0"],
      ["admin", "orders-1", "QUERY", "GRANT SELECT ON orders.* TO 'report'@'%'", "0"],
      ["admin", "orders-2", "QUERY", "REVOKE ALL ON orders.* FROM 'app'@'%'", "0"],
      ["dev", "orders-1", "QUERY", "  drop table t1", "1142"],
    ]);
  });
});

test("every named query is one of the tested SQL constants", () => {
  const tested = [RECOVERY_POINT_DELETIONS_SQL, POLICY_CHANGES_SQL, REJECTED_CONNECTIONS_SQL, FAILED_DB_LOGINS_SQL, DDL_DCL_CHANGES_SQL];
  expect(NAMED_QUERIES.map((q) => q.sql)).toEqual(tested);
  for (const q of NAMED_QUERIES) expect([q.id, (q.sql.match(/\?/g) ?? []).length]).toEqual([q.id, q.parameters.length]);
});
