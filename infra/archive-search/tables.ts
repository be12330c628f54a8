/**
 * The Glue tables of the archive search (issue 17 item 2), as plain data: name, location, columns,
 * SerDe and partition-projection parameters, one builder per log source. infra/archive-search.ts
 * turns each spec into an `aws.glue.CatalogTable`; the tests read the same specs to write sample
 * files where the program writes them and to run the named queries over them.
 *
 * Partition projection: Athena computes partitions from table parameters instead of calling Glue
 * GetPartitions. Keys (https://docs.aws.amazon.com/athena/latest/ug/partition-projection-setting-up.html,
 * https://docs.aws.amazon.com/athena/latest/ug/partition-projection-supported-types.html, China edition
 * https://docs.amazonaws.cn/en_us/athena/latest/ug/partition-projection.html):
 * `projection.enabled`, `projection.<col>.type` (enum | integer | date | injected),
 * `projection.<col>.values` (enum), `projection.<col>.range` and `projection.<col>.digits`
 * (integer), `projection.<col>.range`, `.format`, `.interval`, `.interval.unit` (date), and
 * `storage.location.template` with `${<col>}` placeholders.
 */

/** One column (or partition key) as Glue stores it: a Hive type name. */
export interface Column {
  readonly name: string;
  readonly type: string;
}

/** How Athena projects one partition key (see the module comment for the keys). */
export type Projection =
  | { readonly type: "enum"; readonly values: readonly string[] }
  | { readonly type: "integer"; readonly range: readonly [number, number]; readonly digits?: number }
  | { readonly type: "date"; readonly format: string; readonly range: readonly [string, string]; readonly interval: number; readonly unit: "DAYS" | "HOURS" }
  | { readonly type: "injected" };

/** A Glue EXTERNAL_TABLE over one archive prefix. */
export interface TableSpec {
  readonly name: string;
  readonly description: string;
  /** `s3://<bucket>/<prefix>`: everything Athena may read for this table. */
  readonly location: string;
  readonly columns: readonly Column[];
  readonly partitionKeys: readonly Column[];
  /** Partition key -> projection; empty: no projection (the whole location is read). */
  readonly projections: Readonly<Record<string, Projection>>;
  /** `storage.location.template` when projected. */
  readonly locationTemplate?: string;
  readonly inputFormat: string;
  readonly outputFormat: string;
  readonly serde: { readonly library: string; readonly parameters?: Readonly<Record<string, string>> };
  /** Extra table parameters (classification, ...). */
  readonly parameters?: Readonly<Record<string, string>>;
}

/** Glue table names (lower case: Athena folds identifiers). */
export const TABLE_NAMES = {
  flowLogs: "vpc_flow_logs",
  cloudTrail: "cloudtrail",
  auditLogs: "aurora_audit_logs",
  firehose: "cloudwatch_logs_firehose",
  exports: "cloudwatch_logs_exports",
} as const;

/** Archive prefixes the tables read (the archive's own: infra/log-archive.ts ARCHIVE_PREFIXES, the Firehose prefix, functions/audit-log). */
export const SEARCH_PREFIXES = {
  flowLogs: "flow-logs/",
  cloudTrail: "cloudtrail/",
  auditLogs: "audit-logs/",
  firehose: "cloudwatch/logs/",
  exports: "exports/",
} as const;

/** First year/day projected: nothing of this program is older. */
export const PROJECTION_START_YEAR = 2024;
export const PROJECTION_LAST_YEAR = 2099;

const TEXT_OUTPUT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat";
const TEXT_INPUT = "org.apache.hadoop.mapred.TextInputFormat";

/** Year/month/day/hour as Hive string partitions projected as integers (the Hive-compatible layouts). */
function hourlyIntegerProjections(): Record<string, Projection> {
  return {
    year: { type: "integer", range: [PROJECTION_START_YEAR, PROJECTION_LAST_YEAR] },
    month: { type: "integer", range: [1, 12], digits: 2 },
    day: { type: "integer", range: [1, 31], digits: 2 },
    hour: { type: "integer", range: [0, 23], digits: 2 },
  };
}
const HOURLY_KEYS: Column[] = ["year", "month", "day", "hour"].map((name) => ({ name, type: "string" }));
const HIVE_HOURLY = "year=${year}/month=${month}/day=${day}/hour=${hour}/";

