/** Every S3 bucket has versioning enabled (a stack policy: lib/s3-bucket.ts). */
import { fsbp } from "../lib/controls";
import { BUCKET_TYPES, describe, MANDATORY, read, T, validateStackOf } from "../lib/kit";
import { PackStackPolicy } from "../lib/meta";
import { attachedTo, bucketsOf } from "../lib/s3-bucket";

export const s3BucketVersioningEnabled: PackStackPolicy = {
  name: "s3-bucket-versioning-enabled",
  description: "Every S3 bucket has versioning enabled, so overwritten or deleted objects can be recovered.",
  remediationSteps: 'Add an aws.s3.BucketVersioning with `bucket: <bucket>.id` and versioningConfiguration: { status: "Enabled" }.',
  enforcementLevel: MANDATORY,
  severity: "medium",
  topics: ["retention"],
  framework: fsbp("S3.14", "S3 general purpose buckets should have versioning enabled"),
  validateStack: validateStackOf(BUCKET_TYPES, (args, report) => {
    for (const bucket of bucketsOf(args.resources)) {
      const configs = attachedTo(bucket, args.resources, [T.bucketVersioning, T.bucketVersioningV2]);
      const inline = read(() => bucket.props.versioning);
      const inlineOn = inline.known && inline.value ? bucket.props.versioning.enabled === true : undefined;
      if (configs.length === 0) {
        if (inlineOn === undefined) {
          report(`${describe(bucket)} has no versioning configuration: add an aws.s3.BucketVersioning pointing at it with status "Enabled".`, bucket.urn);
        } else if (!inlineOn) {
          report(`${describe(bucket)} has inline versioning turned off: enable it with an aws.s3.BucketVersioning (status "Enabled").`, bucket.urn);
        }
        continue;
      }
      for (const c of configs) {
        const status = c.props.versioningConfiguration?.status;
        if (status !== "Enabled") {
          report(`${describe(bucket)}: its versioning configuration ${describe(c)} has status ${JSON.stringify(status)}; set it to "Enabled".`, c.urn);
        }
      }
    }
  }),
};
