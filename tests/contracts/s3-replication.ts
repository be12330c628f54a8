/**
 * Amazon S3 replication: S3 assumes the replication role (aws:SourceAccount, aws:SourceArn = the
 * source bucket), and with the role reads the source versions and writes the replicas
 * (s3:ReplicateObject / ReplicateDelete / ReplicateTags, ObjectOwnerOverrideToBucketOwner when the
 * owner is overridden), decrypting with the source key and encrypting with the replica key
 * through S3 in each region. Replication needs nothing that changes the destination bucket's
 * configuration (no s3:PutBucketVersioning).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html
 */
import { Contract, ServiceRequest, T, World, all, bucketOfArn, bucketPolicyOf, identityOf, keyPolicyByArn, trustOf } from "./contract";
import { ofType } from "../../tools/harness";

const PERMS = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html";
const KMS = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html";

export const s3Replication: Contract = {
  service: "Amazon S3 (replication)",
  requests(w: World): ServiceRequest[] {
    const out: ServiceRequest[] = [];
    const run = w.primary;
    for (const config of all(run, "aws:s3/bucketReplicationConfig:BucketReplicationConfig")) {
      const role = ofType(run, T.role).find((r) => r.state.arn === config.inputs.role);
      if (!role) throw new Error(`s3 replication contract: no role ${config.inputs.role}`);
      const source = ofType(run, T.bucket).find((b) => b.state.bucket === config.inputs.bucket);
      if (!source) throw new Error(`s3 replication contract: no bucket ${config.inputs.bucket}`);
      out.push({
        title: "S3 assumes the replication role",
        // What S3 presents, as AWS's China S3 guide documents it (not the provider's table, which
        // answers s3.amazonaws.com.cn): "Service": "s3.amazonaws.com" in the replication trust policy,
        // https://docs.amazonaws.cn/en_us/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html
        principal: "s3.amazonaws.com",
        action: "sts:AssumeRole",
        resource: role.state.arn,
        resourceAccount: w.primaryAccount,
        sends: { "aws:SourceAccount": w.primaryAccount, "aws:SourceArn": source.state.arn },
        doesNotSend: [],
        resourcePolicy: trustOf(role),
        source: PERMS,
        alsoDenied: [{ why: "for another bucket of the account", context: { "aws:SourceArn": "arn:aws-cn:s3:::someone-elses-bucket" } }],
      });
      const identity = identityOf(run, role);
      const ctx = { "aws:PrincipalArn": role.state.arn, "aws:PrincipalAccount": w.primaryAccount, "aws:SecureTransport": "true" };
      const asRole = { principal: role.state.arn, identityPolicies: identity, doesNotSend: [], source: PERMS };
      const objectKey = "cloudtrail/AWSLogs/123/CloudTrail/cn-north-1/2026/12/01/x.json.gz";
      out.push({
        ...asRole,
        title: "the role reads a source version",
        action: "s3:GetObjectVersionForReplication",
        resource: `${source.state.arn}/${objectKey}`,
        resourceAccount: w.primaryAccount,
        sends: ctx,
        resourcePolicy: bucketPolicyOf(run, source.state.bucket),
      });
      const sourceKey: string | undefined = ofType(run, T.key).find((k) => k.name.endsWith("log-archive-archive-key"))?.state.arn;
      if (sourceKey) {
        out.push({
          ...asRole,
          title: "the role decrypts the source object through S3",
          action: "kms:Decrypt",
          resource: sourceKey,
          resourceAccount: w.primaryAccount,
          sends: {
            ...ctx,
            "kms:ViaService": `s3.${w.primaryRegion}.amazonaws.com.cn`,
            "kms:CallerAccount": w.primaryAccount,
            "kms:EncryptionContext:aws:s3:arn": source.state.arn,
          },
          resourcePolicy: keyPolicyByArn(run, sourceKey),
          source: KMS,
        });
      }
      for (const rule of config.inputs.rules ?? []) {
        const dest = rule.destination;
        const replicaBucket = bucketOfArn(dest.bucket);
        const replicaPolicy = bucketPolicyOf(w.backup, replicaBucket);
        const actions = [
          "s3:ReplicateObject",
          "s3:ReplicateDelete",
          "s3:ReplicateTags",
          ...(dest.accessControlTranslation ? ["s3:ObjectOwnerOverrideToBucketOwner"] : []),
        ];
        for (const action of actions) {
          out.push({
            ...asRole,
            title: `the role replicates (${action})`,
            action,
            resource: `${dest.bucket}/${objectKey}`,
            resourceAccount: w.backupAccount,
            sends: ctx,
            resourcePolicy: replicaPolicy,
          });
        }
        const replicaKey: string | undefined = dest.encryptionConfiguration?.replicaKmsKeyId;
        if (replicaKey) {
          for (const action of ["kms:Encrypt", "kms:GenerateDataKey"]) {
            out.push({
              ...asRole,
              title: `the role encrypts the replica through S3 (${action})`,
              action,
              resource: replicaKey,
              resourceAccount: w.backupAccount,
              sends: {
                ...ctx,
                "kms:ViaService": `s3.${w.backupRegion}.amazonaws.com.cn`,
                "kms:CallerAccount": w.primaryAccount,
                "kms:EncryptionContext:aws:s3:arn": dest.bucket,
              },
              resourcePolicy: keyPolicyByArn(w.backup, replicaKey),
              source: KMS,
            });
          }
        }
      }
    }
    return out;
  },
};
