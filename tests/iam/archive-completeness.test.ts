/**
 * IAM simulation (aws-cn) of the completeness reporters' roles, with AWS's action catalogue: the
 * archive reporter in Ningxia (logArchive.completeness) and the audit-log reporter in Beijing (with
 * the audit-log pipeline). Each may read and write its own prefixes, use its key only through S3
 * and query or partition only its own workgroup and tables. Their stack resources (workgroup,
 * tables, environment, alarms) are tested in tests/infra/archive-completeness.test.ts.
 */
import { ACCOUNT_ID, one, ofType, runStack } from "../helpers/pulumi";
import { simulateAsRole } from "../helpers/iam-sim";
import type { StackRun } from "../../tools/harness";

describe("ArchiveCompleteness (backup stack, Ningxia)", () => {
  let run: StackRun;
  let replicaArn: string;
  let keyArn: string;
  beforeAll(async () => {
    run = await runStack("cn-northwest-1", { config: { logArchive: { inventory: true, completeness: true, athenaBytesScannedCutoffMb: 2048 } } });
    replicaArn = one(run, "aws:s3/bucket:Bucket", "log-archive-replica").state.arn;
    keyArn = one(run, "aws:kms/key:Key", "log-archive-replica-key").state.arn;
  }, 300000);

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
});
