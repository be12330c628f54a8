/**
 * LogArchive under the aws-cn mocks, both roles, through the real stacks (`runStack`): every
 * property the issue lists, with exact keys, principals, conditions, prefixes and days.
 */
import { ACCOUNT_ID, ofType, one, policyOf, runStack } from "../helpers/pulumi";
import type { StackRun } from "../../tools/harness";
import type { ResourceRecord } from "../../tools/types";
import { FLOW_LOG_FIELDS, SUBSCRIPTION_FILTER_NAME } from "../../infra/log-archive";
import { EXISTING_LOG_GROUPS } from "../../tools/mocks";

const REPLICATION_ROLE_ARN = `arn:aws-cn:iam::${ACCOUNT_ID}:role/cn-log-backup-archive-replication-cn-north-1`;
const ROOT = `arn:aws-cn:iam::${ACCOUNT_ID}:root`;

const stmt = (r: ResourceRecord, sid: string, key = "policy") => {
  const s = policyOf(r, key).Statement.find((x: any) => x.Sid === sid);
  if (!s) throw new Error(`${r.name}: no statement ${sid} in ${JSON.stringify(policyOf(r, key).Statement.map((x: any) => x.Sid))}`);
  return s;
};
const byName = (run: StackRun, type: string, name: string) => one(run, type, name);

