/**
 * LogArchive in the backup region (Ningxia): the replica bucket and its customer-managed key, with
 * the same protections as the archive and a longer retention (optional S3 Object Lock). Its key and
 * bucket policies admit the primary's replication role by account and fixed role name, so the
 * backup stack needs nothing from the primary (principal: the source account's root, narrowed by
 * `aws:PrincipalArn`; S3 and KMS reject policies naming a role that does not exist yet, and the
 * backup stack is deployed first).
 */
import { HardenedArgs, hardenedBucketStatements, hardenedKeyStatements } from "../hardened-profile";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { regionName } from "../regions";
import { customerManagedKey } from "../kms";
import { policyDocument } from "../iam";
import { accountRootArn, arn, partitionFacts, viaService } from "../partition";
import { archiveInventory, inventoryBucketStatement, inventoryKeyStatement } from "./inventory";
import { LifecycleArgs, checkRetention, lifecycleRules } from "./lifecycle";
import { baseBucketStatements } from "./policies";
import { protectedBucket } from "./protected-bucket";
import { replicationRoleName } from "./replication";

/** The component's type token, shared by both regions' classes (it is part of every child's URN). */
export const LOG_ARCHIVE_TYPE = "cn-log-backup:index:LogArchive";

export interface ReplicaLogArchiveArgs {
  /** Region of the primary (source) stack: names its replication role. */
  readonly primaryRegion: string;
  /** Region of this (backup) stack. */
  readonly backupRegion: string;
  /** Account of the primary stack (whose replication role writes here); default: this account. */
  readonly primaryAccountId?: pulumi.Input<string>;
  readonly lifecycle: LifecycleArgs;
  /** Default retention of S3 Object Lock; undefined: no Object Lock. */
  readonly objectLock?: { mode: "GOVERNANCE" | "COMPLIANCE"; days: number };
  readonly kmsKeyDeletionWindowDays: number;
  /** S3 Inventory of the replica into its own `inventory/` (./inventory.ts). */
  readonly inventory?: boolean;
  /** The hardened profile: denies on the bucket and key policies to all but the break-glass role (infra/hardened-profile.ts). */
  readonly hardened?: HardenedArgs;
  readonly tags?: Record<string, string>;
}

export class ReplicaLogArchive extends pulumi.ComponentResource {
  readonly bucket: aws.s3.Bucket;
  readonly key: aws.kms.Key;
  readonly bucketPolicy: aws.s3.BucketPolicy;
  readonly bucketName: pulumi.Output<string>;
  readonly bucketArn: pulumi.Output<string>;
  readonly keyArn: pulumi.Output<string>;
  readonly inventory?: aws.s3.Inventory;

  constructor(name: string, args: ReplicaLogArchiveArgs, opts?: pulumi.ComponentResourceOptions) {
    super(LOG_ARCHIVE_TYPE, name, {}, opts);
    checkRetention(name, args.lifecycle);
    const parent = { parent: this };
    const accountId = partitionFacts(parent).accountId;
    const sourceAccount = args.primaryAccountId ?? accountId;
    const replicationRoleArn = arn({ service: "iam", region: "", account: sourceAccount, resource: `role/${replicationRoleName(args.primaryRegion)}` }, parent);
    this.key = customerManagedKey(
      `${name}-replica-key`,
      {
        description: `cn-log-backup: encrypts the log archive replica (${regionName(args.backupRegion)})`,
        deletionWindowInDays: args.kmsKeyDeletionWindowDays,
        alias: `cn-log-backup/log-archive-replica`,
        statements: [
          {
            Sid: "ReplicationRoleEncryptsReplicasViaS3",
            Effect: "Allow",
            Principal: { AWS: accountRootArn(sourceAccount, parent) },
            Action: ["kms:Encrypt", "kms:GenerateDataKey"],
            Resource: "*",
            Condition: {
              ArnEquals: { "aws:PrincipalArn": replicationRoleArn },
              StringEquals: { "kms:ViaService": viaService("s3", args.backupRegion, parent) },
            },
          },
          ...(args.inventory ? [inventoryKeyStatement(`${name}-replica`, accountId, parent)] : []),
          ...(args.hardened ? hardenedKeyStatements(args.hardened) : []),
        ],
        tags: args.tags,
      },
      parent,
    );
    const pb = protectedBucket(
      `${name}-replica`,
      { keyArn: this.key.arn, rules: lifecycleRules(args.lifecycle, "replica"), objectLock: args.objectLock, tags: args.tags },
      this,
    );
    this.bucket = pb.bucket;
    this.bucketPolicy = new aws.s3.BucketPolicy(
      `${name}-replica-policy`,
      {
        bucket: this.bucket.id,
        policy: policyDocument([
          ...baseBucketStatements(this.bucket.arn),
          {
            Sid: "ReplicationRoleWritesReplicas",
            Effect: "Allow",
            Principal: { AWS: accountRootArn(sourceAccount, parent) },
            Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"],
            Resource: [pulumi.interpolate`${this.bucket.arn}/*`],
            Condition: { ArnEquals: { "aws:PrincipalArn": replicationRoleArn } },
          },
          {
            Sid: "ReplicationRoleChecksVersioning",
            Effect: "Allow",
            Principal: { AWS: accountRootArn(sourceAccount, parent) },
            // Replication writes objects only; it never changes the replica's versioning
            // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html).
            Action: ["s3:GetBucketVersioning"],
            Resource: [this.bucket.arn],
            Condition: { ArnEquals: { "aws:PrincipalArn": replicationRoleArn } },
          },
          ...(args.inventory ? [inventoryBucketStatement(this.bucket.arn, this.bucket.arn, accountId, parent)] : []),
          ...(args.hardened ? hardenedBucketStatements(this.bucket.arn, args.hardened) : []),
        ]),
      },
      { parent: this, dependsOn: [pb.publicAccessBlock] },
    );
    if (args.inventory) {
      this.inventory = archiveInventory(
        `${name}-replica-inventory`,
        { bucket: this.bucket, keyArn: this.key.arn, accountId },
        { parent: this, dependsOn: [this.bucketPolicy, pb.encryption] },
      );
    }
    this.bucketName = this.bucket.bucket;
    this.bucketArn = this.bucket.arn;
    this.keyArn = this.key.arn;
    this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn, keyArn: this.keyArn });
  }
}
