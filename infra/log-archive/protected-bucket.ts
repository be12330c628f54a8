/**
 * A log bucket with every protection the archive and the replica share: SSE-KMS with its own key
 * and bucket key, versioning, public access blocked, owner enforced, lifecycle, optional Object
 * Lock. The bucket policy is added by the caller.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface ProtectedBucket {
  bucket: aws.s3.Bucket;
  versioning: aws.s3.BucketVersioning;
  encryption: aws.s3.BucketServerSideEncryptionConfiguration;
  publicAccessBlock: aws.s3.BucketPublicAccessBlock;
  ownership: aws.s3.BucketOwnershipControls;
  lifecycle: aws.s3.BucketLifecycleConfiguration;
  objectLock?: aws.s3.BucketObjectLockConfiguration;
}

export function protectedBucket(
  name: string,
  args: {
    keyArn: pulumi.Input<string>;
    rules: aws.types.input.s3.BucketLifecycleConfigurationRule[];
    objectLock?: { mode: string; days: number };
    tags?: Record<string, string>;
  },
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
