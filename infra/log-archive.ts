/**
 * LogArchive: the encrypted log archive in Beijing, replicated to Ningxia, fed by every log source
 * (ARCHITECTURE.md sections 1 and 4).
 *
 * Backup role (Ningxia): the replica bucket and its customer-managed key, with the same protections
 * as the archive and a longer retention (optional S3 Object Lock). Its key and bucket policies admit
 * the primary's replication role by account and fixed role name, so the backup stack needs nothing
 * from the primary (principal: the source account's root, narrowed by `aws:PrincipalArn`; S3 and KMS
 * reject policies naming a role that does not exist yet, and the backup stack is deployed first).
 *
 * Primary role (Beijing): the archive bucket (SSE-KMS with its own key and bucket key, versioning,
 * public access blocked, owner-enforced, TLS-only, lifecycle per prefix, multipart-upload abort),
 * Cross-Region Replication to the replica, CloudWatch Logs -> S3 (Firehose + subscriptions, or the
 * export-task chain), VPC Flow Logs (Parquet, Hive partitions per hour), a CloudTrail trail, the EC2
 * CloudWatch-agent kit and RDS/Aurora log groups.
 *
 * Every ARN and service principal comes from `./partition`.
 */
import { regionName } from "./regions";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { S3Client } from "@aws-sdk/client-s3";
import { customerManagedKey, cloudWatchLogsKeyStatement } from "./kms";
import { PolicyStatement, denyInsecureTransport, policyDocument, serviceTrustPolicy } from "./iam";
import { InlineLambda, LambdaVpcConfig } from "./lambda";
import { RdsLogGroupFactory, rdsClusterLogGroupName } from "./rds-log-groups";
import { accountRootArn, arn, cloudTrailEventSource, managedPolicyArn, partitionFacts, servicePrincipal, servicePrincipalForms, viaService } from "./partition";
import { compilePatterns, matchesPatterns } from "../functions/log-archive/common";
import { backupReportsBucketStatement, backupReportsKeyStatement } from "./backup-reports";
import { archiveInventory, inventoryBucketStatement, inventoryKeyStatement } from "./archive-inventory";
import { HardenedArgs, hardenedBucketStatements, hardenedKeyStatements } from "./hardened-profile";
import { createSubscriberHandler } from "../functions/log-archive/subscriber";
import { requiredEnv } from "../functions/log-archive/common";
import { createExportTaskHandler, ExportPeriod } from "../functions/log-archive/export-tasks";

/** The archive's top-level prefixes, one per log source. */
export const ARCHIVE_PREFIXES = ["cloudwatch/", "flow-logs/", "cloudtrail/", "audit-logs/", "exports/", "backup-reports/", "inventory/"] as const;
export type ArchivePrefix = (typeof ARCHIVE_PREFIXES)[number];
/** Small state objects (the export-task cursor): no tier transitions, never expired as current. */
export const STATE_PREFIX = "state/";
export const EXPORT_CURSOR_KEY = "state/log-archive/export-cursor.json";

/** VPC Flow Logs version-5 field set (the extended set; every field available in China). */
export const FLOW_LOG_FIELDS = [
  "version", "account-id", "interface-id", "srcaddr", "dstaddr", "srcport", "dstport", "protocol", "packets", "bytes",
  "start", "end", "action", "log-status", "vpc-id", "subnet-id", "instance-id", "tcp-flags", "type", "pkt-srcaddr",
  "pkt-dstaddr", "region", "az-id", "sublocation-type", "sublocation-id", "pkt-src-aws-service", "pkt-dst-aws-service",
  "flow-direction", "traffic-path",
] as const;
export const FLOW_LOG_FORMAT = FLOW_LOG_FIELDS.map((f) => "${" + f + "}").join(" ");

/** The fixed subscription-filter name: the subscriber's idempotency key. */
export const SUBSCRIPTION_FILTER_NAME = "cn-log-backup-archive";

/** Name of the primary's replication role; both stacks derive it from config alone. */
export function replicationRoleName(primaryRegion: string): string {
  return `cn-log-backup-archive-replication-${primaryRegion}`;
}

export interface LifecycleArgs {
  /** Days until current objects expire (>= 180 for network logs: Cybersecurity Law). */
  expirationDays: number;
  /** Per-prefix expiry overriding `expirationDays` (primary only). */
  prefixExpirationDays?: Partial<Record<ArchivePrefix, number>>;
  infrequentAccessDays: number;
  glacierDays: number;
  noncurrentVersionExpirationDays: number;
  abortIncompleteMultipartUploadDays: number;
}

interface CommonArgs {
  lifecycle: LifecycleArgs;
  kmsKeyDeletionWindowDays: number;
  /** Region of the primary (source) stack. */
  primaryRegion: string;
  /** Region of the backup (replica) stack. */
  backupRegion: string;
  /** S3 Inventory of this bucket into its own `inventory/` (infra/archive-inventory.ts). */
  inventory?: boolean;
  tags?: Record<string, string>;
}

export interface ReplicaRoleArgs extends CommonArgs {
  role: "backup";
  /** Account of the primary stack (whose replication role writes here); default: this account. */
  sourceAccountId?: pulumi.Input<string>;
  objectLock?: { mode: "GOVERNANCE" | "COMPLIANCE"; days: number };
  /** The hardened profile's denies on the replica's bucket and key policies (infra/hardened-profile.ts). */
  hardened?: HardenedArgs;
}

export interface LogFileArgs {
  /** Path (glob) on the instance, e.g. `/var/log/messages`. */
  filePath: string;
  /** Log group the agent writes to; created here with KMS and retention. */
  logGroupName: string;
}

export interface RdsLogGroupArgs {
  /** DB cluster identifier. */
  clusterName: string;
  /** Log types exported, e.g. `audit`, `error`, `general`, `slowquery`. */
  logTypes: string[];
}

