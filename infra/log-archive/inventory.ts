/**
 * S3 Inventory of a log-archive bucket (the Beijing archive or the Ningxia replica), delivered into
 * the same bucket under `inventory/`: the base of the completeness proof (issue 17 item 1). Daily,
 * every object version, with the fields a cross-region comparison needs; Parquet; SSE-KMS with the
 * bucket's own key.
 *
 * Sources:
 * - Configuration, destination bucket policy and key policy:
 *   https://docs.amazonaws.cn/en_us/AmazonS3/latest/userguide/configure-inventory.html
 *   (#configure-inventory-destination-bucket-policy, #configure-inventory-kms-key-policy) and
 *   https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html#example-bucket-policies-s3-inventory-1
 *   The bucket policy admits the S3 service principal to s3:PutObject on the destination with
 *   aws:SourceAccount, aws:SourceArn = the source bucket and s3:x-amz-acl bucket-owner-full-control;
 *   the key policy lets it call kms:GenerateDataKey with the same source conditions.
 * - Optional field names: the S3 API's InventoryOptionalField enum
 *   (https://docs.aws.amazon.com/AmazonS3/latest/API/API_InventoryConfiguration.html; the pinned
 *   @aws-sdk/client-s3 models/enums.d.ts carries the same list, which the provider validates against).
 * - Key layout: `<prefix>/<source-bucket>/<config-id>/YYYY-MM-DDTHH-MMZ/manifest.json|manifest.checksum`,
 *   `<prefix>/<source-bucket>/<config-id>/hive/dt=YYYY-MM-DD-HH-MM/symlink.txt` and
 *   `<prefix>/<source-bucket>/<config-id>/data/<file>.parquet`
 *   (https://docs.amazonaws.cn/en_us/AmazonS3/latest/userguide/storage-inventory-location.html).
 * - Principal: AWS's China S3 guide prints `"Service": "s3.amazonaws.com"`; infra/partition.ts's
 *   DOCUMENTED_PRINCIPAL_SUFFIX makes servicePrincipal("s3") answer that form.
 *
 * Availability: the China S3 guide documents S3 Inventory, but no China "feature availability" page
 * confirming it in cn-north-1/cn-northwest-1 was found, so `logArchive.inventory` is off by default.
 *
 * Format: Parquet, not CSV. Athena reads only the columns a query names from a columnar file
 * (bytes scanned is the Athena cost driver), Parquet carries its schema (no CSV header guessing),
 * and it is what DuckDB reads in the later tests of the comparison.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PolicyStatement } from "../iam";
import { LookupOptions, s3Arn, servicePrincipal } from "../partition";

/** The prefix S3 Inventory writes under (no trailing slash, as the destination's `prefix` takes it). */
export const INVENTORY_PREFIX = "inventory";
/** The configuration id: the `<config-id>` path segment of every inventory object. */
export const INVENTORY_CONFIG_ID = "completeness";
export const INVENTORY_FREQUENCY = "Daily";
export const INVENTORY_VERSIONS = "All";
export const INVENTORY_FORMAT = "Parquet";
/**
 * What the completeness report compares: size and ETag (content), last-modified (the grace
 * period), replication status (FAILED objects), encryption status (SSE-KMS held) and checksum
 * algorithm. Version ids, keys and the delete-marker flag come with includedObjectVersions "All".
 */
export const INVENTORY_OPTIONAL_FIELDS = ["Size", "LastModifiedDate", "ETag", "ReplicationStatus", "EncryptionStatus", "ChecksumAlgorithm"] as const;

/** The S3 Inventory source conditions both policies carry (the confused-deputy guard). */
function sourceConditions(sourceBucketArn: pulumi.Input<string>, sourceAccount: pulumi.Input<string>) {
  return { StringEquals: { "aws:SourceAccount": sourceAccount }, ArnLike: { "aws:SourceArn": sourceBucketArn } };
}

/** The bucket policy statement: S3 Inventory of `sourceBucketArn` writes into `inventory/`. */
export function inventoryBucketStatement(
  bucketArn: pulumi.Input<string>,
  sourceBucketArn: pulumi.Input<string>,
  sourceAccount: pulumi.Input<string>,
  opts: LookupOptions,
): PolicyStatement {
  const c = sourceConditions(sourceBucketArn, sourceAccount);
  return {
    Sid: "S3InventoryDelivers",
    Effect: "Allow",
    Principal: { Service: servicePrincipal("s3", opts) },
    Action: ["s3:PutObject"],
    Resource: [pulumi.interpolate`${bucketArn}/${INVENTORY_PREFIX}/*`],
    Condition: { StringEquals: { ...c.StringEquals, "s3:x-amz-acl": "bucket-owner-full-control" }, ArnLike: c.ArnLike },
  };
}

/**
 * The key policy statement: S3 Inventory of the bucket whose Pulumi logical name is
 * `bucketLogicalName` encrypts its reports with the key. A key policy must be known at preview
 * (the policy pack judges it then), when the bucket's random auto-name suffix is not; so the source
 * is named by Pulumi's auto-name pattern `<logical name>-<random>`, within this account
 * (aws:SourceAccount). The bucket policy names the exact bucket.
 * https://www.pulumi.com/docs/iac/concepts/resources/names/#autonaming
 */
export function inventoryKeyStatement(bucketLogicalName: string, sourceAccount: pulumi.Input<string>, opts: LookupOptions): PolicyStatement {
  return {
    Sid: "S3InventoryEncryptsReports",
    Effect: "Allow",
    Principal: { Service: servicePrincipal("s3", opts) },
    Action: ["kms:GenerateDataKey"],
    Resource: "*",
    Condition: sourceConditions(s3Arn(`${bucketLogicalName}-*`, undefined, opts), sourceAccount),
  };
}

export interface ArchiveInventoryArgs {
  /** The inventoried bucket, which is also the destination (S3 Inventory needs the same region). */
  bucket: aws.s3.Bucket;
  /** The bucket's own key: the reports are SSE-KMS with it. */
  keyArn: pulumi.Input<string>;
  /** The account that owns the bucket (the destination's `accountId`). */
  accountId: pulumi.Input<string>;
}

/** The inventory configuration; depends on the bucket policy that admits the delivery. */
export function archiveInventory(name: string, args: ArchiveInventoryArgs, opts: pulumi.CustomResourceOptions): aws.s3.Inventory {
  return new aws.s3.Inventory(
    name,
    {
      bucket: args.bucket.id,
      name: INVENTORY_CONFIG_ID,
      enabled: true,
      includedObjectVersions: INVENTORY_VERSIONS,
      optionalFields: [...INVENTORY_OPTIONAL_FIELDS],
      schedule: { frequency: INVENTORY_FREQUENCY },
      destination: {
        bucket: {
          bucketArn: args.bucket.arn,
          accountId: args.accountId,
          format: INVENTORY_FORMAT,
          prefix: INVENTORY_PREFIX,
          encryption: { sseKms: { keyId: args.keyArn } },
        },
      },
    },
    opts,
  );
}
