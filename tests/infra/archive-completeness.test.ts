/**
 * ArchiveCompleteness in the backup stack (logArchive.completeness): the workgroup's enforced,
 * encrypted result location and cutoff, the Glue tables over both inventories in Ningxia, the
 * reporter's least privilege judged by the IAM simulator with AWS's action catalogue, its
 * environment read back by the function's own parser, and the alarms to the stack's topic.
 */
import { ACCOUNT_ID, one, ofType, runStack } from "../helpers/pulumi";
import { simulateAsRole } from "../helpers/iam-sim";
import type { StackRun } from "../../tools/harness";
import { settingsFromEnv } from "../../functions/log-archive/completeness";
import { INVENTORY_COLUMNS } from "../../infra/inventory-table";
import { auditReportSettingsFromEnv } from "../../functions/audit-log/completeness-report";

describe("ArchiveCompleteness (backup stack, Ningxia)", () => {
  let run: StackRun;
  let replicaArn: string;
  let replica: string;
  let keyArn: string;
  beforeAll(async () => {
    run = await runStack("cn-northwest-1", { config: { logArchive: { inventory: true, completeness: true, athenaBytesScannedCutoffMb: 2048 } } });
    const bucket = one(run, "aws:s3/bucket:Bucket", "log-archive-replica");
    replicaArn = bucket.state.arn;
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

  describe("the reporter's role, in the IAM simulator", () => {
    const role = () => ofType(run, "aws:iam/role:Role").find((r) => r.name.includes("archive-completeness-reporter"))!;
    // Each request is judged with the resource's own policy too: the bucket policy (TLS-only, no
    // version deletes) for S3, the key policy (KMS needs it to admit IAM) for the key.
    const resourcePolicy = (resource: string) =>
      resource.startsWith("arn:aws-cn:s3:::")
        ? one(run, "aws:s3/bucketPolicy:BucketPolicy", "log-archive-replica-policy").inputs.policy
        : resource === keyArn
          ? one(run, "aws:kms/key:Key", "log-archive-replica-key").inputs.policy
          : undefined;
    const sim = (action: string, resource: string, context: Record<string, string> = {}) =>
      simulateAsRole(
        run.resources,
        role(),
        { action, resource, context: { "aws:SecureTransport": "true", ...context } },
        { resourcePolicy: resourcePolicy(resource) },
      ).then((r) => r.decision);
    const wgArn = () => one(run, "aws:athena/workgroup:Workgroup", "archive-completeness-workgroup").state.arn as string;

    test.each([
      ["s3:GetObject", "inventory/x/completeness/data/a.parquet"],
      ["s3:GetObject", "reports/completeness/source-inventory/dt=2026-12-01-01-00/symlink.txt"],
      ["s3:PutObject", "reports/completeness/2026-12-01.json"],
      ["s3:PutObject", "athena-results/q.csv"],
    ])("allowed: %s %s", async (action, key) => {
      expect(await sim(action, `${replicaArn}/${key}`)).toBe("Allowed");
    });

    test.each([
      ["s3:PutObject", "inventory/x/completeness/data/forged.parquet"],
      ["s3:PutObject", "cloudwatch/x.gz"],
      ["s3:GetObject", "cloudtrail/AWSLogs/x.json.gz"],
      ["s3:DeleteObject", "reports/completeness/2026-12-01.json"],
      ["s3:PutObjectAcl", "reports/completeness/2026-12-01.json"],
    ])("denied: %s %s", async (action, key) => {
      expect(await sim(action, `${replicaArn}/${key}`)).toBe("ImplicitlyDenied");
    });

    test("the replica key only through S3 in Ningxia; queries only in its workgroup; partitions only of its tables", async () => {
      expect(await sim("kms:Decrypt", keyArn, { "kms:ViaService": "s3.cn-northwest-1.amazonaws.com.cn" })).toBe("Allowed");
      expect(await sim("kms:Decrypt", keyArn, { "kms:ViaService": "s3.cn-north-1.amazonaws.com.cn" })).toBe("ImplicitlyDenied");
      expect(await sim("kms:Decrypt", keyArn)).toBe("ImplicitlyDenied");
      expect(await sim("athena:StartQueryExecution", wgArn())).toBe("Allowed");
      expect(await sim("athena:StartQueryExecution", wgArn().replace(/workgroup\/.*/, "workgroup/primary"))).toBe("ImplicitlyDenied");
      const glue = (r: string) => `arn:aws-cn:glue:cn-northwest-1:${ACCOUNT_ID}:${r}`;
      expect(await sim("glue:BatchCreatePartition", glue("table/cn_log_backup_completeness/archive_inventory"))).toBe("Allowed");
      expect(await sim("glue:BatchCreatePartition", glue("table/cn_log_backup_completeness/other"))).toBe("ImplicitlyDenied");
      expect(await sim("glue:DeleteTable", glue("table/cn_log_backup_completeness/archive_inventory"))).toBe("ImplicitlyDenied");
    });
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
  const role = () => ofType(run, "aws:iam/role:Role").find((r) => r.name.includes("audit-log-completeness-reporter"))!;
  const archive = () => one(run, "aws:s3/bucket:Bucket", "log-archive-archive");
  const archiveKey = () => one(run, "aws:kms/key:Key", "log-archive-archive-key");
  const table = () => one(run, "aws:dynamodb/table:Table", "audit-log-files");
  const sim = (action: string, resource: string, context: Record<string, string>, resourcePolicy?: any) =>
    simulateAsRole(run.resources, role(), { action, resource, context: { "aws:SecureTransport": "true", ...context } }, { resourcePolicy }).then(
      (r) => r.decision,
    );

  test("scans only the pipeline's table and writes only reports/completeness/audit-logs/, with the archive key through S3", async () => {
    const bucketPolicy = one(run, "aws:s3/bucketPolicy:BucketPolicy", "log-archive-archive-policy").inputs.policy;
    expect(await sim("dynamodb:Scan", table().state.arn, {})).toBe("Allowed");
    expect(await sim("dynamodb:PutItem", table().state.arn, {})).toBe("ImplicitlyDenied");
    expect(await sim("s3:PutObject", `${archive().state.arn}/reports/completeness/audit-logs/2026-12-01.json`, {}, bucketPolicy)).toBe("Allowed");
    expect(await sim("s3:PutObject", `${archive().state.arn}/reports/completeness/2026-12-01.json`, {}, bucketPolicy)).toBe("ImplicitlyDenied");
    expect(await sim("s3:PutObject", `${archive().state.arn}/audit-logs/db/forged.log`, {}, bucketPolicy)).toBe("ImplicitlyDenied");
    const keyPolicy = archiveKey().inputs.policy;
    expect(await sim("kms:GenerateDataKey", archiveKey().state.arn, { "kms:ViaService": "s3.cn-north-1.amazonaws.com.cn" }, keyPolicy)).toBe("Allowed");
    expect(await sim("kms:GenerateDataKey", archiveKey().state.arn, {}, keyPolicy)).toBe("ImplicitlyDenied");
  });

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
