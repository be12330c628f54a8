/**
 * S3 Cross-Region Replication of the whole archive to the replica (./replica.ts), re-encrypted with
 * the replica's key, delete markers included, with metrics (and optionally Replication Time
 * Control). The role's permissions are `replicationStatements` (./policies.ts).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { regionName } from "../regions";
import { policyDocument, serviceTrustPolicy } from "../iam";
import { servicePrincipal } from "../partition";
import { replicationStatements } from "./policies";

/** Name of the primary's replication role; both stacks derive it from config alone. */
export function replicationRoleName(primaryRegion: string): string {
  return `cn-log-backup-archive-replication-${primaryRegion}`;
}

/** The replica, from the backup stack's outputs. */
export interface ReplicaRef {
  readonly bucketArn: pulumi.Input<string>;
  readonly keyArn: pulumi.Input<string>;
  /** The backup stack's account when it is another one (`backupAccountId`). */
  readonly accountId?: pulumi.Input<string>;
}

export interface ReplicationArgs {
  readonly replica: ReplicaRef;
  /** S3 Replication Time Control (`logArchive.replicationTimeControl`). */
  readonly replicationTimeControl: boolean;
  /** Storage class of the replicas (`logArchive.replicaStorageClass`). */
  readonly replicaStorageClass: string;
  readonly primaryRegion: string;
  readonly backupRegion: string;
  readonly tags?: Record<string, string>;
}

/** The source: the archive's bucket (versioned first) and key, and this account. */
export interface ReplicationSource {
  readonly bucket: aws.s3.Bucket;
  readonly versioning: aws.s3.BucketVersioning;
  readonly keyArn: pulumi.Input<string>;
  readonly accountId: pulumi.Input<string>;
}

export function archiveReplication(
  name: string,
  source: ReplicationSource,
  args: ReplicationArgs,
  parent: pulumi.Resource,
): { role: aws.iam.Role; replication: aws.s3.BucketReplicationConfig } {
  const opts = { parent };
  const bucketArn = source.bucket.arn;
  const crossAccount = args.replica.accountId !== undefined;
  const role = new aws.iam.Role(
    `${name}-replication-role`,
    {
      name: replicationRoleName(args.primaryRegion),
      description: `cn-log-backup: S3 Cross-Region Replication of the log archive to ${regionName(args.backupRegion)}`,
      assumeRolePolicy: serviceTrustPolicy({ principal: servicePrincipal("s3", opts), sourceAccount: source.accountId, sourceArn: bucketArn }),
      tags: args.tags,
    },
    opts,
  );
  const replicationPolicy = new aws.iam.RolePolicy(
    `${name}-replication-policy`,
    {
      role: role.id,
      policy: policyDocument(
        replicationStatements({
          sourceBucketArn: bucketArn,
          sourceKeyArn: source.keyArn,
          sourceRegion: args.primaryRegion,
          replicaBucketArn: args.replica.bucketArn,
          replicaKeyArn: args.replica.keyArn,
          replicaRegion: args.backupRegion,
          crossAccount,
          parent,
        }),
      ),
    },
    opts,
  );
  const destination: aws.types.input.s3.BucketReplicationConfigRuleDestination = {
    bucket: args.replica.bucketArn,
    storageClass: args.replicaStorageClass,
    encryptionConfiguration: { replicaKmsKeyId: args.replica.keyArn },
    metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
  };
  if (args.replicationTimeControl) destination.replicationTime = { status: "Enabled", time: { minutes: 15 } };
  if (crossAccount) {
    destination.account = args.replica.accountId;
    destination.accessControlTranslation = { owner: "Destination" };
  }
  const replication = new aws.s3.BucketReplicationConfig(
    `${name}-replication`,
    {
      bucket: source.bucket.id,
      role: role.arn,
      rules: [
        {
          id: "archive-to-backup-region",
          status: "Enabled",
          priority: 1,
          filter: { prefix: "" },
          deleteMarkerReplication: { status: "Enabled" },
          sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
          destination,
        },
      ],
    },
    { parent, dependsOn: [source.versioning, replicationPolicy] },
  );
  return { role, replication };
}