export interface PrimaryRoleArgs extends CommonArgs {
  role: "primary";
  /** The replica, from the backup stack's outputs. */
  replica: { bucketArn: pulumi.Input<string>; keyArn: pulumi.Input<string>; accountId?: pulumi.Input<string> };
  replication: { replicationTimeControl: boolean; storageClass: string };
  cloudWatchLogs: {
    mode: "firehose" | "exportTask";
    logGroupPatterns: string[];
    subscriptionSchedule: string;
    firehose: { bufferSizeMb: number; bufferIntervalSeconds: number; decompress: boolean };
    exportTask: { period: ExportPeriod; schedule: string };
  };
  flowLogs: { vpcIds: pulumi.Input<string>[]; trafficType: string };
  cloudTrail: { enabled: boolean; multiRegion: boolean };
  ec2Agent: { logFiles: LogFileArgs[] };
  rdsLogGroups: RdsLogGroupArgs[];
  /** Retention of the log groups LogArchive creates (EC2 agent, RDS). */
  logGroupRetentionDays: number;
  /** Lambda log groups: key and retention (the InlineLambda factory's). */
  lambdaLogKeyArn: pulumi.Input<string>;
  lambdaLogRetentionDays: number;
  /** Where the Lambdas run (stacks/lambda-network.ts); undefined: outside any VPC. */
  lambdaVpc?: LambdaVpcConfig;
  /** Build the Lambdas later, with `createFunctions(lambdaVpc)` (when their VPC comes after). */
  deferFunctions?: boolean;
  /** Stack name, for resource names that must be unique per stack. */
  stack: string;
  /** Admit Backup Audit Manager's report delivery into `backup-reports/` (infra/backup-reports.ts). */
  backupReports?: boolean;
}

export type LogArchiveArgs = PrimaryRoleArgs | ReplicaRoleArgs;

/** Lifecycle rules: one per archive prefix (or one whole-bucket rule for the replica). */
export function lifecycleRules(l: LifecycleArgs, prefixes: readonly string[] | "all"): aws.types.input.s3.BucketLifecycleConfigurationRule[] {
  const transitions = [
    { days: l.infrequentAccessDays, storageClass: "STANDARD_IA" },
    { days: l.glacierDays, storageClass: "GLACIER" },
  ];
  const rules: aws.types.input.s3.BucketLifecycleConfigurationRule[] = [];
  const one = (id: string, prefix: string, days: number) => ({
    id,
    status: "Enabled",
    filter: { prefix },
    transitions,
    expiration: { days },
    noncurrentVersionExpiration: { noncurrentDays: l.noncurrentVersionExpirationDays },
  });
  if (prefixes === "all") {
    rules.push(one("all-objects", "", l.expirationDays));
  } else {
    for (const p of prefixes) {
      const days = l.prefixExpirationDays?.[p as ArchivePrefix] ?? l.expirationDays;
      rules.push(one(`${p.replace(/\/$/, "")}`, p, days));
    }
    rules.push({
      id: "state",
      status: "Enabled",
      filter: { prefix: STATE_PREFIX },
      noncurrentVersionExpiration: { noncurrentDays: l.noncurrentVersionExpirationDays },
    });
  }
  rules.push({
    id: "abort-incomplete-multipart-uploads",
    status: "Enabled",
    filter: { prefix: "" },
    abortIncompleteMultipartUpload: { daysAfterInitiation: l.abortIncompleteMultipartUploadDays },
  });
  rules.push({ id: "expired-delete-markers", status: "Enabled", filter: { prefix: "" }, expiration: { expiredObjectDeleteMarker: true } });
  return rules;
}

interface ProtectedBucket {
  bucket: aws.s3.Bucket;
  versioning: aws.s3.BucketVersioning;
  encryption: aws.s3.BucketServerSideEncryptionConfiguration;
  publicAccessBlock: aws.s3.BucketPublicAccessBlock;
  ownership: aws.s3.BucketOwnershipControls;
  lifecycle: aws.s3.BucketLifecycleConfiguration;
  objectLock?: aws.s3.BucketObjectLockConfiguration;
}

