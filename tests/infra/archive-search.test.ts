/**
 * Archive search in the stack (logArchive.archiveSearch): each Glue table reads the prefix the
 * program's own writer uses (Flow Logs destination, trail prefix, Firehose prefix, export-task
 * prefix, AuditLogPipeline's key layout), the named queries are the SQL constants in the
 * workgroup, and the auditor policy grants exactly the prefixes, key, tables and workgroup.
 */
import { ACCOUNT_ID, one, ofType, policyOf, runStack } from "../helpers/pulumi";
import type { StackRun } from "../../tools/harness";
import { ALL_OPTIONS, runVariant, variant } from "../../tools/variants";
import { FLOW_LOG_FIELDS } from "../../infra/log-archive";
import { exportDestinationPrefix } from "../../functions/log-archive/export-tasks";
import { objectKeyFor } from "../../functions/audit-log/common";
import { NAMED_QUERIES } from "../../infra/archive-search/queries";
import { ATHENA_QUERY_ACTIONS, GLUE_READ_ACTIONS } from "../../infra/archive-search/policy";
import { TableSpec, flowLogColumns } from "../../infra/archive-search/tables";
import { partitionValues } from "../helpers/athena-projection";

const TABLE = "aws:glue/catalogTable:CatalogTable";
const QUERY = "aws:athena/namedQuery:NamedQuery";

/** The table record back as a TableSpec-shaped object (what Glue stores). */
function specOf(run: StackRun, suffix: string): TableSpec & { parameters: Record<string, string> } {
  const t = one(run, TABLE, suffix).inputs;
  const params: Record<string, string> = t.parameters;
  const projections: Record<string, any> = {};
  for (const k of t.partitionKeys ?? []) {
    const type = params[`projection.${k.name}.type`];
    const p: any = { type };
    if (type === "enum") p.values = params[`projection.${k.name}.values`].split(",");
    if (type === "integer") {
      p.range = params[`projection.${k.name}.range`].split(",").map(Number);
      if (params[`projection.${k.name}.digits`]) p.digits = Number(params[`projection.${k.name}.digits`]);
    }
    if (type === "date") {
      p.format = params[`projection.${k.name}.format`];
      p.range = params[`projection.${k.name}.range`].split(",");
    }
    projections[k.name] = p;
  }
  return {
    name: t.name,
    description: t.description,
    location: t.storageDescriptor.location,
    columns: t.storageDescriptor.columns,
    partitionKeys: t.partitionKeys ?? [],
    projections,
    locationTemplate: params["storage.location.template"],
    inputFormat: t.storageDescriptor.inputFormat,
    outputFormat: t.storageDescriptor.outputFormat,
    serde: { library: t.storageDescriptor.serDeInfo.serializationLibrary, parameters: t.storageDescriptor.serDeInfo.parameters },
    parameters: params,
  };
}