/**
 * VPC Flow Logs columns: the program's field list (infra/log-archive.ts FLOW_LOG_FIELDS), named as
 * the Parquet files name them (`-` -> `_`) and typed as AWS's Parquet DDL types them
 * (https://docs.aws.amazon.com/athena/latest/ug/vpc-flow-logs-parquet.html).
 */
const FLOW_LOG_TYPES: Record<string, string> = {
  version: "int",
  srcport: "int",
  dstport: "int",
  protocol: "bigint",
  packets: "bigint",
  bytes: "bigint",
  start: "bigint",
  end: "bigint",
  tcp_flags: "int",
  traffic_path: "int",
};
export function flowLogColumns(fields: readonly string[]): Column[] {
  return fields.map((f) => {
    const name = f.replace(/-/g, "_");
    return { name, type: FLOW_LOG_TYPES[name] ?? "string" };
  });
}

/**
 * Flow logs delivered by addFlowLogs (Parquet, Hive-compatible, per hour) to
 * `flow-logs/AWSLogs/aws-account-id=<account>/aws-service=vpcflowlogs/aws-region=<region>/year=/month=/day=/hour=/`
 * (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3.html#flow-logs-s3-path). Account and region are
 * fixed for this stack's flow logs, so only the date parts are partitions.
 */
