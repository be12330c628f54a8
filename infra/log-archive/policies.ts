/**
 * LogArchive's statement builders: plain data, tested directly (tests/infra/log-archive/policies.test.ts)
 * and, as deployed, by the IAM simulator (tests/iam/log-archive-*.test.ts). Every ARN and service
 * principal comes from infra/partition.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import { PolicyStatement, denyInsecureTransport } from "../iam";
import { arn, servicePrincipal, viaService } from "../partition";

/** The trail's name: unique per stack (its ARN scopes CloudTrail's bucket and key grants). */
export function trailName(stack: string): string {
  return `cn-log-backup-${stack}`;
}

/** Statements every archive bucket policy starts with: TLS only, and no deleting object versions. */
export function baseBucketStatements(bucketArn: pulumi.Input<string>): PolicyStatement[] {
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

/** What a writer's key statements are built from (the key comes before the bucket). */
export interface KeyGrantContext {
  /** The archive bucket's Pulumi logical name (S3 Inventory's key statement names it by pattern). */
  bucketLogicalName: string;
  accountId: pulumi.Input<string>;
  /** The archive's region. */
  region: string;
  /** The stack's trail (CloudTrail grants are scoped to it). */
  trailArn: pulumi.Input<string>;
  parent: pulumi.Resource;
}

/** What a writer's bucket statements are built from. */
export interface GrantContext extends KeyGrantContext {
  bucketArn: pulumi.Input<string>;
}

/** CloudWatch Logs and log delivery in this account, from any of its log groups. */
function logsDeliveryConditions(c: KeyGrantContext) {
  return { StringEquals: { "aws:SourceAccount": c.accountId }, ArnLike: { "aws:SourceArn": arn({ service: "logs", resource: "*" }, { parent: c.parent }) } };
}

/** VPC Flow Logs (log delivery, `delivery.logs`) into `flow-logs/`. */
export function flowLogsBucketStatements(c: GrantContext): PolicyStatement[] {
  const principal = servicePrincipal("delivery.logs", { parent: c.parent });
  const conditions = logsDeliveryConditions(c);
  return [
    {
      Sid: "FlowLogsDeliveryChecksBucket",
      Effect: "Allow",
      Principal: { Service: principal },
      Action: ["s3:GetBucketAcl", "s3:ListBucket"],
      Resource: [c.bucketArn],
      Condition: conditions,
    },
    {
      Sid: "FlowLogsDeliveryWrites",
      Effect: "Allow",
      Principal: { Service: principal },
      Action: ["s3:PutObject"],
      // Flow logs always write Hive-compatible partitions: `flow-logs/AWSLogs/aws-account-id=<account>/
      // aws-service=vpcflowlogs/aws-region=<region>/...` (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3.html#flow-logs-s3-path).
      Resource: [pulumi.interpolate`${c.bucketArn}/flow-logs/AWSLogs/aws-account-id=${c.accountId}/*`],
      Condition: { StringEquals: { "aws:SourceAccount": c.accountId, "s3:x-amz-acl": "bucket-owner-full-control" }, ArnLike: conditions.ArnLike },
    },
  ];
}

export function flowLogsKeyStatements(c: KeyGrantContext): PolicyStatement[] {
  return [
    {
      Sid: "FlowLogsDeliveryEncrypts",
      Effect: "Allow",
      Principal: { Service: servicePrincipal("delivery.logs", { parent: c.parent }) },
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
      Resource: "*",
      Condition: logsDeliveryConditions(c),
    },
  ];
}

/** CloudWatch Logs export tasks (the regional `logs` principal) into `exports/`. */
export function exportsBucketStatements(c: GrantContext): PolicyStatement[] {
  const principal = servicePrincipal("logs", { parent: c.parent, region: c.region });
  const conditions = logsDeliveryConditions(c);
  return [
    {
      Sid: "CloudWatchLogsExportChecksBucket",
      Effect: "Allow",
      Principal: { Service: principal },
      Action: ["s3:GetBucketAcl"],
      Resource: [c.bucketArn],
      Condition: conditions,
    },
    {
      Sid: "CloudWatchLogsExportWrites",
      Effect: "Allow",
      Principal: { Service: principal },
      Action: ["s3:PutObject"],
      Resource: [pulumi.interpolate`${c.bucketArn}/exports/*`],
      Condition: conditions,
    },
  ];
}

export function exportsKeyStatements(c: KeyGrantContext): PolicyStatement[] {
  return [
    {
      Sid: "CloudWatchLogsExportsIntoTheArchive",
      Effect: "Allow",
      Principal: { Service: servicePrincipal("logs", { parent: c.parent, region: c.region }) },
      Action: ["kms:Encrypt", "kms:GenerateDataKey"],
      Resource: "*",
      Condition: logsDeliveryConditions(c),
    },
  ];
}

/** The stack's CloudTrail trail into `cloudtrail/`. */
export function cloudTrailBucketStatements(c: GrantContext): PolicyStatement[] {
  const principal = servicePrincipal("cloudtrail", { parent: c.parent });
  return [
    {
      Sid: "CloudTrailChecksBucket",
      Effect: "Allow",
      Principal: { Service: principal },
      Action: ["s3:GetBucketAcl"],
      Resource: [c.bucketArn],
      Condition: { StringEquals: { "aws:SourceArn": c.trailArn } },
    },
    {
      Sid: "CloudTrailWrites",
      Effect: "Allow",
      Principal: { Service: principal },
      Action: ["s3:PutObject"],
      Resource: [pulumi.interpolate`${c.bucketArn}/cloudtrail/AWSLogs/${c.accountId}/*`],
      Condition: { StringEquals: { "aws:SourceArn": c.trailArn, "s3:x-amz-acl": "bucket-owner-full-control" } },
    },
  ];
}

export function cloudTrailKeyStatements(c: KeyGrantContext): PolicyStatement[] {
  const principal = servicePrincipal("cloudtrail", { parent: c.parent });
  return [
    {
      Sid: "CloudTrailEncryptsItsTrail",
      Effect: "Allow",
      Principal: { Service: principal },
      Action: ["kms:GenerateDataKey*"],
      Resource: "*",
      Condition: {
        StringEquals: { "aws:SourceArn": c.trailArn },
        StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": arn({ service: "cloudtrail", region: "*", resource: "trail/*" }, { parent: c.parent }) },
      },
    },
    {
      Sid: "CloudTrailDescribesKey",
      Effect: "Allow",
      Principal: { Service: principal },
      Action: ["kms:DescribeKey"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceArn": c.trailArn } },
    },
  ];
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
export function firehoseStatements(a: {
  bucketArn: pulumi.Input<string>;
  keyArn: pulumi.Input<string>;
  region: string;
  logGroupArn: pulumi.Input<string>;
  parent: pulumi.Resource;
}): PolicyStatement[] {
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
