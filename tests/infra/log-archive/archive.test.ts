/** The archive (infra/log-archive/archive.ts) under the aws-cn mocks, through the real stacks: key, bucket, lifecycle, bucket policy, outputs. */
import { ACCOUNT_ID, policyOf } from "../../helpers/pulumi";
import type { StackRun } from "../../../tools/harness";
import { byName, stmt, primaryStacks } from "./helpers";

describe("LogArchive, primary role (Beijing archive)", () => {
  let run: StackRun;
  beforeAll(async () => {
    ({ run } = await primaryStacks());
  });
  const key = () => byName(run, "aws:kms/key:Key", "log-archive-archive-key");
  const bucket = () => byName(run, "aws:s3/bucket:Bucket", "log-archive-archive");

  test("nothing in the stack carries an arn:aws: ARN or lives outside the China regions", () => {
    for (const r of run.resources) {
      expect(JSON.stringify(r.inputs)).not.toMatch(/arn:aws:/);
      if (r.region) expect(["cn-north-1", "cn-northwest-1"]).toContain(r.region);
    }
  });

  test("archive key: regional logs principal by log-group context, delivery.logs and CloudTrail scoped by source", () => {
    const k = key();
    expect(k.inputs.enableKeyRotation).toBe(true);
    expect(stmt(k, "CloudWatchLogsEncryptsThisAccountsLogGroups")).toMatchObject({
      Principal: { Service: "logs.cn-north-1.amazonaws.com.cn" },
      Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws-cn:logs:cn-north-1:${ACCOUNT_ID}:log-group:*` } },
    });
    expect(stmt(k, "FlowLogsDeliveryEncrypts")).toMatchObject({
      Principal: { Service: "delivery.logs.amazonaws.com" },
      Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID }, ArnLike: { "aws:SourceArn": `arn:aws-cn:logs:cn-north-1:${ACCOUNT_ID}:*` } },
    });
    expect(stmt(k, "CloudTrailEncryptsItsTrail")).toEqual({
      Sid: "CloudTrailEncryptsItsTrail",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: ["kms:GenerateDataKey*"],
      Resource: "*",
      Condition: {
        StringEquals: { "aws:SourceArn": `arn:aws-cn:cloudtrail:cn-north-1:${ACCOUNT_ID}:trail/cn-log-backup-cn-north-1` },
        StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws-cn:cloudtrail:*:${ACCOUNT_ID}:trail/*` },
      },
    });
    // Export-task grants only exist in exportTask mode.
    expect(policyOf(k).Statement.map((x: any) => x.Sid)).not.toContain("CloudWatchLogsExportsIntoTheArchive");
  });

  test("archive bucket protections: SSE-KMS (own key, bucket key), versioning, public access block, owner enforced", () => {
    const b = bucket();
    expect(
      byName(run, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "log-archive-archive-sse").inputs.rules,
    ).toEqual([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key().state.arn }, bucketKeyEnabled: true }]);
    expect(byName(run, "aws:s3/bucketVersioning:BucketVersioning", "log-archive-archive-versioning").inputs).toMatchObject({
      bucket: b.state.bucket,
      versioningConfiguration: { status: "Enabled" },
    });
    const pab = byName(run, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "log-archive-archive-public-access-block").inputs;
    expect([pab.blockPublicAcls, pab.blockPublicPolicy, pab.ignorePublicAcls, pab.restrictPublicBuckets]).toEqual([true, true, true, true]);
    expect(byName(run, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", "log-archive-archive-ownership").inputs.rule).toEqual({
      objectOwnership: "BucketOwnerEnforced",
    });
  });

  test("lifecycle per prefix with overrides, state/ never expires, multipart uploads aborted", () => {
    const rules: any[] = byName(run, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "log-archive-archive-lifecycle").inputs.rules;
    const byPrefix = Object.fromEntries(rules.filter((r) => r.filter.prefix).map((r) => [r.filter.prefix, r]));
    expect(Object.keys(byPrefix).sort()).toEqual([
      "athena-results/",
      "audit-logs/",
      "backup-reports/",
      "cloudtrail/",
      "cloudwatch/",
      "exports/",
      "flow-logs/",
      "inventory/",
      "reports/",
      "state/",
    ]);
    expect(byPrefix["cloudwatch/"].expiration).toEqual({ days: 400 });
    expect(byPrefix["audit-logs/"].expiration).toEqual({ days: 400 });
    expect(byPrefix["exports/"].expiration).toEqual({ days: 400 });
    expect(byPrefix["flow-logs/"].expiration).toEqual({ days: 200 });
    expect(byPrefix["cloudtrail/"].expiration).toEqual({ days: 2000 });
    expect(byPrefix["cloudwatch/"].transitions).toEqual([
      { days: 30, storageClass: "STANDARD_IA" },
      { days: 90, storageClass: "GLACIER" },
    ]);
    expect(byPrefix["cloudwatch/"].noncurrentVersionExpiration).toEqual({ noncurrentDays: 90 });
    expect(byPrefix["state/"].expiration).toBeUndefined();
    expect(byPrefix["state/"].transitions).toBeUndefined();
    expect(rules.find((r) => r.id === "abort-incomplete-multipart-uploads")).toEqual({
      id: "abort-incomplete-multipart-uploads",
      status: "Enabled",
      filter: { prefix: "" },
      abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
    });
  });

  test("bucket policy: TLS only; delivery.logs only with aws:SourceAccount and aws:SourceArn; CloudTrail only for its trail", () => {
    const p = byName(run, "aws:s3/bucketPolicy:BucketPolicy", "log-archive-archive-policy");
    const arn = bucket().state.arn;
    expect(stmt(p, "DenyInsecureTransport")).toMatchObject({
      Effect: "Deny",
      Resource: [arn, `${arn}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    expect(stmt(p, "FlowLogsDeliveryWrites")).toEqual({
      Sid: "FlowLogsDeliveryWrites",
      Effect: "Allow",
      Principal: { Service: "delivery.logs.amazonaws.com" },
      Action: ["s3:PutObject"],
      Resource: [`${arn}/flow-logs/AWSLogs/aws-account-id=${ACCOUNT_ID}/*`],
      Condition: {
        StringEquals: { "aws:SourceAccount": ACCOUNT_ID, "s3:x-amz-acl": "bucket-owner-full-control" },
        ArnLike: { "aws:SourceArn": `arn:aws-cn:logs:cn-north-1:${ACCOUNT_ID}:*` },
      },
    });
    expect(stmt(p, "FlowLogsDeliveryChecksBucket")).toMatchObject({
      Action: ["s3:GetBucketAcl", "s3:ListBucket"],
      Resource: [arn],
      Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID }, ArnLike: { "aws:SourceArn": `arn:aws-cn:logs:cn-north-1:${ACCOUNT_ID}:*` } },
    });
    expect(stmt(p, "CloudTrailWrites")).toMatchObject({
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Resource: [`${arn}/cloudtrail/AWSLogs/${ACCOUNT_ID}/*`],
      Condition: { StringEquals: { "aws:SourceArn": `arn:aws-cn:cloudtrail:cn-north-1:${ACCOUNT_ID}:trail/cn-log-backup-cn-north-1` } },
    });
    // Every Allow to a service principal carries a source condition.
    for (const s of policyOf(p).Statement.filter((x: any) => x.Effect === "Allow")) {
      expect(Object.keys(Object.assign({}, ...Object.values(s.Condition ?? {})))).toEqual(expect.arrayContaining(["aws:SourceArn"]));
    }
    // No export-task grant in firehose mode.
    expect(policyOf(p).Statement.some((x: any) => x.Sid === "CloudWatchLogsExportWrites")).toBe(false);
  });

  test("outputs for the other components", () => {
    expect(run.outputs.logArchiveBucketName).toBe(bucket().state.bucket);
    expect(run.outputs.logArchiveBucketArn).toBe(bucket().state.arn);
    expect(run.outputs.logArchiveKeyArn).toBe(key().state.arn);
  });
});