export function flowLogsTable(a: { bucket: string; account: string; region: string; fields: readonly string[] }): TableSpec {
  const base = `s3://${a.bucket}/${SEARCH_PREFIXES.flowLogs}AWSLogs/aws-account-id=${a.account}/aws-service=vpcflowlogs/aws-region=${a.region}/`;
  return {
    name: TABLE_NAMES.flowLogs,
    description: "cn-log-backup: VPC flow logs of this stack (Parquet, Hive partitions per hour, partition projection)",
    location: base,
    columns: flowLogColumns(a.fields),
    partitionKeys: HOURLY_KEYS,
    projections: hourlyIntegerProjections(),
    locationTemplate: base + HIVE_HOURLY,
    inputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
    outputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
    serde: { library: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe" },
    parameters: { classification: "parquet" },
  };
}

/**
 * CloudTrail's columns as AWS's Athena DDL declares them (lower case; the JSON SerDe matches keys
 * case-insensitively). https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table-partition-projection.html
 */
export const CLOUDTRAIL_COLUMNS: readonly Column[] = [
  { name: "eventversion", type: "string" },
  {
    name: "useridentity",
    type:
      "struct<type:string,principalid:string,arn:string,accountid:string,invokedby:string,accesskeyid:string,username:string," +
      "onbehalfof:struct<userid:string,identitystorearn:string>," +
      "sessioncontext:struct<attributes:struct<mfaauthenticated:string,creationdate:string>," +
      "sessionissuer:struct<type:string,principalid:string,arn:string,accountid:string,username:string>,ec2roledelivery:string," +
      "webidfederationdata:struct<federatedprovider:string,attributes:map<string,string>>>>",
  },
  ...[
    "eventtime",
    "eventsource",
    "eventname",
    "awsregion",
    "sourceipaddress",
    "useragent",
    "errorcode",
    "errormessage",
    "requestparameters",
    "responseelements",
    "additionaleventdata",
    "requestid",
    "eventid",
    "readonly",
  ].map((name) => ({ name, type: "string" })),
  { name: "resources", type: "array<struct<arn:string,accountid:string,type:string>>" },
  ...["eventtype", "apiversion", "recipientaccountid", "serviceeventdetails", "sharedeventid", "vpcendpointid"].map((name) => ({ name, type: "string" })),
  { name: "tlsdetails", type: "struct<tlsversion:string,ciphersuite:string,clientprovidedhostheader:string>" },
];

/**
 * The trail's log files, `cloudtrail/AWSLogs/<account>/CloudTrail/<region>/<yyyy>/<mm>/<dd>/`
 * (the trail's s3KeyPrefix "cloudtrail"; https://docs.aws.amazon.com/awscloudtrail/latest/userguide/get-and-view-cloudtrail-log-files.html),
 * read with the SerDe and input format AWS's Athena page documents (JsonSerDe over
 * CloudTrailInputFormat, which unpacks the `Records` array), projected by region and day.
 */
export function cloudTrailTable(a: { bucket: string; account: string; regions: readonly string[] }): TableSpec {
  const base = `s3://${a.bucket}/${SEARCH_PREFIXES.cloudTrail}AWSLogs/${a.account}/CloudTrail/`;
  return {
    name: TABLE_NAMES.cloudTrail,
    description: "cn-log-backup: CloudTrail management events of the trail (partition projection by region and day)",
    location: base,
    columns: CLOUDTRAIL_COLUMNS,
    partitionKeys: [
      { name: "region", type: "string" },
      { name: "event_date", type: "string" },
    ],
    projections: {
      region: { type: "enum", values: a.regions },
      event_date: { type: "date", format: "yyyy/MM/dd", range: [`${PROJECTION_START_YEAR}/01/01`, "NOW"], interval: 1, unit: "DAYS" },
    },
    locationTemplate: base + "${region}/${event_date}/",
    inputFormat: "com.amazon.emr.cloudtrail.CloudTrailInputFormat",
    outputFormat: TEXT_OUTPUT,
    serde: { library: "org.apache.hive.hcatalog.data.JsonSerDe" },
    parameters: { classification: "cloudtrail" },
  };
}

/**
 * Aurora MySQL advanced-auditing records, in the field order AWS documents (timestamp in Unix
 * microseconds, serverhost, username, host, connectionid, queryid, operation, database, object,
 * retcode, and since Aurora MySQL 3 connection_type), comma-separated, the query text quoted with
 * single quotes: https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Auditing.html
 * (China: https://docs.amazonaws.cn/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Auditing.html).
 * Renamed where the name is an SQL keyword: timestamp -> event_timestamp, database -> dbname.
 * OpenCSVSerDe reads every column as a string; the queries cast.
 */
export const AUDIT_LOG_COLUMNS: readonly Column[] = [
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
].map((name) => ({ name, type: "string" }));

/**
 * AuditLogPipeline's files, `audit-logs/<instance>/<log file name>` (functions/audit-log/common.ts
 * objectKeyFor). The date is only in the file name, never a key segment, so no projection can
 * prune: a query reads every audit file (README: cost). The instance is in the `"$path"` column.
 */
export function auditLogsTable(a: { bucket: string }): TableSpec {
  return {
    name: TABLE_NAMES.auditLogs,
    description: "cn-log-backup: Aurora MySQL audit logs (advanced auditing CSV records; instance in $path)",
    location: `s3://${a.bucket}/${SEARCH_PREFIXES.auditLogs}`,
    columns: AUDIT_LOG_COLUMNS,
    partitionKeys: [],
    projections: {},
    inputFormat: TEXT_INPUT,
    outputFormat: TEXT_OUTPUT,
    // https://docs.aws.amazon.com/athena/latest/ug/csv-serde.html
    serde: { library: "org.apache.hadoop.hive.serde2.OpenCSVSerde", parameters: { separatorChar: ",", quoteChar: "'", escapeChar: "\\" } },
    parameters: { classification: "csv" },
  };
}

/**
 * CloudWatch Logs records Firehose writes to `cloudwatch/logs/year=/month=/day=/hour=/` (the
 * delivery stream's prefix in infra/log-archive.ts). Without decompression each record is the
 * subscription's gzip JSON envelope (messageType, owner, logGroup, logStream, subscriptionFilters,
 * logEvents[]: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html#FirehoseExample);
 * with decompression and message extraction only the log messages. Firehose puts no delimiter
 * between records (https://docs.aws.amazon.com/firehose/latest/APIReference/API_Processor.html,
 * AppendDelimiterToRecord), so a line may hold several records: README says what that costs.
 */
export function firehoseTable(a: { bucket: string; decompressed: boolean }): TableSpec {
  const base = `s3://${a.bucket}/${SEARCH_PREFIXES.firehose}`;
  const common = {
    name: TABLE_NAMES.firehose,
    location: base,
    partitionKeys: HOURLY_KEYS,
    projections: hourlyIntegerProjections(),
    locationTemplate: base + HIVE_HOURLY,
    inputFormat: TEXT_INPUT,
    outputFormat: TEXT_OUTPUT,
  };
  if (a.decompressed) {
    return {
      ...common,
      description: "cn-log-backup: CloudWatch Logs messages delivered by Firehose (decompressed, messages extracted)",
      columns: [{ name: "message", type: "string" }],
      // One column, no field splitting: a delimiter that log text does not carry.
      serde: { library: "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe", parameters: { "field.delim": "\u0001" } },
    };
  }
  return {
    ...common,
    description: "cn-log-backup: CloudWatch Logs subscription records delivered by Firehose (gzip JSON envelopes)",
    columns: [
      { name: "messagetype", type: "string" },
      { name: "owner", type: "string" },
      { name: "loggroup", type: "string" },
      { name: "logstream", type: "string" },
      { name: "subscriptionfilters", type: "array<string>" },
      { name: "logevents", type: "array<struct<id:string,timestamp:bigint,message:string>>" },
    ],
    // https://docs.aws.amazon.com/athena/latest/ug/openx-json-serde.html
    serde: { library: "org.openx.data.jsonserde.JsonSerDe", parameters: { "ignore.malformed.json": "true" } },
    parameters: { classification: "json" },
  };
}

/**
 * Export tasks' objects, `exports/<log group>/<yyyy>/<mm>/<dd>/<hh>/<task id>/<log stream>/000000.gz`
 * (functions/log-archive/export-tasks.ts exportDestinationPrefix, then CloudWatch Logs' own
 * `<task id>/<stream>/` layout: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/S3ExportTasks.html),
 * gzip text lines `<ISO-8601 timestamp> <message>`. The log group is injected (a query names it),
 * the hour is projected.
 */
export function exportsTable(a: { bucket: string }): TableSpec {
  const base = `s3://${a.bucket}/${SEARCH_PREFIXES.exports}`;
  return {
    name: TABLE_NAMES.exports,
    description: "cn-log-backup: CloudWatch Logs export-task objects (timestamp and message per line)",
    location: base,
    columns: [
      { name: "event_time", type: "string" },
      { name: "message", type: "string" },
    ],
    partitionKeys: [
      { name: "log_group", type: "string" },
      { name: "event_hour", type: "string" },
    ],
    projections: {
      log_group: { type: "injected" },
      event_hour: { type: "date", format: "yyyy/MM/dd/HH", range: [`${PROJECTION_START_YEAR}/01/01/00`, "NOW"], interval: 1, unit: "HOURS" },
    },
    locationTemplate: base + "${log_group}/${event_hour}/",
    inputFormat: TEXT_INPUT,
    outputFormat: TEXT_OUTPUT,
    // https://docs.aws.amazon.com/athena/latest/ug/regex-serde.html
    serde: { library: "org.apache.hadoop.hive.serde2.RegexSerDe", parameters: { "input.regex": "^(\\S+) (.*)$" } },
  };
}

/** The table parameters Glue stores: EXTERNAL, the spec's own, and the projection keys. */
export function tableParameters(spec: TableSpec): Record<string, string> {
  const p: Record<string, string> = { EXTERNAL: "TRUE", ...(spec.parameters ?? {}) };
  const keys = Object.keys(spec.projections);
  if (keys.length === 0) return p;
  p["projection.enabled"] = "true";
  for (const col of keys) {
    const pr = spec.projections[col];
    p[`projection.${col}.type`] = pr.type;
    if (pr.type === "enum") p[`projection.${col}.values`] = pr.values.join(",");
    if (pr.type === "integer") {
      p[`projection.${col}.range`] = pr.range.join(",");
      if (pr.digits) p[`projection.${col}.digits`] = String(pr.digits);
    }
    if (pr.type === "date") {
      p[`projection.${col}.format`] = pr.format;
      p[`projection.${col}.range`] = pr.range.join(",");
      p[`projection.${col}.interval`] = String(pr.interval);
      p[`projection.${col}.interval.unit`] = pr.unit;
    }
  }
  if (spec.locationTemplate) p["storage.location.template"] = spec.locationTemplate;
  return p;
}
