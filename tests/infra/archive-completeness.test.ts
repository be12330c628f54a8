/**
 * ArchiveCompleteness in the backup stack (logArchive.completeness): the workgroup's enforced,
 * encrypted result location and cutoff, the Glue tables over both inventories in Ningxia, the
 * reporter's environment read back by the function's own parser, and the alarms to the stack's
 * topic. What the reporters' roles may do, in the IAM simulator: tests/iam/archive-completeness.test.ts.
 */
import { ACCOUNT_ID, one, ofType, runStack } from "../helpers/pulumi";
import type { StackRun } from "../../tools/harness";
import { settingsFromEnv } from "../../functions/log-archive/completeness";
import { INVENTORY_COLUMNS } from "../../infra/inventory-table";
import { auditReportSettingsFromEnv } from "../../functions/audit-log/completeness-report";

describe("ArchiveCompleteness (backup stack, Ningxia)", () => {
  let run: StackRun;
  let replica: string;
  let keyArn: string;
  beforeAll(async () => {
    run = await runStack("cn-northwest-1", { config: { logArchive: { inventory: true, completeness: true, athenaBytesScannedCutoffMb: 2048 } } });
    const bucket = one(run, "aws:s3/bucket:Bucket", "log-archive-replica");
    replica = bucket.state.bucket;
    keyArn = one(run, "aws:kms/key:Key", "log-archive-replica-key").state.arn;
  }, 300000);

  test("off by default: no Athena, Glue or reporter in either stack", async () => {
    for (const stack of ["cn-northwest-1", "cn-north-1"]) {
      const plain = await runStack(stack, { config: { logArchive: { inventory: true } } });
      expect(plain.resources.filter((r) => /athena|glue/.test(r.type) || r.type === "cn-log-backup:index:ArchiveCompleteness")).toEqual([]);
    }
  }, 300000);

  test("the workgroup enforces SSE_KMS results with the replica key under athena-results/ and the configured cutoff", () => {
    const wg = one(run, "aws:athena/workgroup:Workgroup", "archive-completeness-workgroup");
    expect(wg.inputs.configuration).toMatchObject({
      enforceWorkgroupConfiguration: true,
      publishCloudwatchMetricsEnabled: true,
      bytesScannedCutoffPerQuery: 2048 * 1024 * 1024,
      resultConfiguration: {
        outputLocation: `s3://${replica}/athena-results/`,
        expectedBucketOwner: ACCOUNT_ID,
        encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: keyArn },
      },
    });
    const db = one(run, "aws:glue/catalogDatabase:CatalogDatabase", "archive-completeness-database");
    expect(db.inputs.catalogId).toBe(ACCOUNT_ID);
  });

  test("both tables read Ningxia objects only: the rewritten archive symlinks and the replica's own hive/", () => {
    const src = one(run, "aws:glue/catalogTable:CatalogTable", "archive-completeness-archive-inventory");
    const dst = one(run, "aws:glue/catalogTable:CatalogTable", "archive-completeness-replica-inventory");
    expect(src.inputs.storageDescriptor.location).toBe(`s3://${replica}/reports/completeness/source-inventory/`);
    expect(dst.inputs.storageDescriptor.location).toBe(`s3://${replica}/inventory/${replica}/completeness/hive/`);
    for (const t of [src, dst]) {
      expect(t.inputs.partitionKeys).toEqual([{ name: "dt", type: "string" }]);
      expect(t.inputs.storageDescriptor).toMatchObject({
        inputFormat: "org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat",
        serDeInfo: { serializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe" },
      });
      expect(t.inputs.storageDescriptor.columns.map((c: any) => c.name)).toEqual(INVENTORY_COLUMNS.map((c) => c.name));
    }
  });

  test("the function's environment is what its parser needs", () => {
    const fn = ofType(run, "aws:lambda/function:Function").find((f) => f.name.includes("archive-completeness-reporter"))!;
    const s = settingsFromEnv(fn.inputs.environment.variables);
    expect(s).toMatchObject({ replicaBucket: replica, kmsKeyArn: keyArn, inventoryPrefix: "inventory", inventoryConfigId: "completeness", graceHours: 24 });
    expect(s.athena.maxWaitMs * 4).toBeLessThan(fn.inputs.timeout * 1000);
    expect(fn.inputs).toMatchObject({ runtime: "nodejs22.x", architectures: ["arm64"] });
  });

  test("alarms on either metric above 0, and on a failed report, to the stack's notification topic", () => {
    const topic = one(run, "aws:sns/topic:Topic", "backup-events-alerts").state.arn;
    const alarms = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.name.startsWith("archive-completeness-"));
    const byMetric = Object.fromEntries(alarms.filter((a) => a.inputs.metricName).map((a) => [a.inputs.metricName, a.inputs]));
    for (const m of ["ObjectsMissingInReplica", "ReplicationFailedObjects"]) {
      expect(byMetric[m]).toMatchObject({
        namespace: "cn-log-backup/Completeness",
        dimensions: { Bucket: replica },
        threshold: 0,
        comparisonOperator: "GreaterThanThreshold",
        alarmActions: [topic],
      });
    }
    const failed = alarms.find((a) => a.name.endsWith("report-failed"))!;
    expect(failed.inputs.alarmActions).toEqual([topic]);
  });
});

describe("AuditLogCompleteness (primary stack, with the audit-log pipeline)", () => {
  let run: StackRun;
  beforeAll(async () => {
    run = await runStack("cn-north-1", { config: { logArchive: { inventory: true, completeness: true }, auditLogPipeline: { enabled: true } } });
  }, 300000);
  const archive = () => one(run, "aws:s3/bucket:Bucket", "log-archive-archive");
  const archiveKey = () => one(run, "aws:kms/key:Key", "log-archive-archive-key");
  const table = () => one(run, "aws:dynamodb/table:Table", "audit-log-files");
  test("its environment names the pipeline's table and the archive", () => {
    const fn = ofType(run, "aws:lambda/function:Function").find((f) => f.name.includes("audit-log-completeness-reporter"))!;
    const s = auditReportSettingsFromEnv(fn.inputs.environment.variables);
    expect(s).toMatchObject({ tableName: table().state.name, bucket: archive().state.bucket, kmsKeyArn: archiveKey().state.arn, graceHours: 24 });
  });

  test("not built without the completeness flag", async () => {
    const plain = await runStack("cn-north-1", { config: { logArchive: { inventory: true }, auditLogPipeline: { enabled: true } } });
    expect(plain.resources.filter((r) => r.type === "cn-log-backup:index:AuditLogCompleteness")).toEqual([]);
  }, 300000);
});