describe("LogArchive, backup role (Ningxia replica)", () => {
  let run: StackRun;
  beforeAll(async () => {
    run = await runStack("cn-northwest-1");
  });

  test("replica key: rotation, account root, and the primary's replication role only via S3 in cn-northwest-1", () => {
    const key = byName(run, "aws:kms/key:Key", "log-archive-replica-key");
    expect(key.region).toBe("cn-northwest-1");
    expect(key.inputs.enableKeyRotation).toBe(true);
    expect(key.inputs.deletionWindowInDays).toBe(30);
    expect(stmt(key, "ReplicationRoleEncryptsReplicasViaS3")).toEqual({
      Sid: "ReplicationRoleEncryptsReplicasViaS3",
      Effect: "Allow",
      Principal: { AWS: ROOT },
      Action: ["kms:Encrypt", "kms:GenerateDataKey"],
      Resource: "*",
      Condition: {
        ArnEquals: { "aws:PrincipalArn": REPLICATION_ROLE_ARN },
        StringEquals: { "kms:ViaService": "s3.cn-northwest-1.amazonaws.com.cn" },
      },
    });
    expect(policyOf(key).Statement).toHaveLength(2);
  });

  test("replica bucket: SSE-KMS with its own key and bucket key, versioning, public access blocked, owner enforced", () => {
    const bucket = byName(run, "aws:s3/bucket:Bucket", "log-archive-replica");
    const key = byName(run, "aws:kms/key:Key", "log-archive-replica-key");
    const sse = byName(run, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "log-archive-replica-sse");
    expect(sse.inputs.bucket).toBe(bucket.state.bucket);
    expect(sse.inputs.rules).toEqual([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.state.arn }, bucketKeyEnabled: true }]);
    expect(byName(run, "aws:s3/bucketVersioning:BucketVersioning", "log-archive-replica-versioning").inputs.versioningConfiguration).toEqual({ status: "Enabled" });
    const pab = byName(run, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "log-archive-replica-public-access-block").inputs;
    expect([pab.blockPublicAcls, pab.blockPublicPolicy, pab.ignorePublicAcls, pab.restrictPublicBuckets]).toEqual([true, true, true, true]);
    expect(byName(run, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", "log-archive-replica-ownership").inputs.rule).toEqual({ objectOwnership: "BucketOwnerEnforced" });
    expect(bucket.inputs.objectLockEnabled).toBeUndefined();
    expect(ofType(run, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration")).toHaveLength(0);
  });

  test("replica bucket policy: TLS only, no version deletes, replication writes admitted by account + role ARN", () => {
    const bucket = byName(run, "aws:s3/bucket:Bucket", "log-archive-replica");
    const policy = byName(run, "aws:s3/bucketPolicy:BucketPolicy", "log-archive-replica-policy");
    const arn = bucket.state.arn;
    expect(stmt(policy, "DenyInsecureTransport")).toEqual({
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [arn, `${arn}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    expect(stmt(policy, "DenyDeletingObjectVersions")).toMatchObject({ Effect: "Deny", Principal: "*", Action: expect.arrayContaining(["s3:DeleteObjectVersion"]), Resource: [`${arn}/*`] });
    expect(stmt(policy, "ReplicationRoleWritesReplicas")).toEqual({
      Sid: "ReplicationRoleWritesReplicas",
      Effect: "Allow",
      Principal: { AWS: ROOT },
      Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"],
      Resource: [`${arn}/*`],
      Condition: { ArnEquals: { "aws:PrincipalArn": REPLICATION_ROLE_ARN } },
    });
    expect(stmt(policy, "ReplicationRoleChecksVersioning")).toMatchObject({ Resource: [arn], Condition: { ArnEquals: { "aws:PrincipalArn": REPLICATION_ROLE_ARN } } });
  });

  test("replica lifecycle: cheaper tiers, 730-day expiry (>= 180), noncurrent expiry, multipart abort", () => {
    const rules = byName(run, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "log-archive-replica-lifecycle").inputs.rules;
    const all = rules.find((r: any) => r.id === "all-objects");
    expect(all).toEqual({
      id: "all-objects",
      status: "Enabled",
      filter: { prefix: "" },
      transitions: [
        { days: 30, storageClass: "STANDARD_IA" },
        { days: 90, storageClass: "GLACIER" },
      ],
      expiration: { days: 730 },
      noncurrentVersionExpiration: { noncurrentDays: 90 },
    });
    expect(rules.find((r: any) => r.id === "abort-incomplete-multipart-uploads").abortIncompleteMultipartUpload).toEqual({ daysAfterInitiation: 7 });
    for (const r of rules) if (r.expiration?.days !== undefined) expect(r.expiration.days).toBeGreaterThanOrEqual(180);
  });

  test("exports the replica bucket and key ARNs for the primary", () => {
    expect(run.outputs.logArchiveReplicaBucketArn).toBe(byName(run, "aws:s3/bucket:Bucket", "log-archive-replica").state.arn);
    expect(run.outputs.logArchiveReplicaKeyArn).toMatch(/^arn:aws-cn:kms:cn-northwest-1:123456789012:key\//);
    expect(run.outputs.logArchiveReplicaBucketName).toBe(byName(run, "aws:s3/bucket:Bucket", "log-archive-replica").state.bucket);
  });

  test("optional Object Lock (COMPLIANCE, days) and a separate primary account", async () => {
    const other = "210987654321";
    const r = await runStack("cn-northwest-1", {
      config: { backupAccountId: ACCOUNT_ID, backupEvents: { primaryAccountId: other }, logArchive: { replicaRetentionDays: 730, objectLockMode: "COMPLIANCE", objectLockDays: 365, primaryAccountId: other } },
    });
    expect(byName(r, "aws:s3/bucket:Bucket", "log-archive-replica").inputs.objectLockEnabled).toBe(true);
    expect(byName(r, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", "log-archive-replica-object-lock").inputs.rule).toEqual({
      defaultRetention: { mode: "COMPLIANCE", days: 365 },
    });
    const policy = byName(r, "aws:s3/bucketPolicy:BucketPolicy", "log-archive-replica-policy");
    expect(stmt(policy, "ReplicationRoleWritesReplicas")).toMatchObject({
      Principal: { AWS: `arn:aws-cn:iam::${other}:root` },
      Condition: { ArnEquals: { "aws:PrincipalArn": `arn:aws-cn:iam::${other}:role/cn-log-backup-archive-replication-cn-north-1` } },
    });
    expect(stmt(byName(r, "aws:kms/key:Key", "log-archive-replica-key"), "ReplicationRoleEncryptsReplicasViaS3").Principal).toEqual({ AWS: `arn:aws-cn:iam::${other}:root` });
  });
});

describe("LogArchive, primary role (Beijing archive)", () => {
  let run: StackRun;
  let backup: StackRun;
  beforeAll(async () => {
    backup = await runStack("cn-northwest-1");
    run = await runStack("cn-north-1", {
      config: {
        logArchive: {
          archiveRetentionDays: 400,
          prefixRetentionDays: { "flow-logs": 200, cloudtrail: 2000 },
          logGroupPatterns: ["/aws/rds/cluster/", "/ec2/"],
          flowLogVpcIds: ["vpc-0123456789abcdef0", "vpc-89abcdef"],
          ec2LogFiles: [{ filePath: "/var/log/app/*.log", logGroupName: "/ec2/app" }],
          rdsLogGroups: [{ clusterName: "orders", logTypes: ["audit", "error"] }],
        },
      },
    });
  });
  const key = () => byName(run, "aws:kms/key:Key", "log-archive-archive-key");
  const bucket = () => byName(run, "aws:s3/bucket:Bucket", "log-archive-archive");
  const stream = () => byName(run, "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "log-archive-cloudwatch");
  const cwlRole = () => byName(run, "aws:iam/role:Role", "log-archive-cwl-role");

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
    expect(byName(run, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "log-archive-archive-sse").inputs.rules).toEqual([
      { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key().state.arn }, bucketKeyEnabled: true },
    ]);
    expect(byName(run, "aws:s3/bucketVersioning:BucketVersioning", "log-archive-archive-versioning").inputs).toMatchObject({ bucket: b.state.bucket, versioningConfiguration: { status: "Enabled" } });
    const pab = byName(run, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "log-archive-archive-public-access-block").inputs;
    expect([pab.blockPublicAcls, pab.blockPublicPolicy, pab.ignorePublicAcls, pab.restrictPublicBuckets]).toEqual([true, true, true, true]);
    expect(byName(run, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", "log-archive-archive-ownership").inputs.rule).toEqual({ objectOwnership: "BucketOwnerEnforced" });
  });

  test("lifecycle per prefix with overrides, state/ never expires, multipart uploads aborted", () => {
    const rules: any[] = byName(run, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "log-archive-archive-lifecycle").inputs.rules;
    const byPrefix = Object.fromEntries(rules.filter((r) => r.filter.prefix).map((r) => [r.filter.prefix, r]));
    expect(Object.keys(byPrefix).sort()).toEqual(["athena-results/", "audit-logs/", "backup-reports/", "cloudtrail/", "cloudwatch/", "exports/", "flow-logs/", "inventory/", "reports/", "state/"]);
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
    expect(stmt(p, "DenyInsecureTransport")).toMatchObject({ Effect: "Deny", Resource: [arn, `${arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } });
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

  test("replication: named least-privilege role, KMS re-encryption, delete markers, metrics, RTC off", () => {
    const role = byName(run, "aws:iam/role:Role", "log-archive-replication-role");
    expect(role.inputs.name).toBe("cn-log-backup-archive-replication-cn-north-1");
    expect(policyOf(role, "assumeRolePolicy").Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "s3.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID }, ArnLike: { "aws:SourceArn": bucket().state.arn } },
      },
    ]);
    const src = bucket().state.arn;
    const dst = backup.outputs.logArchiveReplicaBucketArn as string;
    const dstKey = backup.outputs.logArchiveReplicaKeyArn as string;
    const policy = policyOf(byName(run, "aws:iam/rolePolicy:RolePolicy", "log-archive-replication-policy")).Statement;
    expect(policy).toEqual([
      { Sid: "ReadSourceConfiguration", Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: [src] },
      { Sid: "ReadSourceVersions", Effect: "Allow", Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"], Resource: [`${src}/*`] },
      { Sid: "WriteReplicas", Effect: "Allow", Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], Resource: [`${dst}/*`] },
      {
        Sid: "DecryptSourceViaS3",
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: [key().state.arn],
        Condition: { StringEquals: { "kms:ViaService": "s3.cn-north-1.amazonaws.com.cn" }, ArnLike: { "kms:EncryptionContext:aws:s3:arn": [src, `${src}/*`] } },
      },
      {
        Sid: "EncryptReplicasViaS3",
        Effect: "Allow",
        Action: ["kms:Encrypt", "kms:GenerateDataKey"],
        Resource: [dstKey],
        Condition: { StringEquals: { "kms:ViaService": "s3.cn-northwest-1.amazonaws.com.cn" }, ArnLike: { "kms:EncryptionContext:aws:s3:arn": [dst, `${dst}/*`] } },
      },
    ]);
    const cfg = byName(run, "aws:s3/bucketReplicationConfig:BucketReplicationConfig", "log-archive-replication");
    expect(cfg.inputs.role).toBe(role.state.arn);
    expect(cfg.inputs.rules).toEqual([
      {
        id: "archive-to-backup-region",
        status: "Enabled",
        priority: 1,
        filter: { prefix: "" },
        deleteMarkerReplication: { status: "Enabled" },
        sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
        destination: {
          bucket: dst,
          storageClass: "STANDARD",
          encryptionConfiguration: { replicaKmsKeyId: dstKey },
          metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
        },
      },
    ]);
  });

  test("Firehose into cloudwatch/: KMS, compression, error prefix, buffering; its role scoped to the prefix", () => {
    const s = stream().inputs;
    expect(s.destination).toBe("extended_s3");
    expect(s.serverSideEncryption).toEqual({ enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: key().state.arn });
    const x = s.extendedS3Configuration;
    expect(x.bucketArn).toBe(bucket().state.arn);
    expect(x.kmsKeyArn).toBe(key().state.arn);
    expect(x.prefix).toBe("cloudwatch/logs/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/");
    expect(x.errorOutputPrefix).toBe("cloudwatch/errors/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/");
    expect([x.bufferingSize, x.bufferingInterval]).toEqual([5, 300]);
    // Records arrive gzip from CloudWatch Logs; without decompression they stay so (.gz objects).
    expect([x.compressionFormat, x.fileExtension]).toEqual(["UNCOMPRESSED", ".gz"]);
    expect(x.cloudwatchLoggingOptions).toMatchObject({ enabled: true, logStreamName: "S3Delivery" });
    const role = byName(run, "aws:iam/role:Role", "log-archive-firehose-role");
    expect(x.roleArn).toBe(role.state.arn);
    expect(policyOf(role, "assumeRolePolicy").Statement[0]).toEqual({
      Effect: "Allow",
      Principal: { Service: "firehose.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "sts:ExternalId": ACCOUNT_ID } },
    });
    const pol = byName(run, "aws:iam/rolePolicy:RolePolicy", "log-archive-firehose-policy");
    expect(stmt(pol, "WriteCloudWatchPrefix").Resource).toEqual([`${bucket().state.arn}/cloudwatch/*`]);
    expect(stmt(pol, "ArchiveKeyViaS3").Condition.StringEquals).toEqual({ "kms:ViaService": "s3.cn-north-1.amazonaws.com.cn" });
  });

  test("decompression flag: Firehose decompresses CloudWatch Logs records and writes GZIP", async () => {
    const r = await runStack("cn-north-1", { config: { logArchive: { firehoseDecompression: true, firehoseBufferSizeMb: 64, firehoseBufferIntervalSeconds: 60 } } });
    const x = byName(r, "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "log-archive-cloudwatch").inputs.extendedS3Configuration;
    expect(x.compressionFormat).toBe("GZIP");
    expect([x.bufferingSize, x.bufferingInterval]).toEqual([64, 60]);
    expect(x.processingConfiguration.processors.map((p: any) => p.type)).toEqual(["Decompression", "CloudWatchLogProcessing"]);
  });

  test("CloudWatch Logs role: the regional logs principal scoped by aws:SourceArn, may only put into the stream", () => {
    const trust = policyOf(cwlRole(), "assumeRolePolicy").Statement;
    expect(trust).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "logs.cn-north-1.amazonaws.com.cn" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID }, ArnLike: { "aws:SourceArn": `arn:aws-cn:logs:cn-north-1:${ACCOUNT_ID}:*` } },
      },
    ]);
    expect(policyOf(byName(run, "aws:iam/rolePolicy:RolePolicy", "log-archive-cwl-policy")).Statement).toEqual([
      { Sid: "PutIntoArchiveStream", Effect: "Allow", Action: ["firehose:PutRecord", "firehose:PutRecordBatch"], Resource: [stream().state.arn] },
    ]);
  });

  test("subscription filters: every matching existing group and every group LogArchive creates, nothing else", () => {
    const filters = ofType(run, "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter");
    expect(filters.map((f) => f.inputs.logGroup).sort()).toEqual([
      // the AuroraLab cluster's groups (the stack file turns the lab on), made through rdsLogGroupFactory
      "/aws/rds/cluster/cn-log-backup-lab/audit",
      "/aws/rds/cluster/cn-log-backup-lab/error",
      "/aws/rds/cluster/cn-log-backup-lab/slowquery",
      "/aws/rds/cluster/legacy-aurora/error",
      "/aws/rds/cluster/legacy-aurora/slowquery",
      "/aws/rds/cluster/orders/audit",
      "/aws/rds/cluster/orders/error",
      "/ec2/app",
      "/ec2/legacy-app/messages",
    ]);
    for (const f of filters) {
      expect(f.inputs).toMatchObject({ name: SUBSCRIPTION_FILTER_NAME, filterPattern: "", destinationArn: stream().state.arn, roleArn: cwlRole().state.arn });
    }
  });

  test("subscriber Lambda: CreateLogGroup rule + schedule, DLQ and retries, least privilege", () => {
    const rule = byName(run, "aws:cloudwatch/eventRule:EventRule", "log-archive-log-group-created");
    expect(JSON.parse(rule.inputs.eventPattern)).toEqual({
      source: ["aws.logs"],
      "detail-type": ["AWS API Call via CloudTrail"],
      detail: { eventSource: ["logs.amazonaws.com"], eventName: ["CreateLogGroup"] },
    });
    expect(byName(run, "aws:cloudwatch/eventRule:EventRule", "log-archive-subscription-recheck").inputs.scheduleExpression).toBe("rate(1 hour)");
    const fn = byName(run, "aws:lambda/function:Function", "log-archive-subscriber");
    expect(fn.inputs.environment.variables).toEqual({
      DESTINATION_ARN: stream().state.arn,
      CWL_ROLE_ARN: cwlRole().state.arn,
      FILTER_NAME: SUBSCRIPTION_FILTER_NAME,
      LOG_GROUP_PATTERNS: JSON.stringify(["/aws/rds/cluster/", "/ec2/", "!/cn-log-backup/cn-north-1/firehose/"]),
    });
    const queue = byName(run, "aws:sqs/queue:Queue", "log-archive-failures");
    const targets = ofType(run, "aws:cloudwatch/eventTarget:EventTarget").filter((t) => t.name.startsWith("log-archive-subscriber-target"));
    expect(targets).toHaveLength(2);
    for (const t of targets) {
      expect(t.inputs.arn).toBe(fn.state.arn);
      expect(t.inputs.deadLetterConfig).toEqual({ arn: queue.state.arn });
      expect(t.inputs.retryPolicy).toEqual({ maximumRetryAttempts: 8, maximumEventAgeInSeconds: 3600 });
    }
    const perms = ofType(run, "aws:lambda/permission:Permission").filter((p) => p.name.startsWith("log-archive-subscriber-invoke"));
    expect(perms.map((p) => p.inputs.sourceArn).sort()).toEqual(
      [rule.state.arn, byName(run, "aws:cloudwatch/eventRule:EventRule", "log-archive-subscription-recheck").state.arn].sort(),
    );
    const pol = byName(run, "aws:iam/rolePolicy:RolePolicy", "log-archive-subscriber-policy");
    expect(stmt(pol, "ManageSubscriptionFilters")).toEqual({
      Sid: "ManageSubscriptionFilters",
      Effect: "Allow",
      Action: ["logs:DescribeSubscriptionFilters", "logs:PutSubscriptionFilter"],
      Resource: [`arn:aws-cn:logs:cn-north-1:${ACCOUNT_ID}:log-group:*`],
    });
    expect(stmt(pol, "PassCloudWatchLogsRole")).toEqual({
      Sid: "PassCloudWatchLogsRole",
      Effect: "Allow",
      Action: ["iam:PassRole"],
      Resource: [cwlRole().state.arn],
      Condition: { StringEquals: { "iam:PassedToService": ["logs.amazonaws.com", "logs.amazonaws.com.cn", "logs.cn-north-1.amazonaws.com.cn"] } },
    });
    expect(byName(run, "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "log-archive-subscriber-async").inputs.destinationConfig.onFailure.destination).toBe(queue.state.arn);
    // Only the rules that target LogArchive's functions, not any rule of the account.
    expect(stmt(byName(run, "aws:sqs/queuePolicy:QueuePolicy", "log-archive-failures-policy"), "EventBridgeDeadLetters").Condition).toEqual({
      ArnEquals: { "aws:SourceArn": [rule.state.arn, byName(run, "aws:cloudwatch/eventRule:EventRule", "log-archive-subscription-recheck").state.arn] },
    });
  });

  test("VPC Flow Logs: Parquet, Hive-compatible hourly partitions, extended fields, into flow-logs/", () => {
    // The configured VPCs (the lab VPC, when the lab is on, has its own: see the variants below).
    const fls = ofType(run, "aws:ec2/flowLog:FlowLog").filter((f) => f.name.startsWith("log-archive-flow-logs-"));
    expect(fls.map((f) => f.inputs.vpcId)).toEqual(["vpc-0123456789abcdef0", "vpc-89abcdef"]);
    for (const f of fls) {
      expect(f.inputs).toMatchObject({
        trafficType: "ALL",
        logDestinationType: "s3",
        logDestination: `${bucket().state.arn}/flow-logs/`,
        destinationOptions: { fileFormat: "parquet", hiveCompatiblePartitions: true, perHourPartition: true },
      });
      expect(f.inputs.logFormat.split(" ")).toEqual(FLOW_LOG_FIELDS.map((x) => "${" + x + "}"));
      expect(f.inputs.logFormat).toContain("${flow-direction}");
      expect(f.inputs.logFormat).toContain("${pkt-srcaddr}");
    }
  });

  test("CloudTrail: into cloudtrail/ with KMS, log file validation and management events", () => {
    const t = byName(run, "aws:cloudtrail/trail:Trail", "log-archive-trail").inputs;
    expect(t).toMatchObject({
      name: "cn-log-backup-cn-north-1",
      s3BucketName: bucket().state.bucket,
      s3KeyPrefix: "cloudtrail",
      kmsKeyId: key().state.arn,
      enableLogFileValidation: true,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      eventSelectors: [{ readWriteType: "All", includeManagementEvents: true }],
    });
  });

  test("EC2 CloudWatch-agent kit: role, aws-cn managed policies, instance profile, agent config in SSM, KMS log groups", () => {
    const role = byName(run, "aws:iam/role:Role", "log-archive-agent-role");
    expect(policyOf(role, "assumeRolePolicy").Statement).toEqual([{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com.cn" }, Action: "sts:AssumeRole" }]);
    const attached = ofType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.name.startsWith("log-archive-agent"));
    expect(attached.map((a) => a.inputs.policyArn).sort()).toEqual([
      "arn:aws-cn:iam::aws:policy/AmazonSSMManagedInstanceCore",
      "arn:aws-cn:iam::aws:policy/CloudWatchAgentServerPolicy",
    ]);
    for (const a of attached) expect(a.inputs.role).toBe(role.state.name);
    const profile = byName(run, "aws:iam/instanceProfile:InstanceProfile", "log-archive-agent-profile");
    expect(profile.inputs.role).toBe(role.state.name);
    expect(run.outputs.logArchiveAgentInstanceProfileName).toBe(profile.state.name);
    const param = byName(run, "aws:ssm/parameter:Parameter", "log-archive-agent-config");
    expect(param.inputs.name).toBe("AmazonCloudWatch-cn-log-backup-cn-north-1");
    expect(JSON.parse(param.inputs.insecureValue).logs.logs_collected.files.collect_list).toEqual([
      { file_path: "/var/log/app/*.log", log_group_name: "/ec2/app", log_stream_name: "{instance_id}", timezone: "UTC" },
    ]);
    const lg = ofType(run, "aws:cloudwatch/logGroup:LogGroup").find((g) => g.inputs.name === "/ec2/app")!;
    expect(lg.inputs).toMatchObject({ kmsKeyId: key().state.arn, retentionInDays: 400 });
  });

  test("RDS/Aurora log groups /aws/rds/cluster/<name>/<type> with KMS and retention", () => {
    const names = ofType(run, "aws:cloudwatch/logGroup:LogGroup").filter((g) => g.inputs.name.startsWith("/aws/rds/cluster/orders/"));
    expect(names.map((g) => g.inputs.name).sort()).toEqual(["/aws/rds/cluster/orders/audit", "/aws/rds/cluster/orders/error"]);
    for (const g of names) expect(g.inputs).toMatchObject({ kmsKeyId: key().state.arn, retentionInDays: 400 });
  });

  test("outputs for the other components", () => {
    expect(run.outputs.logArchiveBucketName).toBe(bucket().state.bucket);
    expect(run.outputs.logArchiveBucketArn).toBe(bucket().state.arn);
    expect(run.outputs.logArchiveKeyArn).toBe(key().state.arn);
  });
});

describe("LogArchive, primary role variants", () => {
  test("a group it makes for another component (the lab's) that already exists gets one subscription filter, not two", async () => {
    const existing = EXISTING_LOG_GROUPS["cn-north-1"];
    const labAudit = "/aws/rds/cluster/cn-log-backup-lab/audit";
    existing.push(labAudit); // the second `pulumi up`: the lookup finds the group the first one made
    try {
      const run = await runStack("cn-north-1");
      const filters = ofType(run, "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter").filter((f) => f.inputs.logGroup === labAudit);
      expect(filters.map((f) => f.name)).toEqual(["log-archive-rds-cn-log-backup-lab-audit-subscription"]);
      // the lookup's other finds are still subscribed
      expect(ofType(run, "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter").map((f) => f.inputs.logGroup)).toContain("/ec2/legacy-app/messages");
    } finally {
      existing.splice(existing.indexOf(labAudit), 1);
    }
  });

  test("exportTask mode: no Firehose, an exporter Lambda (concurrency 1), logs may write exports/ only", async () => {
    const run = await runStack("cn-north-1", { config: { logArchive: { cloudWatchLogsMode: "exportTask", exportPeriod: "day", exportSchedule: "rate(30 minutes)" } } });
    expect(ofType(run, "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream")).toHaveLength(0);
    expect(ofType(run, "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter")).toHaveLength(0);
    const fn = one(run, "aws:lambda/function:Function", "log-archive-exporter");
    expect(fn.inputs.reservedConcurrentExecutions).toBe(1);
    expect(fn.inputs.timeout).toBe(900);
    const bucket = one(run, "aws:s3/bucket:Bucket", "log-archive-archive");
    expect(fn.inputs.environment.variables).toMatchObject({ ARCHIVE_BUCKET: bucket.state.bucket, EXPORT_PERIOD: "day", CURSOR_KEY: "state/log-archive/export-cursor.json" });
    expect(one(run, "aws:cloudwatch/eventRule:EventRule", "log-archive-export-schedule").inputs.scheduleExpression).toBe("rate(30 minutes)");
    const p = one(run, "aws:s3/bucketPolicy:BucketPolicy", "log-archive-archive-policy");
    expect(stmt(p, "CloudWatchLogsExportWrites")).toEqual({
      Sid: "CloudWatchLogsExportWrites",
      Effect: "Allow",
      Principal: { Service: "logs.cn-north-1.amazonaws.com.cn" },
      Action: ["s3:PutObject"],
      Resource: [`${bucket.state.arn}/exports/*`],
      Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID }, ArnLike: { "aws:SourceArn": `arn:aws-cn:logs:cn-north-1:${ACCOUNT_ID}:*` } },
    });
    expect(stmt(one(run, "aws:kms/key:Key", "log-archive-archive-key"), "CloudWatchLogsExportsIntoTheArchive")).toMatchObject({
      Principal: { Service: "logs.cn-north-1.amazonaws.com.cn" },
      Action: ["kms:Encrypt", "kms:GenerateDataKey"],
      Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID }, ArnLike: { "aws:SourceArn": `arn:aws-cn:logs:cn-north-1:${ACCOUNT_ID}:*` } },
    });
    const pol = one(run, "aws:iam/rolePolicy:RolePolicy", "log-archive-exporter-policy");
    expect(stmt(pol, "ReadWriteCursor").Resource).toEqual([`${bucket.state.arn}/state/log-archive/export-cursor.json`]);
  });

  test("RTC flag and a separate backup account: replication time, account, owner translation, owner override", async () => {
    const other = "210987654321";
    const backup = await runStack("cn-northwest-1", { config: { backupAccountId: other, backupEvents: { primaryAccountId: ACCOUNT_ID }, logArchive: { primaryAccountId: ACCOUNT_ID } } });
    const run = await runStack("cn-north-1", {
      config: { backupAccountId: other, logArchive: { replicationTimeControl: true, replicaStorageClass: "STANDARD_IA" } },
      stackOutputs: { "organization/cn-log-backup/cn-northwest-1": backup.outputs },
    });
    const rule = one(run, "aws:s3/bucketReplicationConfig:BucketReplicationConfig", "log-archive-replication").inputs.rules[0];
    expect(rule.destination).toMatchObject({
      storageClass: "STANDARD_IA",
      account: other,
      accessControlTranslation: { owner: "Destination" },
      replicationTime: { status: "Enabled", time: { minutes: 15 } },
      metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
    });
    expect(stmt(one(run, "aws:iam/rolePolicy:RolePolicy", "log-archive-replication-policy"), "WriteReplicas").Action).toContain("s3:ObjectOwnerOverrideToBucketOwner");
  });

  test("AuroraLab on: its VPC's flow logs go to the archive; lambdaNetwork.useAuroraLabVpc puts the subscriber in it", async () => {
    const run = await runStack("cn-north-1", { config: { auroraLab: { enabled: true }, lambdaNetwork: { useAuroraLabVpc: true } } });
    const labVpc = one(run, "aws:ec2/vpc:Vpc", "aurora-lab-vpc");
    const fl = one(run, "aws:ec2/flowLog:FlowLog", "log-archive-lab-flow-logs");
    expect(fl.inputs.vpcId).toBe(labVpc.id);
    expect(fl.inputs.logDestination).toBe(`${one(run, "aws:s3/bucket:Bucket", "log-archive-archive").state.arn}/flow-logs/`);
    const fn = one(run, "aws:lambda/function:Function", "log-archive-subscriber");
    expect(fn.inputs.vpcConfig.subnetIds).toHaveLength(2);
  });

  test("CloudTrail off removes the trail and its bucket/key grants", async () => {
    const run = await runStack("cn-north-1", { config: { logArchive: { cloudTrail: false } } });
    expect(ofType(run, "aws:cloudtrail/trail:Trail")).toHaveLength(0);
    expect(policyOf(one(run, "aws:s3/bucketPolicy:BucketPolicy", "log-archive-archive-policy")).Statement.some((s: any) => /CloudTrail/.test(s.Sid))).toBe(false);
    expect(policyOf(one(run, "aws:kms/key:Key", "log-archive-archive-key")).Statement.some((s: any) => /CloudTrail/.test(s.Sid))).toBe(false);
  });
});
