/**
 * The Glue table specs of the archive search as Glue stores them: the exact table parameters
 * (partition-projection keys as AWS's "Set up partition projection" and "Supported types" pages
 * name them), and which object paths the projections admit.
 */
import { ARCHIVE_PREFIXES, FLOW_LOG_FIELDS } from "../../infra/log-archive";
import { DEFAULT_KEY_PREFIX } from "../../functions/audit-log/common";
import {
  SEARCH_PREFIXES,
  auditLogsTable,
  cloudTrailTable,
  exportsTable,
  firehoseTable,
  flowLogsTable,
  tableParameters,
} from "../../infra/archive-search/tables";
import { partitionValues, templateRegex } from "../helpers/athena-projection";

const B = "log-archive-archive-0a1b2c3";
const A = "123456789012";

test("flow logs: integer projections of the Hive year/month/day/hour keys under this account and region", () => {
  const s = flowLogsTable({ bucket: B, account: A, region: "cn-north-1", fields: FLOW_LOG_FIELDS });
  const base = `s3://${B}/flow-logs/AWSLogs/aws-account-id=${A}/aws-service=vpcflowlogs/aws-region=cn-north-1/`;
  expect(tableParameters(s)).toEqual({
    EXTERNAL: "TRUE",
    classification: "parquet",
    "projection.enabled": "true",
    "projection.year.type": "integer",
    "projection.year.range": "2024,2099",
    "projection.month.type": "integer",
    "projection.month.range": "1,12",
    "projection.month.digits": "2",
    "projection.day.type": "integer",
    "projection.day.range": "1,31",
    "projection.day.digits": "2",
    "projection.hour.type": "integer",
    "projection.hour.range": "0,23",
    "projection.hour.digits": "2",
    "storage.location.template": `${base}year=\${year}/month=\${month}/day=\${day}/hour=\${hour}/`,
  });
  const at = (y: string, m: string, d: string, h: string) => partitionValues(s, `${base}year=${y}/month=${m}/day=${d}/hour=${h}/f.log.parquet`);
  expect(at("2026", "12", "01", "00")).toEqual({ year: "2026", month: "12", day: "01", hour: "00" });
  expect(at("2026", "13", "01", "00")).toBeUndefined();
  expect(at("2026", "1", "01", "00")).toBeUndefined();
  expect(at("2026", "12", "01", "24")).toBeUndefined();
  expect(at("2023", "12", "01", "00")).toBeUndefined();
  // Another account's or region's flow logs are not this table's partitions.
  expect(partitionValues(s, `${base.replace(A, "999988887777")}year=2026/month=12/day=01/hour=00/f.log.parquet`)).toBeUndefined();
  expect(s.columns.map((c) => c.name)).toEqual(FLOW_LOG_FIELDS.map((f) => f.replace(/-/g, "_")));
  expect(s.columns.filter((c) => c.type !== "string").map((c) => `${c.name}:${c.type}`)).toEqual([
    "version:int",
    "srcport:int",
    "dstport:int",
    "protocol:bigint",
    "packets:bigint",
    "bytes:bigint",
    "start:bigint",
    "end:bigint",
    "tcp_flags:int",
    "traffic_path:int",
  ]);
});

