/** Cross-Region Replication of the archive (infra/log-archive/replication.ts). */
import { ACCOUNT_ID, one, policyOf, runStack } from "../../helpers/pulumi";
import type { StackRun } from "../../../tools/harness";
import { byName, stmt, primaryStacks } from "./helpers";

describe("LogArchive replication", () => {
  let run: StackRun;
  let backup: StackRun;
  beforeAll(async () => {
    ({ run, backup } = await primaryStacks());
  });
  const key = () => byName(run, "aws:kms/key:Key", "log-archive-archive-key");
  const bucket = () => byName(run, "aws:s3/bucket:Bucket", "log-archive-archive");

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
      {
        Sid: "ReadSourceVersions",
        Effect: "Allow",
        Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
        Resource: [`${src}/*`],
      },
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
        Condition: {
          StringEquals: { "kms:ViaService": "s3.cn-northwest-1.amazonaws.com.cn" },
          ArnLike: { "kms:EncryptionContext:aws:s3:arn": [dst, `${dst}/*`] },
        },
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
});

describe("LogArchive replication: variants", () => {
  test("RTC flag and a separate backup account: replication time, account, owner translation, owner override", async () => {
    const other = "210987654321";
    const backup = await runStack("cn-northwest-1", {
      config: { backupAccountId: other, backupEvents: { primaryAccountId: ACCOUNT_ID }, logArchive: { primaryAccountId: ACCOUNT_ID } },
    });
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
    expect(stmt(one(run, "aws:iam/rolePolicy:RolePolicy", "log-archive-replication-policy"), "WriteReplicas").Action).toContain(
      "s3:ObjectOwnerOverrideToBucketOwner",
    );
  });
});
