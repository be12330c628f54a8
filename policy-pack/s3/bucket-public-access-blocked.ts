/**
 * Every S3 bucket has a public access block with all four settings on (a stack policy: lib/s3-bucket.ts).
 */
import { fsbp } from "../lib/controls";
import { BUCKET_TYPES, describe, MANDATORY, T, validateStackOf } from "../lib/kit";
import { PackStackPolicy } from "../lib/meta";
import { attachedTo, bucketsOf } from "../lib/s3-bucket";

export const s3BucketPublicAccessBlocked: PackStackPolicy = {
  name: "s3-bucket-public-access-blocked",
  description: "Every S3 bucket has a public access block with all four settings on.",
  remediationSteps:
    "Add an aws.s3.BucketPublicAccessBlock with `bucket: <bucket>.id` and blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true.",
  enforcementLevel: MANDATORY,
  severity: "critical",
  topics: ["exposure"],
  framework: fsbp("S3.8", "S3 general purpose buckets should block public access"),
  validateStack: validateStackOf(BUCKET_TYPES, (args, report) => {
    for (const bucket of bucketsOf(args.resources)) {
      const blocks = attachedTo(bucket, args.resources, [T.bucketPublicAccessBlock]);
      if (blocks.length === 0) {
        report(`${describe(bucket)} has no public access block: add an aws.s3.BucketPublicAccessBlock pointing at it with all four settings true.`, bucket.urn);
        continue;
      }
      for (const b of blocks) {
        const off = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].filter((k) => b.props[k] !== true);
        if (off.length > 0) {
          report(`${describe(bucket)}: its public access block ${describe(b)} leaves ${off.join(", ")} off; set all four to true.`, b.urn);
        }
      }
    }
  }),
};
