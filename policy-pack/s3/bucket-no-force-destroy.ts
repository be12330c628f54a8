/** A bucket holding logs is never created with forceDestroy: a `pulumi destroy` would empty it. */
import { CSL_ART_21 } from "../lib/controls";
import { allowListSchema, describe, knownString, MANDATORY, onAllowList, read, T, validateTypes } from "../lib/kit";
import { PackResourcePolicy } from "../lib/meta";

export interface ForceDestroyConfig {
  allowedBuckets?: string[];
}

export const s3BucketNoForceDestroy: PackResourcePolicy = {
  name: "s3-bucket-no-force-destroy",
  description: "No log bucket sets forceDestroy: deleting the stack (or replacing the bucket) would delete every object and version in it.",
  remediationSteps: "Remove forceDestroy (or set it to false) on the aws.s3.Bucket; empty a bucket on purpose, outside Pulumi, when its retention has passed.",
  enforcementLevel: MANDATORY,
  severity: "high",
  topics: ["retention"],
  framework: CSL_ART_21,
  configSchema: { properties: { allowedBuckets: allowListSchema("Buckets (logical or physical names) that hold no logs and may set forceDestroy.") } },
  validateResource: validateTypes([T.bucket, T.bucketV2], (props, args, report) => {
    if (
      onAllowList(
        args.getConfig<ForceDestroyConfig>().allowedBuckets,
        args.name,
        knownString(() => props.bucket),
      )
    ) {
      args.notApplicable("allow-listed");
    }
    const f = read(() => props.forceDestroy);
    if (!f.known || f.value === true || f.value === "true") {
      report(
        `${describe(args)} sets forceDestroy${f.known ? "" : " to a value unknown during preview"}: a destroy or replacement would delete every log in it.`,
      );
    }
  }),
};