describe("archive search, every option on (primary, Beijing)", () => {
  let run: StackRun;
  let bucket: string;
  beforeAll(async () => {
    run = await runVariant("cn-north-1", variant(ALL_OPTIONS));
    bucket = one(run, "aws:s3/bucket:Bucket", "log-archive-archive").state.bucket;
  }, 300000);

  test("the tables go into the given database, one per source of this layout", () => {
    const db = one(run, "aws:glue/catalogDatabase:CatalogDatabase", "archive-search-database").inputs.name;
    const tables = ofType(run, TABLE);
    expect(tables.map((t) => t.inputs.name).sort()).toEqual(["aurora_audit_logs", "cloudtrail", "cloudwatch_logs_firehose", "vpc_flow_logs"]);
    for (const t of tables) {
      expect(t.inputs.databaseName).toBe(db);
      expect(t.inputs.tableType).toBe("EXTERNAL_TABLE");
      expect(t.parent).toContain("LogArchive");
    }
  });

  test("flow logs: the table reads where the Flow Logs resource delivers (Parquet, Hive, per hour) with the fields it records", () => {
    const fl = ofType(run, "aws:ec2/flowLog:FlowLog")[0].inputs;
    expect(fl.logDestination).toBe(`arn:aws-cn:s3:::${bucket}/flow-logs/`);
    expect(fl.destinationOptions).toEqual({ fileFormat: "parquet", hiveCompatiblePartitions: true, perHourPartition: true });
    const s = specOf(run, "table-vpc-flow-logs");
    // AWS's Hive-compatible layout under the destination: AWSLogs/aws-account-id=/aws-service=vpcflowlogs/aws-region=/year=/month=/day=/hour=/
    // (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3.html#flow-logs-s3-path).
    const dest = `s3://${bucket}/flow-logs/`;
    expect(s.location).toBe(`${dest}AWSLogs/aws-account-id=${ACCOUNT_ID}/aws-service=vpcflowlogs/aws-region=cn-north-1/`);
    expect(s.locationTemplate).toBe(`${s.location}year=\${year}/month=\${month}/day=\${day}/hour=\${hour}/`);
    const key = `AWSLogs/aws-account-id=${ACCOUNT_ID}/aws-service=vpcflowlogs/aws-region=cn-north-1/year=2026/month=12/day=01/hour=09/${ACCOUNT_ID}_vpcflowlogs_cn-north-1_fl-0123456789abcdef0_20261201T0900Z_4a5b6c7d.log.parquet`;
    expect(partitionValues(s, dest + key)).toEqual({ year: "2026", month: "12", day: "01", hour: "09" });
    // The columns are the recorded fields (the format's ${field} list), in order.
    expect(fl.logFormat).toBe(FLOW_LOG_FIELDS.map((f) => "${" + f + "}").join(" "));
    expect(s.columns).toEqual(flowLogColumns(FLOW_LOG_FIELDS));
    expect(s.serde.library).toBe("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe");
  });

  test("CloudTrail: the table reads the trail's prefix for both China regions, projected by day", () => {
    const trail = ofType(run, "aws:cloudtrail/trail:Trail")[0].inputs;
    expect([trail.s3BucketName, trail.s3KeyPrefix, trail.isMultiRegionTrail]).toEqual([bucket, "cloudtrail", true]);
    const s = specOf(run, "table-cloudtrail");
    expect(s.location).toBe(`s3://${bucket}/cloudtrail/AWSLogs/${ACCOUNT_ID}/CloudTrail/`);
    expect(s.parameters["projection.region.values"]).toBe("cn-north-1,cn-northwest-1");
    // CloudTrail's key layout and file name (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/get-and-view-cloudtrail-log-files.html).
    const url = `s3://${bucket}/cloudtrail/AWSLogs/${ACCOUNT_ID}/CloudTrail/cn-northwest-1/2026/12/01/${ACCOUNT_ID}_CloudTrail_cn-northwest-1_20261201T0210Z_Mu0KsOhtH1ar15ZZ.json.gz`;
    expect(partitionValues(s, url)).toEqual({ region: "cn-northwest-1", event_date: "2026/12/01" });
    expect(partitionValues(s, url.replace("cn-northwest-1/", "us-east-1/"))).toBeUndefined();
    expect(s.inputFormat).toBe("com.amazon.emr.cloudtrail.CloudTrailInputFormat");
    expect(s.serde.library).toBe("org.apache.hive.hcatalog.data.JsonSerDe");
  });

  test("Firehose: the table's template is the delivery stream's own prefix, and it reads the decompressed messages", () => {
    const fh = one(run, "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "log-archive-cloudwatch").inputs.extendedS3Configuration;
    const s = specOf(run, "table-cloudwatch-logs-firehose");
    const asTemplate = fh.prefix.replace(
      /!\{timestamp:(yyyy|MM|dd|HH)\}/g,
      (_: string, f: string) => "${" + ({ yyyy: "year", MM: "month", dd: "day", HH: "hour" } as any)[f] + "}",
    );
    expect(s.locationTemplate).toBe(`s3://${bucket}/${asTemplate}`);
    expect(fh.processingConfiguration.enabled).toBe(true);
    expect(s.columns).toEqual([{ name: "message", type: "string" }]);
  });

  test("audit logs: the table reads audit-logs/ of the pipeline's own archive bucket, where objectKeyFor writes", () => {
    const s = specOf(run, "table-aurora-audit-logs");
    expect(s.location).toBe("s3://cn-log-backup-archive-example/audit-logs/");
    expect(`s3://cn-log-backup-archive-example/${objectKeyFor("orders-1", "audit/audit.log.0.2026-12-01-10-00.1")}`.startsWith(s.location)).toBe(true);
    expect(s.partitionKeys).toEqual([]);
    expect(s.parameters["projection.enabled"]).toBeUndefined();
    expect(s.serde).toEqual({ library: "org.apache.hadoop.hive.serde2.OpenCSVSerde", parameters: { separatorChar: ",", quoteChar: "'", escapeChar: "\\" } });
  });

  test("named queries: every question, its SQL constant, in the workgroup and database", () => {
    const wg = one(run, "aws:athena/workgroup:Workgroup", "archive-search-workgroup").inputs;
    const db = one(run, "aws:glue/catalogDatabase:CatalogDatabase", "archive-search-database").inputs.name;
    const queries = ofType(run, QUERY);
    expect(queries.map((q) => q.inputs.query).sort()).toEqual(NAMED_QUERIES.map((q) => q.sql).sort());
    for (const q of queries) expect([q.inputs.workgroup, q.inputs.database]).toEqual([wg.name, db]);
    // The workgroup of infra/archive-athena.ts: results SSE-KMS with the archive key, configuration enforced.
    const key = one(run, "aws:kms/key:Key", "log-archive-archive-key").state.arn;
    expect(wg.configuration.enforceWorkgroupConfiguration).toBe(true);
    expect(wg.configuration.resultConfiguration).toMatchObject({
      outputLocation: `s3://${bucket}/athena-results/`,
      encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: key },
    });
  });

  test("the auditor policy: read of the tables' prefixes, decrypt through S3 only, Glue reads of these tables, Athena in this workgroup", () => {
    const doc = policyOf(one(run, "aws:iam/policy:Policy", "archive-search-auditor-policy"));
    const by = Object.fromEntries((doc.Statement as any[]).map((s) => [s.Sid, s]));
    const arn = `arn:aws-cn:s3:::${bucket}`;
    const key = one(run, "aws:kms/key:Key", "log-archive-archive-key").state.arn;
    const db = one(run, "aws:glue/catalogDatabase:CatalogDatabase", "archive-search-database").inputs.name;
    const wg = one(run, "aws:athena/workgroup:Workgroup", "archive-search-workgroup").inputs.name;
    expect([...by.ReadArchivePrefixes.Resource].sort()).toEqual([`${arn}/cloudtrail/*`, `${arn}/cloudwatch/logs/*`, `${arn}/flow-logs/*`]);
    expect(by.ListArchivePrefixes.Condition).toEqual({ StringLike: { "s3:prefix": ["flow-logs/*", "cloudtrail/*", "cloudwatch/logs/*", "athena-results/*"] } });
    expect(by.WriteQueryResults.Resource).toEqual([`${arn}/athena-results/*`]);
    expect(by.DecryptArchiveViaS3).toEqual({
      Sid: "DecryptArchiveViaS3",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: [key],
      Condition: { StringEquals: { "kms:ViaService": "s3.cn-north-1.amazonaws.com.cn" }, ArnLike: { "kms:EncryptionContext:aws:s3:arn": [arn, `${arn}/*`] } },
    });
    expect(by.ReadAuditArchive.Resource).toEqual(["arn:aws-cn:s3:::cn-log-backup-archive-example/audit-logs/*"]);
    expect(by.DecryptAuditArchiveViaS3.Resource).toEqual(["arn:aws-cn:kms:cn-north-1:123456789012:key/00000000-0000-4000-8000-000000000000"]);
    expect(by.DecryptAuditArchiveViaS3.Condition.ArnLike).toEqual({
      "kms:EncryptionContext:aws:s3:arn": ["arn:aws-cn:s3:::cn-log-backup-archive-example", "arn:aws-cn:s3:::cn-log-backup-archive-example/*"],
    });
    const glue = `arn:aws-cn:glue:cn-north-1:${ACCOUNT_ID}`;
    expect(by.ReadSearchTables.Action).toEqual([...GLUE_READ_ACTIONS]);
    expect(by.ReadSearchTables.Resource).toEqual([
      `${glue}:catalog`,
      `${glue}:database/${db}`,
      ...["vpc_flow_logs", "cloudtrail", "aurora_audit_logs", "cloudwatch_logs_firehose"].map((t) => `${glue}:table/${db}/${t}`),
    ]);
    expect(by.QueryInTheWorkgroup).toEqual({
      Sid: "QueryInTheWorkgroup",
      Effect: "Allow",
      Action: [...ATHENA_QUERY_ACTIONS],
      Resource: [`arn:aws-cn:athena:cn-north-1:${ACCOUNT_ID}:workgroup/${wg}`],
    });
    expect(Object.keys(by).sort()).toEqual(
      [
        "DecryptArchiveViaS3",
        "DecryptAuditArchiveViaS3",
        "ListArchivePrefixes",
        "ListAuditArchive",
        "QueryInTheWorkgroup",
        "ReadArchivePrefixes",
        "ReadAuditArchive",
        "ReadSearchTables",
        "WriteQueryResults",
      ].sort(),
    );
  });
});

