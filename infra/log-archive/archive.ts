/**
 * LogArchive in the primary region (Beijing): the archive bucket (SSE-KMS with its own key and
 * bucket key, versioning, public access blocked, owner enforced, TLS-only, lifecycle per prefix,
 * multipart-upload abort), its grants to the writers of ./prefixes.ts, optional S3 Inventory, and
 * its Cross-Region Replication to the replica (./replication.ts).
 *
 * The log sources are built later in the stack, each by its own function with this component as
 * their parent (the resources' URNs are those of the one-class LogArchive they came from):
 * ./agent-kit.ts, ./cloudwatch-firehose.ts or ./cloudwatch-export-tasks.ts, ./flow-logs.ts,
 * ./cloudtrail.ts.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { regionName } from "../regions";
import { cloudWatchLogsKeyStatement, customerManagedKey } from "../kms";
import { policyDocument } from "../iam";
import { arn, partitionFacts } from "../partition";
import { archiveInventory } from "./inventory";
import { LifecycleArgs, checkRetention, lifecycleRules } from "./lifecycle";
import { KeyGrantContext, baseBucketStatements, trailName } from "./policies";
import { archiveBucketGrants, archiveKeyGrants, ArchiveWriterSwitches } from "./prefixes";
import { protectedBucket } from "./protected-bucket";
import { LOG_ARCHIVE_TYPE } from "./replica";
import { ReplicaRef, archiveReplication } from "./replication";

export interface LogArchiveArgs {
  /** Stack name, for names that must be unique per stack (the trail the grants admit). */
  readonly stack: string;
  /** Region of this (primary) stack. */
  readonly primaryRegion: string;
  /** Region of the backup (replica) stack. */
  readonly backupRegion: string;
  /** The replica, from the backup stack's outputs. */
  readonly replica: ReplicaRef;
  /** S3 Replication Time Control (`logArchive.replicationTimeControl`). */
  readonly replicationTimeControl: boolean;
  /** Storage class of the replicas (`logArchive.replicaStorageClass`). */
  readonly replicaStorageClass: string;
  readonly lifecycle: LifecycleArgs;
  /** How CloudWatch Logs reach the archive (`logArchive.cloudWatchLogsMode`): exportTask admits the logs service into `exports/`. */
  readonly cloudWatchLogsMode: "firehose" | "exportTask";
  /** The stack's trail writes `cloudtrail/` (`logArchive.cloudTrail`; the trail is ./cloudtrail.ts). */
  readonly cloudTrail: boolean;
  /** Admit Backup Audit Manager's report delivery into `backup-reports/` (infra/backup-reports.ts). */
  readonly backupReports?: boolean;
  /** S3 Inventory of the archive into its own `inventory/` (./inventory.ts). */
  readonly inventory?: boolean;
  readonly kmsKeyDeletionWindowDays: number;
  readonly tags?: Record<string, string>;
}

export class LogArchive extends pulumi.ComponentResource {
  /** The component's name: the prefix of its children's names. */
  readonly name: string;
  readonly region: string;
  readonly bucket: aws.s3.Bucket;
  readonly key: aws.kms.Key;
  readonly bucketPolicy: aws.s3.BucketPolicy;
  /** The bucket's default encryption (what writers that need SSE-KMS in place depend on). */
  readonly encryption: aws.s3.BucketServerSideEncryptionConfiguration;
  readonly bucketName: pulumi.Output<string>;
  readonly bucketArn: pulumi.Output<string>;
  readonly keyArn: pulumi.Output<string>;
  readonly accountId: pulumi.Output<string>;
  readonly inventory?: aws.s3.Inventory;
  readonly replicationRole: aws.iam.Role;
  readonly replication: aws.s3.BucketReplicationConfig;

  constructor(name: string, args: LogArchiveArgs, opts?: pulumi.ComponentResourceOptions) {
    super(LOG_ARCHIVE_TYPE, name, {}, opts);
    checkRetention(name, args.lifecycle);
    this.name = name;
    this.region = args.primaryRegion;
    const parent = { parent: this };
    const accountId = partitionFacts(parent).accountId;
    this.accountId = accountId;
    const on: ArchiveWriterSwitches = {
      cloudTrail: args.cloudTrail,
      exportTasks: args.cloudWatchLogsMode === "exportTask",
      backupReports: args.backupReports ?? false,
      inventory: args.inventory ?? false,
    };
    const keyGrantContext: KeyGrantContext = {
      bucketLogicalName: `${name}-archive`,
      accountId,
      region: args.primaryRegion,
      trailArn: arn({ service: "cloudtrail", resource: `trail/${trailName(args.stack)}` }, parent),
      parent: this,
    };

    this.key = customerManagedKey(
      `${name}-archive-key`,
      {
        description: `cn-log-backup: encrypts the log archive (${regionName(args.primaryRegion)}), its log groups and its trail`,
        deletionWindowInDays: args.kmsKeyDeletionWindowDays,
        alias: `cn-log-backup/log-archive`,
        // Its log groups (./agent-kit.ts, the Firehose error log) first, then the archive's writers.
        statements: [cloudWatchLogsKeyStatement(args.primaryRegion), ...archiveKeyGrants(on, keyGrantContext)],
        tags: args.tags,
      },
      parent,
    );

    const pb = protectedBucket(`${name}-archive`, { keyArn: this.key.arn, rules: lifecycleRules(args.lifecycle, "archive"), tags: args.tags }, this);
    this.bucket = pb.bucket;
    this.encryption = pb.encryption;
    const bucketArn = this.bucket.arn;
    this.bucketPolicy = new aws.s3.BucketPolicy(
      `${name}-archive-policy`,
      { bucket: this.bucket.id, policy: policyDocument([...baseBucketStatements(bucketArn), ...archiveBucketGrants(on, { ...keyGrantContext, bucketArn })]) },
      { parent: this, dependsOn: [pb.publicAccessBlock] },
    );
    // The archive's own inventory/ objects replicate like every other prefix (the one rule has an
    // empty filter): intended, Ningxia then also keeps Beijing's inventory as disaster-recovery evidence.
    if (args.inventory) {
      this.inventory = archiveInventory(
        `${name}-archive-inventory`,
        { bucket: this.bucket, keyArn: this.key.arn, accountId },
        { parent: this, dependsOn: [this.bucketPolicy, pb.encryption] },
      );
    }
    this.bucketName = this.bucket.bucket;
    this.bucketArn = this.bucket.arn;
    this.keyArn = this.key.arn;

    const r = archiveReplication(
      name,
      { bucket: this.bucket, versioning: pb.versioning, keyArn: this.key.arn, accountId },
      {
        replica: args.replica,
        replicationTimeControl: args.replicationTimeControl,
        replicaStorageClass: args.replicaStorageClass,
        primaryRegion: args.primaryRegion,
        backupRegion: args.backupRegion,
        tags: args.tags,
      },
      this,
    );
    this.replicationRole = r.role;
    this.replication = r.replication;
    this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn, keyArn: this.keyArn });
  }
}