/** A bucket with every protection both roles share (the policy is added by the caller). */
function protectedBucket(
  name: string,
  args: { keyArn: pulumi.Input<string>; rules: aws.types.input.s3.BucketLifecycleConfigurationRule[]; objectLock?: { mode: string; days: number }; tags?: Record<string, string> },
  parent: pulumi.Resource,
): ProtectedBucket {
  const opts = { parent };
  const bucket = new aws.s3.Bucket(name, { objectLockEnabled: args.objectLock ? true : undefined, forceDestroy: false, tags: args.tags }, { parent });
  const versioning = new aws.s3.BucketVersioning(`${name}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, opts);
  const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
    `${name}-sse`,
    { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.keyArn }, bucketKeyEnabled: true }] },
    opts,
  );
  const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
    `${name}-public-access-block`,
    { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
    opts,
  );
  const ownership = new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, opts);
  const lifecycle = new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, { bucket: bucket.id, rules: args.rules }, { parent, dependsOn: [versioning] });
  let objectLock: aws.s3.BucketObjectLockConfiguration | undefined;
  if (args.objectLock) {
    objectLock = new aws.s3.BucketObjectLockConfiguration(
      `${name}-object-lock`,
      { bucket: bucket.id, rule: { defaultRetention: { mode: args.objectLock.mode, days: args.objectLock.days } } },
      { parent, dependsOn: [versioning] },
    );
  }
  return { bucket, versioning, encryption, publicAccessBlock, ownership, lifecycle, objectLock };
}

/** Statements every archive bucket policy starts with: TLS only, and no deleting object versions. */
function baseBucketStatements(bucketArn: pulumi.Input<string>): PolicyStatement[] {
  return [
    denyInsecureTransport([bucketArn, pulumi.interpolate`${bucketArn}/*`], "s3:*"),
    {
      // Ransomware / insider guard: versions disappear only through lifecycle rules.
      Sid: "DenyDeletingObjectVersions",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:DeleteObjectVersion", "s3:DeleteObjectTagging", "s3:DeleteObjectVersionTagging"],
      Resource: [pulumi.interpolate`${bucketArn}/*`],
    },
  ];
}

/**
 * The component. Primary role fields are set on the primary, replica fields on the backup.
 * Outputs for other components: `bucketName`, `bucketArn`, `keyArn`, `agentInstanceProfileName`,
 * and the methods `createRdsLogGroups` and `addFlowLogs` for resources they create later.
 */
export class LogArchive extends pulumi.ComponentResource {
  /** The archive (primary) or replica (backup) bucket and its key. */
  readonly bucket: aws.s3.Bucket;
  readonly key: aws.kms.Key;
  readonly bucketPolicy: aws.s3.BucketPolicy;
  readonly bucketName: pulumi.Output<string>;
  readonly bucketArn: pulumi.Output<string>;
  readonly keyArn: pulumi.Output<string>;
  readonly inventory?: aws.s3.Inventory;

  // Primary only.
  readonly replicationRole?: aws.iam.Role;
  readonly replication?: aws.s3.BucketReplicationConfig;
  readonly deliveryStream?: aws.kinesis.FirehoseDeliveryStream;
  readonly cloudWatchLogsRole?: aws.iam.Role;
  subscriber?: InlineLambda;
  exporter?: InlineLambda;
  readonly trail?: aws.cloudtrail.Trail;
  readonly agentRole?: aws.iam.Role;
  readonly agentInstanceProfile?: aws.iam.InstanceProfile;
  readonly agentInstanceProfileName?: pulumi.Output<string>;
  readonly agentConfigParameter?: aws.ssm.Parameter;
  readonly failureQueue?: aws.sqs.Queue;
  readonly flowLogs: aws.ec2.FlowLog[] = [];
  readonly logGroups: aws.cloudwatch.LogGroup[] = [];
  /** Names of `logGroups`: those get their subscription filter as resources of their own. */
  private readonly ownLogGroupNames = new Set<string>();

  private readonly primaryArgs?: PrimaryRoleArgs;
  private readonly componentName: string;
  private cwlRolePolicy?: aws.iam.RolePolicy;

  constructor(name: string, args: LogArchiveArgs, opts?: pulumi.ComponentResourceOptions) {
    super("cn-log-backup:index:LogArchive", name, {}, opts);
    this.componentName = name;
    if (args.lifecycle.expirationDays < 180) {
      throw new Error(`LogArchive ${name}: expirationDays ${args.lifecycle.expirationDays} is below 180 (Cybersecurity Law: keep network logs six months)`);
    }
    const facts = partitionFacts({ parent: this });
    const accountId = facts.accountId;
    const parent = { parent: this };

    if (args.role === "backup") {
      const sourceAccount = args.sourceAccountId ?? accountId;
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
      const pb = protectedBucket(`${name}-replica`, { keyArn: this.key.arn, rules: lifecycleRules(args.lifecycle, "all"), objectLock: args.objectLock, tags: args.tags }, this);
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
      if (args.inventory) this.inventory = archiveInventory(`${name}-replica-inventory`, { bucket: this.bucket, keyArn: this.key.arn, accountId }, { parent: this, dependsOn: [this.bucketPolicy, pb.encryption] });
      this.bucketName = this.bucket.bucket;
      this.bucketArn = this.bucket.arn;
      this.keyArn = this.key.arn;
      this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn, keyArn: this.keyArn });
      return;
    }

    // ---------------------------------------------------------------- primary role
    this.primaryArgs = args;
    const region = args.primaryRegion;
    const trailName = `cn-log-backup-${args.stack}`;
    const trailArn = arn({ service: "cloudtrail", resource: `trail/${trailName}` }, parent);
    const logsSourceArn = arn({ service: "logs", resource: "*" }, parent);
    const logsPrincipal = servicePrincipal("logs", { parent: this, region });
    const deliveryLogsPrincipal = servicePrincipal("delivery.logs", parent);
    const cloudTrailPrincipal = servicePrincipal("cloudtrail", parent);

    const archiveKeyStatements: PolicyStatement[] = [
          cloudWatchLogsKeyStatement(region),
          {
            Sid: "CloudWatchLogsExportsIntoTheArchive",
            Effect: "Allow",
            Principal: { Service: logsPrincipal },
            Action: ["kms:Encrypt", "kms:GenerateDataKey"],
            Resource: "*",
            Condition: { StringEquals: { "aws:SourceAccount": accountId }, ArnLike: { "aws:SourceArn": logsSourceArn } },
          },
          {
            Sid: "FlowLogsDeliveryEncrypts",
            Effect: "Allow",
            Principal: { Service: deliveryLogsPrincipal },
            Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
            Resource: "*",
            Condition: { StringEquals: { "aws:SourceAccount": accountId }, ArnLike: { "aws:SourceArn": logsSourceArn } },
          },
          {
            Sid: "CloudTrailEncryptsItsTrail",
            Effect: "Allow",
            Principal: { Service: cloudTrailPrincipal },
            Action: ["kms:GenerateDataKey*"],
            Resource: "*",
            Condition: {
              StringEquals: { "aws:SourceArn": trailArn },
              StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": arn({ service: "cloudtrail", region: "*", resource: "trail/*" }, parent) },
            },
          },
          {
            Sid: "CloudTrailDescribesKey",
            Effect: "Allow",
            Principal: { Service: cloudTrailPrincipal },
            Action: ["kms:DescribeKey"],
            Resource: "*",
            Condition: { StringEquals: { "aws:SourceArn": trailArn } },
          },
        
      ...(args.backupReports ? [backupReportsKeyStatement(region, parent)] : []),
      ...(args.inventory ? [inventoryKeyStatement(`${name}-archive`, accountId, parent)] : []),
    ].filter((st) => {
      const sid = (st as PolicyStatement).Sid ?? "";
      if (sid.startsWith("CloudTrail")) return args.cloudTrail.enabled;
      if (sid === "CloudWatchLogsExportsIntoTheArchive") return args.cloudWatchLogs.mode === "exportTask";
      return true;
    }) as PolicyStatement[];
    this.key = customerManagedKey(
      `${name}-archive-key`,
      {
        description: `cn-log-backup: encrypts the log archive (${regionName(args.primaryRegion)}), its log groups and its trail`,
        deletionWindowInDays: args.kmsKeyDeletionWindowDays,
        alias: `cn-log-backup/log-archive`,
        statements: archiveKeyStatements,
        tags: args.tags,
      },
      parent,
    );

    const pb = protectedBucket(`${name}-archive`, { keyArn: this.key.arn, rules: lifecycleRules(args.lifecycle, ARCHIVE_PREFIXES), tags: args.tags }, this);
    this.bucket = pb.bucket;
    const bucketArn = this.bucket.arn;
    const deliveryConditions = { StringEquals: { "aws:SourceAccount": accountId }, ArnLike: { "aws:SourceArn": logsSourceArn } };
    const policyStatements: PolicyStatement[] = [
      ...baseBucketStatements(bucketArn),
      {
        Sid: "FlowLogsDeliveryChecksBucket",
        Effect: "Allow",
        Principal: { Service: deliveryLogsPrincipal },
        Action: ["s3:GetBucketAcl", "s3:ListBucket"],
        Resource: [bucketArn],
        Condition: deliveryConditions,
      },
      {
        Sid: "FlowLogsDeliveryWrites",
        Effect: "Allow",
        Principal: { Service: deliveryLogsPrincipal },
        Action: ["s3:PutObject"],
        // addFlowLogs always writes Hive-compatible partitions: `flow-logs/AWSLogs/aws-account-id=<account>/
        // aws-service=vpcflowlogs/aws-region=<region>/...` (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3.html#flow-logs-s3-path).
        Resource: [pulumi.interpolate`${bucketArn}/flow-logs/AWSLogs/aws-account-id=${accountId}/*`],
        Condition: { StringEquals: { "aws:SourceAccount": accountId, "s3:x-amz-acl": "bucket-owner-full-control" }, ArnLike: { "aws:SourceArn": logsSourceArn } },
      },
    ];
    if (args.backupReports) policyStatements.push(backupReportsBucketStatement(bucketArn, parent));
    if (args.inventory) policyStatements.push(inventoryBucketStatement(bucketArn, bucketArn, accountId, parent));
    if (args.cloudWatchLogs.mode === "exportTask") {
      policyStatements.push(
        {
          Sid: "CloudWatchLogsExportChecksBucket",
          Effect: "Allow",
          Principal: { Service: logsPrincipal },
          Action: ["s3:GetBucketAcl"],
          Resource: [bucketArn],
          Condition: deliveryConditions,
        },
        {
          Sid: "CloudWatchLogsExportWrites",
          Effect: "Allow",
          Principal: { Service: logsPrincipal },
          Action: ["s3:PutObject"],
          Resource: [pulumi.interpolate`${bucketArn}/exports/*`],
          Condition: deliveryConditions,
        },
      );
    }
    if (args.cloudTrail.enabled) {
      policyStatements.push(
        {
          Sid: "CloudTrailChecksBucket",
          Effect: "Allow",
          Principal: { Service: cloudTrailPrincipal },
          Action: ["s3:GetBucketAcl"],
          Resource: [bucketArn],
          Condition: { StringEquals: { "aws:SourceArn": trailArn } },
        },
        {
          Sid: "CloudTrailWrites",
          Effect: "Allow",
          Principal: { Service: cloudTrailPrincipal },
          Action: ["s3:PutObject"],
          Resource: [pulumi.interpolate`${bucketArn}/cloudtrail/AWSLogs/${accountId}/*`],
          Condition: { StringEquals: { "aws:SourceArn": trailArn, "s3:x-amz-acl": "bucket-owner-full-control" } },
        },
      );
    }
    this.bucketPolicy = new aws.s3.BucketPolicy(`${name}-archive-policy`, { bucket: this.bucket.id, policy: policyDocument(policyStatements) }, { parent: this, dependsOn: [pb.publicAccessBlock] });
    // The archive's own inventory/ objects replicate like every other prefix (the one rule has an
    // empty filter): intended, Ningxia then also keeps Beijing's inventory as disaster-recovery evidence.
    if (args.inventory) this.inventory = archiveInventory(`${name}-archive-inventory`, { bucket: this.bucket, keyArn: this.key.arn, accountId }, { parent: this, dependsOn: [this.bucketPolicy, pb.encryption] });
    this.bucketName = this.bucket.bucket;
    this.bucketArn = this.bucket.arn;
    this.keyArn = this.key.arn;

    // ---------------------------------------------------------------- replication
    const crossAccount = args.replica.accountId !== undefined;
    this.replicationRole = new aws.iam.Role(
      `${name}-replication-role`,
      {
        name: replicationRoleName(region),
        description: `cn-log-backup: S3 Cross-Region Replication of the log archive to ${regionName(args.backupRegion)}`,
        assumeRolePolicy: serviceTrustPolicy({ principal: servicePrincipal("s3", parent), sourceAccount: accountId, sourceArn: bucketArn }),
        tags: args.tags,
      },
      parent,
    );
    const replicationPolicy = new aws.iam.RolePolicy(
      `${name}-replication-policy`,
      {
        role: this.replicationRole.id,
        policy: policyDocument(replicationStatements({
          sourceBucketArn: bucketArn,
          sourceKeyArn: this.key.arn,
          sourceRegion: region,
          replicaBucketArn: args.replica.bucketArn,
          replicaKeyArn: args.replica.keyArn,
          replicaRegion: args.backupRegion,
          crossAccount,
          parent: this,
        })),
      },
      parent,
    );
    const destination: aws.types.input.s3.BucketReplicationConfigRuleDestination = {
      bucket: args.replica.bucketArn,
      storageClass: args.replication.storageClass,
      encryptionConfiguration: { replicaKmsKeyId: args.replica.keyArn },
      metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
    };
    if (args.replication.replicationTimeControl) destination.replicationTime = { status: "Enabled", time: { minutes: 15 } };
    if (crossAccount) {
      destination.account = args.replica.accountId;
      destination.accessControlTranslation = { owner: "Destination" };
    }
    this.replication = new aws.s3.BucketReplicationConfig(
      `${name}-replication`,
      {
        bucket: this.bucket.id,
        role: this.replicationRole.arn,
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
      { parent: this, dependsOn: [pb.versioning, replicationPolicy] },
    );

    // ---------------------------------------------------------------- CloudWatch Logs -> S3
    this.failureQueue = new aws.sqs.Queue(
      `${name}-failures`,
      // SQS-managed encryption: EventBridge dead-lettering into a CMK-encrypted queue would need the
      // events principal on the archive key, which should stay narrow.
      { messageRetentionSeconds: 1209600, sqsManagedSseEnabled: true, tags: args.tags },
      parent,
    );
    const patterns = this.effectivePatterns();
    const firehoseLogGroupName = `/cn-log-backup/${args.stack}/firehose/log-archive`;

    if (args.cloudWatchLogs.mode === "firehose") {
      const firehoseLogGroup = new aws.cloudwatch.LogGroup(
        `${name}-firehose-logs`,
        { name: firehoseLogGroupName, retentionInDays: args.logGroupRetentionDays, kmsKeyId: this.key.arn, tags: args.tags },
        parent,
      );
      const firehoseRole = new aws.iam.Role(
        `${name}-firehose-role`,
        {
          description: "cn-log-backup: Firehose writes CloudWatch Logs records into cloudwatch/ of the archive",
          // Firehose documents sts:ExternalId (the account id) as its confused-deputy guard.
          assumeRolePolicy: policyDocument([
            {
              Effect: "Allow",
              Principal: { Service: servicePrincipal("firehose", parent) },
              Action: "sts:AssumeRole",
              Condition: { StringEquals: { "sts:ExternalId": accountId } },
            },
          ]),
          tags: args.tags,
        },
        parent,
      );
      const firehosePolicy = new aws.iam.RolePolicy(
        `${name}-firehose-policy`,
        {
          role: firehoseRole.id,
          policy: policyDocument(firehoseStatements({ bucketArn, keyArn: this.key.arn, region, logGroupArn: firehoseLogGroup.arn, parent: this })),
        },
        parent,
      );
      const f = args.cloudWatchLogs.firehose;
      const partition = "year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/";
      this.deliveryStream = new aws.kinesis.FirehoseDeliveryStream(
        `${name}-cloudwatch`,
        {
          destination: "extended_s3",
          serverSideEncryption: { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: this.key.arn },
          extendedS3Configuration: {
            bucketArn,
            roleArn: firehoseRole.arn,
            prefix: `cloudwatch/logs/${partition}`,
            errorOutputPrefix: `cloudwatch/errors/!{firehose:error-output-type}/${partition}`,
            bufferingSize: f.bufferSizeMb,
            bufferingInterval: f.bufferIntervalSeconds,
            // CloudWatch Logs sends gzip records; with decompression on, Firehose unpacks them and
            // compresses whole objects (GZIP); without it the records stay gzip (.gz objects).
            compressionFormat: f.decompress ? "GZIP" : "UNCOMPRESSED",
            fileExtension: f.decompress ? undefined : ".gz",
            processingConfiguration: f.decompress
              ? {
                  enabled: true,
                  processors: [
                    { type: "Decompression", parameters: [{ parameterName: "CompressionFormat", parameterValue: "GZIP" }] },
                    { type: "CloudWatchLogProcessing", parameters: [{ parameterName: "DataMessageExtraction", parameterValue: "true" }] },
                  ],
                }
              : undefined,
            kmsKeyArn: this.key.arn,
            cloudwatchLoggingOptions: { enabled: true, logGroupName: firehoseLogGroup.name, logStreamName: "S3Delivery" },
          },
          tags: args.tags,
        },
        { parent: this, dependsOn: [firehosePolicy] },
      );
      new aws.cloudwatch.LogStream(`${name}-firehose-log-stream`, { name: "S3Delivery", logGroupName: firehoseLogGroup.name }, parent);

      this.cloudWatchLogsRole = new aws.iam.Role(
        `${name}-cwl-role`,
        {
          description: "cn-log-backup: CloudWatch Logs puts subscribed log events into the archive's Firehose stream",
          assumeRolePolicy: serviceTrustPolicy({ principal: logsPrincipal, sourceAccount: accountId, sourceArn: logsSourceArn }),
          tags: args.tags,
        },
        parent,
      );
      this.cwlRolePolicy = new aws.iam.RolePolicy(
        `${name}-cwl-policy`,
        {
          role: this.cloudWatchLogsRole.id,
          policy: policyDocument([
            { Sid: "PutIntoArchiveStream", Effect: "Allow", Action: ["firehose:PutRecord", "firehose:PutRecordBatch"], Resource: [this.deliveryStream.arn] },
          ]),
        },
        parent,
      );

      // Existing log groups that match now (the subscriber keeps future ones covered).
      this.subscribeExistingLogGroups(name, patterns);

    }
    if (!args.deferFunctions) this.createFunctions(args.lambdaVpc);

    // ---------------------------------------------------------------- VPC Flow Logs
    args.flowLogs.vpcIds.forEach((vpcId, i) => this.addFlowLogs(`${name}-flow-logs-${i}`, vpcId));

    // ---------------------------------------------------------------- CloudTrail
    if (args.cloudTrail.enabled) {
      this.trail = new aws.cloudtrail.Trail(
        `${name}-trail`,
        {
          name: trailName,
          s3BucketName: this.bucket.bucket,
          s3KeyPrefix: "cloudtrail",
          kmsKeyId: this.key.arn,
          enableLogFileValidation: true,
          includeGlobalServiceEvents: true,
          isMultiRegionTrail: args.cloudTrail.multiRegion,
          eventSelectors: [{ readWriteType: "All", includeManagementEvents: true }],
          tags: args.tags,
        },
        { parent: this, dependsOn: [this.bucketPolicy, pb.encryption] },
      );
    }

    // ---------------------------------------------------------------- EC2 CloudWatch-agent kit
    this.agentRole = new aws.iam.Role(
      `${name}-agent-role`,
      {
        description: "cn-log-backup: EC2 instances running the CloudWatch agent (logs into the archive) and SSM",
        // EC2 instance roles are assumed by the instance's own credentials: no source conditions apply.
        assumeRolePolicy: policyDocument([{ Effect: "Allow", Principal: { Service: servicePrincipal("ec2", parent) }, Action: "sts:AssumeRole" }]),
        tags: args.tags,
      },
      parent,
    );
    new aws.iam.RolePolicyAttachment(`${name}-agent-cloudwatch`, { role: this.agentRole.name, policyArn: managedPolicyArn("CloudWatchAgentServerPolicy", parent) }, parent);
    new aws.iam.RolePolicyAttachment(`${name}-agent-ssm`, { role: this.agentRole.name, policyArn: managedPolicyArn("AmazonSSMManagedInstanceCore", parent) }, parent);
    this.agentInstanceProfile = new aws.iam.InstanceProfile(`${name}-agent-profile`, { role: this.agentRole.name, tags: args.tags }, parent);
    this.agentInstanceProfileName = this.agentInstanceProfile.name;
    for (const lf of args.ec2Agent.logFiles) this.createLogGroup(`${name}-ec2-${slug(lf.logGroupName)}`, lf.logGroupName);
    this.agentConfigParameter = new aws.ssm.Parameter(
      `${name}-agent-config`,
      {
        // The agent's managed policy may read parameters named AmazonCloudWatch-*.
        name: `AmazonCloudWatch-cn-log-backup-${args.stack}`,
        type: "String",
        tier: "Standard",
        description: "cn-log-backup: CloudWatch agent configuration (log files into the archived log groups)",
        // Not a secret: insecureValue keeps it readable in plans and diffs.
        insecureValue: JSON.stringify(agentConfig(args.ec2Agent.logFiles)),
        tags: args.tags,
      },
      parent,
    );

    // ---------------------------------------------------------------- RDS / Aurora log groups
    for (const r of args.rdsLogGroups) this.createRdsLogGroups(`${name}-rds-${r.clusterName}`, r.clusterName, r.logTypes);

    this.registerOutputs({
      bucketName: this.bucketName,
      bucketArn: this.bucketArn,
      keyArn: this.keyArn,
      agentInstanceProfileName: this.agentInstanceProfileName,
      deliveryStreamArn: this.deliveryStream?.arn,
      trailArn: this.trail?.arn,
    });
  }

  /**
   * The Lambda functions (subscriber in firehose mode, exporter in exportTask mode) and their
   * EventBridge rules. Called by the constructor unless `deferFunctions` is set; then the stack
   * calls it once the functions' network is known (it may be the AuroraLab's VPC, and the lab
   * takes LogArchive's agent kit and RDS log-group factory first).
   */
  createFunctions(lambdaVpc?: LambdaVpcConfig): void {
    const args = this.primaryArgs;
    if (!args) throw new Error("LogArchive: functions belong to the primary role only");
    if (this.subscriber || this.exporter) throw new Error("LogArchive: createFunctions was already called");
    const name = this.componentName;
    const parent = { parent: this };
    const region = args.primaryRegion;
    const bucketArn = this.bucket.arn;
    const patterns = this.effectivePatterns();
    const lambdaCommon = { logKeyArn: args.lambdaLogKeyArn, logRetentionDays: args.lambdaLogRetentionDays, vpc: lambdaVpc, tags: args.tags };
    if (this.deliveryStream && this.cloudWatchLogsRole) {
      const streamArn = this.deliveryStream.arn;
      const cwlRoleArn = this.cloudWatchLogsRole.arn;
      this.subscriber = new InlineLambda<unknown, unknown>(
        `${name}-subscriber`,
        {
          description: "cn-log-backup LogArchive: subscribes matching log groups to the archive's Firehose stream",
          callbackFactory: () => {
            const logs = new CloudWatchLogsClient({});
            // Settings are read on the first invocation (once per container), so loading the module
            // never fails; a missing variable fails the invocation, which lands in the failure queue.
            let handler: ((event: unknown) => Promise<unknown>) | undefined;
            return async (event: unknown) => {
              handler ??= createSubscriberHandler({
                logs,
                destinationArn: requiredEnv("DESTINATION_ARN"),
                roleArn: requiredEnv("CWL_ROLE_ARN"),
                filterName: requiredEnv("FILTER_NAME"),
                logGroupPatterns: JSON.parse(requiredEnv("LOG_GROUP_PATTERNS")),
              });
              return handler(event);
            };
          },
          statements: [
            {
              Sid: "ListLogGroups",
              Effect: "Allow",
              Action: ["logs:DescribeLogGroups"],
              Resource: [arn({ service: "logs", resource: "log-group:*" }, parent)],
            },
            {
              Sid: "ManageSubscriptionFilters",
              Effect: "Allow",
              Action: ["logs:DescribeSubscriptionFilters", "logs:PutSubscriptionFilter"],
              Resource: [arn({ service: "logs", resource: "log-group:*" }, parent)],
            },
            {
              Sid: "PassCloudWatchLogsRole",
              Effect: "Allow",
              Action: ["iam:PassRole"],
              Resource: [cwlRoleArn],
              // Every form of the CloudWatch Logs principal, nothing else: AWS does not document which
              // one IAM presents as iam:PassedToService in China (its China CloudWatch Logs guide prints
              // logs.amazonaws.com in trust policies, the provider names logs.amazonaws.com.cn, key
              // policies use logs.<region>.amazonaws.com.cn), see infra/partition.ts servicePrincipalForms.
              Condition: { StringEquals: { "iam:PassedToService": servicePrincipalForms("logs", { parent: this, region }) } },
            },
          ],
          environment: {
            DESTINATION_ARN: streamArn,
            CWL_ROLE_ARN: cwlRoleArn,
            FILTER_NAME: SUBSCRIPTION_FILTER_NAME,
            LOG_GROUP_PATTERNS: JSON.stringify(patterns),
          },
          timeout: 300,
          asyncFailure: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600, onFailureQueueArn: this.failureQueue!.arn },
          ...lambdaCommon,
        },
        parent,
      );
      const createRule = new aws.cloudwatch.EventRule(
        `${name}-log-group-created`,
        {
          description: "cn-log-backup: a log group was created (CloudTrail), subscribe it if it matches",
          eventPattern: JSON.stringify({
            source: ["aws.logs"],
            "detail-type": ["AWS API Call via CloudTrail"],
            detail: { eventSource: [cloudTrailEventSource("logs")], eventName: ["CreateLogGroup"] },
          }),
          tags: args.tags,
        },
        parent,
      );
      const scheduleRule = new aws.cloudwatch.EventRule(
        `${name}-subscription-recheck`,
        { description: "cn-log-backup: re-check every log group's subscription", scheduleExpression: args.cloudWatchLogs.subscriptionSchedule, tags: args.tags },
        parent,
      );
      this.lambdaTargets(name, "subscriber", this.subscriber, [createRule, scheduleRule]);
      this.failureQueuePolicy(name, [createRule, scheduleRule]);
      return;
    }
    this.exporter = new InlineLambda<unknown, unknown>(
      `${name}-exporter`,
      {
        description: "cn-log-backup LogArchive: exports each matching log group, period by period, to exports/",
        callbackFactory: () => {
          const logs = new CloudWatchLogsClient({});
          const s3 = new S3Client({});
          let handler: ((event: unknown, context?: unknown) => Promise<unknown>) | undefined;
          return async (event: unknown, context?: unknown) => {
            handler ??= createExportTaskHandler({
              logs,
              s3,
              bucket: requiredEnv("ARCHIVE_BUCKET"),
              period: requiredEnv("EXPORT_PERIOD") as ExportPeriod,
              cursorKey: requiredEnv("CURSOR_KEY"),
              logGroupPatterns: JSON.parse(requiredEnv("LOG_GROUP_PATTERNS")),
            });
            return handler(event, context);
          };
        },
        statements: [
          {
            Sid: "ExportLogGroups",
            Effect: "Allow",
            Action: ["logs:DescribeLogGroups", "logs:CreateExportTask"],
            Resource: [arn({ service: "logs", resource: "log-group:*" }, parent)],
          },
          // DescribeExportTasks has no resource-level permission.
          { Sid: "WatchExportTasks", Effect: "Allow", Action: ["logs:DescribeExportTasks"], Resource: "*" },
          { Sid: "ReadWriteCursor", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: [pulumi.interpolate`${bucketArn}/${EXPORT_CURSOR_KEY}`] },
          {
            Sid: "CursorEncryption",
            Effect: "Allow",
            Action: ["kms:GenerateDataKey", "kms:Decrypt"],
            Resource: [this.key.arn],
            Condition: { StringEquals: { "kms:ViaService": viaService("s3", region, parent) } },
          },
        ],
        environment: {
          ARCHIVE_BUCKET: this.bucket.bucket,
          EXPORT_PERIOD: args.cloudWatchLogs.exportTask.period,
          CURSOR_KEY: EXPORT_CURSOR_KEY,
          LOG_GROUP_PATTERNS: JSON.stringify(patterns),
        },
        timeout: 900,
        // One writer of the cursor, one export chain. (Needs one unit of the account's concurrency
        // beyond the unreserved minimum of 10; new accounts with a limit of 10 must raise it.)
        reservedConcurrency: 1,
        asyncFailure: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 3600, onFailureQueueArn: this.failureQueue!.arn },
        ...lambdaCommon,
      },
      parent,
    );
    const scheduleRule = new aws.cloudwatch.EventRule(
      `${name}-export-schedule`,
      { description: "cn-log-backup: continue the CloudWatch Logs export-task chain", scheduleExpression: args.cloudWatchLogs.exportTask.schedule, tags: args.tags },
      parent,
    );
    this.lambdaTargets(name, "exporter", this.exporter, [scheduleRule]);
    this.failureQueuePolicy(name, [scheduleRule]);
  }

  /** The configured patterns, plus exclusions of this component's own log groups (no feedback loop). */
  private effectivePatterns(): string[] {
    const a = this.primaryArgs!;
    return [...a.cloudWatchLogs.logGroupPatterns, `!/cn-log-backup/${a.stack}/firehose/`];
  }

  /**
   * A log group with the archive key and the configured retention (or `retentionInDays`, for a
   * component with its own retention setting), subscribed in firehose mode.
   */
  createLogGroup(name: string, logGroupName: string, retentionInDays?: number): aws.cloudwatch.LogGroup {
    const a = this.primaryArgs;
    if (!a) throw new Error(`LogArchive: log groups are created by the primary role only (${logGroupName})`);
    const group = new aws.cloudwatch.LogGroup(
      name,
      { name: logGroupName, retentionInDays: retentionInDays ?? a.logGroupRetentionDays, kmsKeyId: this.key.arn, tags: a.tags },
      { parent: this },
    );
    this.logGroups.push(group);
    this.ownLogGroupNames.add(logGroupName);
    if (this.deliveryStream && matchesPatterns(compilePatterns(this.effectivePatterns()), logGroupName)) {
      this.subscriptionFilter(`${name}-subscription`, group.name);
    } else if (this.deliveryStream) {
      pulumi.log.warn(`LogArchive: log group ${logGroupName} does not match logArchive.logGroupPatterns; it is not archived`, this);
    }
    return group;
  }

  /**
   * RDS/Aurora log groups `/aws/rds/cluster/<cluster>/<type>` with KMS and retention, created before
   * the cluster exports to them (make the cluster depend on the returned groups).
   */
  createRdsLogGroups(name: string, clusterName: string, logTypes: string[], retentionInDays?: number): aws.cloudwatch.LogGroup[] {
    return logTypes.map((t) => this.createLogGroup(`${name}-${t}`, rdsClusterLogGroupName(clusterName, t), retentionInDays));
  }

  /**
   * The RDS log-group factory other components take (`RdsLogGroupFactory`, e.g. AuroraLab's
   * `logs.createLogGroups`): the groups are LogArchive's (archive key, archived like the others).
   */
  rdsLogGroupFactory(options: { retentionInDays?: number } = {}): RdsLogGroupFactory {
    return (clusterIdentifier, logTypes) =>
      this.createRdsLogGroups(`${this.componentName}-rds-${clusterIdentifier}`, clusterIdentifier, logTypes, options.retentionInDays);
  }

  /**
   * The CloudWatch-agent configuration in the shape AuroraLab's `clientKit` takes. Only the
   * configuration is shared: the shared agent role and profile take no other component's policies.
   */
  agentKit(): { cloudWatchAgentConfigParameter: pulumi.Output<string> } {
    if (!this.agentConfigParameter) throw new Error("LogArchive: the agent kit belongs to the primary role only");
    return { cloudWatchAgentConfigParameter: this.agentConfigParameter.name };
  }

  /** VPC Flow Logs of `vpcId` straight into `flow-logs/` (Parquet, Hive-compatible, hourly partitions). */
  addFlowLogs(name: string, vpcId: pulumi.Input<string>): aws.ec2.FlowLog {
    const a = this.primaryArgs;
    if (!a) throw new Error("LogArchive: flow logs are delivered by the primary role only");
    const fl = new aws.ec2.FlowLog(
      name,
      {
        vpcId,
        trafficType: a.flowLogs.trafficType,
        logDestinationType: "s3",
        logDestination: pulumi.interpolate`${this.bucket.arn}/flow-logs/`,
        logFormat: FLOW_LOG_FORMAT,
        maxAggregationInterval: 600,
        destinationOptions: { fileFormat: "parquet", hiveCompatiblePartitions: true, perHourPartition: true },
        tags: a.tags,
      },
      { parent: this, dependsOn: [this.bucketPolicy] },
    );
    this.flowLogs.push(fl);
    return fl;
  }

  private subscriptionFilter(name: string, logGroupName: pulumi.Input<string>): aws.cloudwatch.LogSubscriptionFilter {
    return new aws.cloudwatch.LogSubscriptionFilter(
      name,
      {
        name: SUBSCRIPTION_FILTER_NAME,
        logGroup: logGroupName,
        filterPattern: "",
        destinationArn: this.deliveryStream!.arn,
        roleArn: this.cloudWatchLogsRole!.arn,
      },
      { parent: this, dependsOn: [this.cwlRolePolicy!] },
    );
  }

  /** Subscription filters for the matching log groups that exist at deployment. */
  private subscribeExistingLogGroups(name: string, patterns: string[]): void {
    const compiled = compilePatterns(patterns);
    const prefixes = [...new Set(compiled.filter((p) => !p.exclude).map((p) => (p.prefix ?? p.source.slice(0, p.source.indexOf("*")))))];
    const lookups = prefixes.map((prefix) => aws.cloudwatch.getLogGroupsOutput(prefix ? { logGroupNamePrefix: prefix } : {}, { parent: this }));
    // Read when the lookups resolve, after the synchronous program has made every log group it
    // owns (including those other components made through rdsLogGroupFactory).
    pulumi.all(lookups.map((l) => l.logGroupNames)).apply((lists) => {
      const names = [...new Set(lists.flat())].filter((n) => matchesPatterns(compiled, n) && !this.ownLogGroupNames.has(n)).sort();
      for (const n of names) this.subscriptionFilter(`${name}-existing-${slug(n)}`, n);
      return names;
    });
  }

  /** EventBridge targets (bounded retries, DLQ) and invoke permissions for `fn`. */
  private lambdaTargets(name: string, what: string, fn: InlineLambda, rules: aws.cloudwatch.EventRule[]): void {
    rules.forEach((rule, i) => {
      const permission = fn.allowInvoke(`${name}-${what}-invoke-${i}`, { service: "events", sourceArn: rule.arn });
      new aws.cloudwatch.EventTarget(
        `${name}-${what}-target-${i}`,
        {
          rule: rule.name,
          arn: fn.arn,
          retryPolicy: { maximumRetryAttempts: 8, maximumEventAgeInSeconds: 3600 },
          deadLetterConfig: { arn: this.failureQueue!.arn },
        },
        { parent: this, dependsOn: [permission] },
      );
    });
  }

  /**
   * EventBridge may drop undeliverable events of `rules` (the rules targeting this component's
   * functions) into the failure queue; EventBridge sends aws:SourceArn = the rule's ARN
   * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html).
   */
  private failureQueuePolicy(name: string, rules: aws.cloudwatch.EventRule[]): void {
    new aws.sqs.QueuePolicy(
      `${name}-failures-policy`,
      {
        queueUrl: this.failureQueue!.url,
        policy: policyDocument([
          denyInsecureTransport([this.failureQueue!.arn], "sqs:*"),
          {
            Sid: "EventBridgeDeadLetters",
            Effect: "Allow",
            Principal: { Service: servicePrincipal("events", { parent: this }) },
            Action: ["sqs:SendMessage"],
            Resource: [this.failureQueue!.arn],
            Condition: { ArnEquals: { "aws:SourceArn": rules.map((r) => r.arn) } },
          },
        ]),
      },
      { parent: this },
    );
  }
}

/** A resource-name-safe slug of a log-group name. */
function slug(s: string): string {
  return s.replace(/^\/+/, "").replace(/[^A-Za-z0-9-]+/g, "-").replace(/-+$/, "").toLowerCase();
}

/** The CloudWatch agent configuration: each file into its log group, one stream per instance. */
export function agentConfig(files: LogFileArgs[]): Record<string, unknown> {
  return {
    agent: { metrics_collection_interval: 60, logfile: "/opt/aws/amazon-cloudwatch-agent/logs/amazon-cloudwatch-agent.log" },
    logs: {
      logs_collected: {
        files: {
          collect_list: files.map((f) => ({
            file_path: f.filePath,
            log_group_name: f.logGroupName,
            log_stream_name: "{instance_id}",
            timezone: "UTC",
          })),
        },
      },
    },
  };
}

/** The replication role's permissions: exactly what CRR with KMS re-encryption needs. */
export function replicationStatements(a: {
  sourceBucketArn: pulumi.Input<string>;
  sourceKeyArn: pulumi.Input<string>;
  sourceRegion: string;
  replicaBucketArn: pulumi.Input<string>;
  replicaKeyArn: pulumi.Input<string>;
  replicaRegion: string;
  crossAccount: boolean;
  parent: pulumi.Resource;
}): PolicyStatement[] {
  const p = { parent: a.parent };
  const replicate = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"];
  if (a.crossAccount) replicate.push("s3:ObjectOwnerOverrideToBucketOwner");
  return [
    { Sid: "ReadSourceConfiguration", Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: [a.sourceBucketArn] },
    {
      Sid: "ReadSourceVersions",
      Effect: "Allow",
      Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
      Resource: [pulumi.interpolate`${a.sourceBucketArn}/*`],
    },
    { Sid: "WriteReplicas", Effect: "Allow", Action: replicate, Resource: [pulumi.interpolate`${a.replicaBucketArn}/*`] },
    {
      Sid: "DecryptSourceViaS3",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: [a.sourceKeyArn],
      Condition: {
        StringEquals: { "kms:ViaService": viaService("s3", a.sourceRegion, p) },
        // With S3 Bucket Keys the encryption context is the bucket ARN, otherwise the object ARN.
        ArnLike: { "kms:EncryptionContext:aws:s3:arn": [a.sourceBucketArn, pulumi.interpolate`${a.sourceBucketArn}/*`] },
      },
    },
    {
      Sid: "EncryptReplicasViaS3",
      Effect: "Allow",
      Action: ["kms:Encrypt", "kms:GenerateDataKey"],
      Resource: [a.replicaKeyArn],
      Condition: {
        StringEquals: { "kms:ViaService": viaService("s3", a.replicaRegion, p) },
        ArnLike: { "kms:EncryptionContext:aws:s3:arn": [a.replicaBucketArn, pulumi.interpolate`${a.replicaBucketArn}/*`] },
      },
    },
  ];
}

/** Firehose's permissions: write `cloudwatch/` of the archive through S3 with the archive key. */
export function firehoseStatements(a: { bucketArn: pulumi.Input<string>; keyArn: pulumi.Input<string>; region: string; logGroupArn: pulumi.Input<string>; parent: pulumi.Resource }): PolicyStatement[] {
  return [
    {
      Sid: "ArchiveBucket",
      Effect: "Allow",
      Action: ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
      Resource: [a.bucketArn],
    },
    {
      Sid: "WriteCloudWatchPrefix",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload"],
      Resource: [pulumi.interpolate`${a.bucketArn}/cloudwatch/*`],
    },
    {
      Sid: "ArchiveKeyViaS3",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: [a.keyArn],
      Condition: {
        StringEquals: { "kms:ViaService": viaService("s3", a.region, { parent: a.parent }) },
        ArnLike: { "kms:EncryptionContext:aws:s3:arn": [a.bucketArn, pulumi.interpolate`${a.bucketArn}/cloudwatch/*`] },
      },
    },
    { Sid: "DeliveryErrorLogs", Effect: "Allow", Action: ["logs:PutLogEvents"], Resource: [pulumi.interpolate`${a.logGroupArn}:*`] },
  ];
}