test("CloudTrail: an enum of the trail's regions and a daily date projection up to NOW", () => {
  const s = cloudTrailTable({ bucket: B, account: A, regions: ["cn-north-1", "cn-northwest-1"] });
  const base = `s3://${B}/cloudtrail/AWSLogs/${A}/CloudTrail/`;
  expect(tableParameters(s)).toEqual({
    EXTERNAL: "TRUE",
    classification: "cloudtrail",
    "projection.enabled": "true",
    "projection.region.type": "enum",
    "projection.region.values": "cn-north-1,cn-northwest-1",
    "projection.event_date.type": "date",
    "projection.event_date.format": "yyyy/MM/dd",
    "projection.event_date.range": "2024/01/01,NOW",
    "projection.event_date.interval": "1",
    "projection.event_date.interval.unit": "DAYS",
    "storage.location.template": `${base}\${region}/\${event_date}/`,
  });
  const now = new Date(Date.UTC(2026, 11, 1, 12));
  expect(partitionValues(s, `${base}cn-north-1/2026/12/01/x.json.gz`, now)).toEqual({ region: "cn-north-1", event_date: "2026/12/01" });
  expect(partitionValues(s, `${base}cn-north-1/2026/12/02/x.json.gz`, now)).toBeUndefined();
  expect(partitionValues(s, `${base}cn-north-1/2026/02/30/x.json.gz`, now)).toBeUndefined();
  expect(partitionValues(s, `${base}us-east-1/2026/12/01/x.json.gz`, now)).toBeUndefined();
});

test("exports: the log group injected, the hour a date projection; audit logs and Firehose tables", () => {
  const e = exportsTable({ bucket: B });
  expect(tableParameters(e)).toEqual({
    EXTERNAL: "TRUE",
    "projection.enabled": "true",
    "projection.log_group.type": "injected",
    "projection.event_hour.type": "date",
    "projection.event_hour.format": "yyyy/MM/dd/HH",
    "projection.event_hour.range": "2024/01/01/00,NOW",
    "projection.event_hour.interval": "1",
    "projection.event_hour.interval.unit": "HOURS",
    "storage.location.template": `s3://${B}/exports/\${log_group}/\${event_hour}/`,
  });
  expect(e.serde.parameters).toEqual({ "input.regex": "^(\\S+) (.*)$" });
  expect(new RegExp(e.serde.parameters!["input.regex"]).exec("2026-12-01T07:00:00.000Z GET /health 200")?.slice(1)).toEqual([
    "2026-12-01T07:00:00.000Z",
    "GET /health 200",
  ]);
  const a = auditLogsTable({ bucket: B });
  expect(tableParameters(a)).toEqual({ EXTERNAL: "TRUE", classification: "csv" });
  expect(a.columns.map((c) => c.name)).toEqual([
    "event_timestamp",
    "serverhost",
    "username",
    "host",
    "connectionid",
    "queryid",
    "operation",
    "dbname",
    "object",
    "retcode",
    "connection_type",
  ]);
  const f = firehoseTable({ bucket: B, decompressed: false });
  expect(tableParameters(f)["storage.location.template"]).toBe(`s3://${B}/cloudwatch/logs/year=\${year}/month=\${month}/day=\${day}/hour=\${hour}/`);
  expect(f.columns.map((c) => c.name)).toEqual(["messagetype", "owner", "loggroup", "logstream", "subscriptionfilters", "logevents"]);
  expect(firehoseTable({ bucket: B, decompressed: true }).columns).toEqual([{ name: "message", type: "string" }]);
});

test("a template that leaves a partition key out is refused", () => {
  const s = { ...flowLogsTable({ bucket: B, account: A, region: "cn-north-1", fields: FLOW_LOG_FIELDS }) };
  expect(() => templateRegex({ ...s, locationTemplate: s.location + "year=${year}/month=${month}/day=${day}/" })).toThrow(
    /partition key hour is not in the template/,
  );
});

test("the prefixes the tables read are the archive's own (and AuditLogPipeline's key prefix)", () => {
  expect(
    [SEARCH_PREFIXES.flowLogs, SEARCH_PREFIXES.cloudTrail, SEARCH_PREFIXES.auditLogs, SEARCH_PREFIXES.exports].every((p) =>
      (ARCHIVE_PREFIXES as readonly string[]).includes(p),
    ),
  ).toBe(true);
  expect(SEARCH_PREFIXES.firehose.startsWith("cloudwatch/")).toBe(true);
  expect(SEARCH_PREFIXES.auditLogs).toBe(DEFAULT_KEY_PREFIX);
});
