/** The replica (infra/log-archive/replica.ts) under the aws-cn mocks, through the backup stack. */
import { ACCOUNT_ID, ofType, policyOf, runStack } from "../../helpers/pulumi";
import type { StackRun } from "../../../tools/harness";
import { REPLICATION_ROLE_ARN, ROOT, byName, stmt } from "./helpers";

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
    expect(sse.inputs.rules).toEqual([
      { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.state.arn }, bucketKeyEnabled: true },
    ]);
    expect(byName(run, "aws:s3/bucketVersioning:BucketVersioning", "log-archive-replica-versioning").inputs.versioningConfiguration).toEqual({
      status: "Enabled",
    });
    const pab = byName(run, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "log-archive-replica-public-access-block").inputs;
    expect([pab.blockPublicAcls, pab.blockPublicPolicy, pab.ignorePublicAcls, pab.restrictPublicBuckets]).toEqual([true, true, true, true]);
    expect(byName(run, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", "log-archive-replica-ownership").inputs.rule).toEqual({
      objectOwnership: "BucketOwnerEnforced",
    });
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
    expect(stmt(policy, "DenyDeletingObjectVersions")).toMatchObject({
      Effect: "Deny",
      Principal: "*",
      Action: expect.arrayContaining(["s3:DeleteObjectVersion"]),
      Resource: [`${arn}/*`],
    });
    expect(stmt(policy, "ReplicationRoleWritesReplicas")).toEqual({
      Sid: "ReplicationRoleWritesReplicas",
      Effect: "Allow",
      Principal: { AWS: ROOT },
      Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"],
      Resource: [`${arn}/*`],
      Condition: { ArnEquals: { "aws:PrincipalArn": REPLICATION_ROLE_ARN } },
    });
    expect(stmt(policy, "ReplicationRoleChecksVersioning")).toMatchObject({
      Resource: [arn],
      Condition: { ArnEquals: { "aws:PrincipalArn": REPLICATION_ROLE_ARN } },
    });
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
      config: {
        backupAccountId: ACCOUNT_ID,
        backupEvents: { primaryAccountId: other },
        logArchive: { replicaRetentionDays: 730, objectLockMode: "COMPLIANCE", objectLockDays: 365, primaryAccountId: other },
      },
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
    expect(stmt(byName(r, "aws:kms/key:Key", "log-archive-replica-key"), "ReplicationRoleEncryptsReplicasViaS3").Principal).toEqual({
      AWS: `arn:aws-cn:iam::${other}:root`,
    });
  });
});