describe("archive search, exportTask mode and the pipeline in the archive bucket", () => {
  let run: StackRun;
  beforeAll(async () => {
    run = await runStack("cn-north-1", { config: { logArchive: { cloudWatchLogsMode: "exportTask", cloudTrailMultiRegion: false, archiveSearch: true } } });
  }, 300000);

  test("the export-task table's template holds what exportDestinationPrefix writes, the log group injected", () => {
    const bucket = one(run, "aws:s3/bucket:Bucket", "log-archive-archive").state.bucket;
    const s = specOf(run, "table-cloudwatch-logs-exports");
    const key = `${exportDestinationPrefix("exports/", "/aws/rds/cluster/orders/audit", Date.UTC(2026, 11, 1, 7))}/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/orders-1/000000.gz`;
    expect(partitionValues(s, `s3://${bucket}/${key}`)).toEqual({ log_group: "aws_rds_cluster_orders_audit", event_hour: "2026/12/01/07" });
    expect(s.parameters["projection.log_group.type"]).toBe("injected");
    expect(
      ofType(run, TABLE)
        .map((t) => t.inputs.name)
        .sort(),
    ).toEqual(["aurora_audit_logs", "cloudtrail", "cloudwatch_logs_exports", "vpc_flow_logs"]);
  });

  test("a single-region trail projects only Beijing; the pipeline's audit-logs/ is read in the archive bucket, no second bucket", () => {
    const bucket = one(run, "aws:s3/bucket:Bucket", "log-archive-archive").state.bucket;
    expect(specOf(run, "table-cloudtrail").parameters["projection.region.values"]).toBe("cn-north-1");
    expect(specOf(run, "table-aurora-audit-logs").location).toBe(`s3://${bucket}/audit-logs/`);
    const doc = policyOf(one(run, "aws:iam/policy:Policy", "archive-search-auditor-policy"));
    const sids = (doc.Statement as any[]).map((s) => s.Sid);
    expect(sids).not.toContain("ReadAuditArchive");
    expect((doc.Statement as any[]).find((s) => s.Sid === "ReadArchivePrefixes").Resource).toContain(`arn:aws-cn:s3:::${bucket}/audit-logs/*`);
  });
});

test("off by default: no table, query, workgroup or auditor policy in either stack", async () => {
  for (const stack of ["cn-north-1", "cn-northwest-1"]) {
    const run = await runStack(stack);
    for (const type of [TABLE, QUERY, "aws:athena/workgroup:Workgroup", "aws:glue/catalogDatabase:CatalogDatabase"])
      expect([stack, type, ofType(run, type).length]).toEqual([stack, type, 0]);
    expect(run.resources.filter((r) => r.name.includes("archive-search"))).toEqual([]);
  }
}, 300000);
