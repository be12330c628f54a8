/** S3 buckets and the resources that configure them, as the S3 bucket policy tests (tests/policy/s3/) build them. */
import { ResourceRecord } from "../../../tools/types";
import { kmsKey, res } from "../helpers";

export const BUCKET = "aws:s3/bucket:Bucket";
export const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
export const VERSIONING = "aws:s3/bucketVersioning:BucketVersioning";
export const PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
export const POLICY = "aws:s3/bucketPolicy:BucketPolicy";

export function bucket(name = "archive", inputs: Record<string, any> = {}): ResourceRecord {
  return res(BUCKET, name, { bucket: `${name}-bucket`, ...inputs }, { state: { bucket: `${name}-bucket`, arn: `arn:aws-cn:s3:::${name}-bucket`, ...inputs } });
}

export function sse(b: ResourceRecord, rule: Record<string, any>, opts: { bucketRef?: any; key?: ResourceRecord } = {}): ResourceRecord {
  const bucketRef = "bucketRef" in opts ? opts.bucketRef : `${b.name}-bucket`;
  return res(SSE, `${b.name}-sse`, { bucket: bucketRef, rules: [rule] }, { deps: { bucket: [b], ...(opts.key ? { rules: [opts.key] } : {}) } });
}

export const kmsRule = (kmsMasterKeyId: any, bucketKeyEnabled: any = true) => ({
  applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId },
  bucketKeyEnabled,
});
