/**
 * Which S3 resources configure a bucket. In provider v7 encryption, versioning, public access
 * blocks and policies are separate resources pointing at the bucket, so the S3 policies are stack-level:
 * a bucket passes when a resource of the right kind points at it.
 *
 * "Points at" is decided from the resource's `propertyDependencies.bucket` (it holds the bucket's
 * URN when `bucket: myBucket.id` is passed), which is known during preview even when the bucket's
 * name is not; a known, equal bucket name also counts.
 */
import { PolicyResource } from "@pulumi/policy";
import { BUCKET_TYPES, dependenciesOf, knownString } from "./kit";

/** The resources of the given types that configure `bucket`. */
export function attachedTo(bucket: PolicyResource, resources: PolicyResource[], types: readonly string[]): PolicyResource[] {
  const bucketName = knownString(() => bucket.props.bucket);
  return resources.filter((r) => {
    if (!types.includes(r.type)) {
      return false;
    }
    if (dependenciesOf(r, "bucket").some((d) => d.urn === bucket.urn)) {
      return true;
    }
    const target = knownString(() => r.props.bucket);
    return bucketName !== undefined && target === bucketName;
  });
}

export function bucketsOf(resources: PolicyResource[]): PolicyResource[] {
  return resources.filter((r) => BUCKET_TYPES.includes(r.type));
}

export function physicalName(bucket: PolicyResource): string | undefined {
  return knownString(() => bucket.props.bucket);
}
