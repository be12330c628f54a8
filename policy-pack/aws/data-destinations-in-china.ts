/**
 * China data residency: every place data is sent (replication, copy and export destinations,
 * subscriptions, queues, topics ...) is in an allowed region (lib/residency.ts).
 */
import { describe, MANDATORY, read, T, validateMatching } from "../lib/kit";
import { PackResourcePolicy } from "../lib/meta";
import { allowedRegions, arnsIn, isAwsResource, regionsSchema, walkKnownStrings } from "../lib/residency";

/**
 * Nested fields that name a region: `region`, `regionName`, `sourceRegion`, `destinationRegion`,
 * and Lambda environment variables such as `BACKUP_REGION` (top-level `region` is
 * aws-resource-in-china-region's). Only values shaped like a region name are judged.
 */
const REGION_FIELD = /(^|[a-z_])region(name)?$/i;

const REGION_VALUE = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export const dataDestinationsInChina: PackResourcePolicy = {
  name: "aws-data-destinations-in-china",
  description:
    "Data stays in the allowed China regions: every regional ARN in a resource's inputs (replication, copy and export destinations, targets, subscriptions) and every nested region setting (including Lambda environment variables such as BACKUP_REGION) names an allowed region; " +
    "an S3 replication destination proves its region with its replica KMS key.",
  remediationSteps:
    "Point destinations at resources in cn-north-1 or cn-northwest-1 (e.g. the backup stack's vault and replica bucket); for S3 replication set destination.encryptionConfiguration.replicaKmsKeyId to the destination region's key.",
  enforcementLevel: MANDATORY,
  severity: "critical",
  topics: ["data-residency", "replication"],
  configSchema: { properties: regionsSchema },
  validateResource: validateMatching(isAwsResource, (props, args, report) => {
    const allowed = allowedRegions(args);
    walkKnownStrings(props, (path, s) => {
      const field = path
        .split(".")
        .pop()!
        .replace(/\[\d+\]$/, "");
      if (path.includes(".") && REGION_FIELD.test(field) && REGION_VALUE.test(s) && !allowed.includes(s)) {
        report(`${describe(args)} ${path} is ${JSON.stringify(s)}; only ${allowed.join(", ")} are allowed.`);
      }
      for (const a of arnsIn(s)) {
        if (a.region && !a.region.includes("*") && !allowed.includes(a.region)) {
          report(`${describe(args)} ${path} sends data to ${a.arn} in region ${a.region}; only ${allowed.join(", ")} are allowed.`);
        }
      }
    });
    if (args.type === T.bucketReplication || args.type === T.bucket || args.type === T.bucketV2) {
      const rules = read(() => (args.type === T.bucketReplication ? props.rules : props.replicationConfiguration?.rules));
      if (!rules.known || !Array.isArray(rules.value)) {
        return;
      }
      rules.value.forEach((rule: any, i: number) => {
        const key = read(() => rule.destination?.encryptionConfiguration?.replicaKmsKeyId);
        const legacy = read(() => rule.destination?.replicaKmsKeyId);
        const known = [key, legacy].find((k) => k.known && typeof k.value === "string");
        const unknownKey = !key.known || !legacy.known;
        if (!known && !unknownKey) {
          report(
            `${describe(args)} replication rule #${i + 1} does not prove its destination region: set destination.encryptionConfiguration.replicaKmsKeyId to a key in ${allowed.join(" or ")}.`,
          );
        }
      });
    }
  }),
};
