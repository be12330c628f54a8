/**
 * A bucket created with Object Lock keeps a default retention: without an Object Lock
 * configuration (rule.defaultRetention) new objects are not locked at all.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-configure.html
 */
import { attachedBy } from "../lib/attach";
import { CSL_ART_21 } from "../lib/controls";
import { BUCKET_TYPES, describe, MANDATORY, read, T, validateStackOf } from "../lib/kit";
import { PackStackPolicy } from "../lib/meta";

export const s3ObjectLockConfigured: PackStackPolicy = {
  name: "s3-object-lock-configured",
  description: "Every bucket with Object Lock enabled has an Object Lock configuration with a default retention (mode and days or years).",
  remediationSteps:
    "Keep the aws.s3.BucketObjectLockConfiguration with rule.defaultRetention { mode, days } on the replica (logArchive.objectLockMode / objectLockDays).",
  enforcementLevel: MANDATORY,
  severity: "high",
  topics: ["retention"],
  framework: CSL_ART_21,
  validateStack: validateStackOf([...BUCKET_TYPES, T.bucketObjectLock, T.bucketObjectLockV2], (args, report) => {
    for (const bucket of args.resources.filter((r) => BUCKET_TYPES.includes(r.type))) {
      const on = read(() => bucket.props.objectLockEnabled);
      if (on.known && on.value !== true && on.value !== "Enabled") {
        continue;
      }
      const configs = attachedBy(bucket, args.resources, [T.bucketObjectLock, T.bucketObjectLockV2], "bucket", ["bucket", "id"]);
      if (configs.length === 0) {
        report(
          `${describe(bucket)} has Object Lock ${on.known ? "enabled" : "possibly enabled (unknown during preview)"} but no aws.s3.BucketObjectLockConfiguration: objects would not be locked.`,
          bucket.urn,
        );
        continue;
      }
      for (const c of configs) {
        const d = read(() => c.props.rule?.defaultRetention);
        if (!d.known) {
          continue;
        }
        const r = d.value;
        if (!r || !r.mode || !(Number(r.days) > 0 || Number(r.years) > 0)) {
          report(`${describe(bucket)}: its Object Lock configuration ${describe(c)} has no default retention (mode and days or years).`, c.urn);
        }
      }
    }
  }),
};
