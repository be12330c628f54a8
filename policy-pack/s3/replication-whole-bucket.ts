/**
 * The Ningxia copy stays a copy: the archive's replication has an enabled rule over the whole
 * bucket, replicates delete markers as configured, and writes to a bucket in the aws-cn partition.
 * Replication configuration: https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-add-config.html
 * (a rule's Filter with an empty Prefix applies to every object; DeleteMarkerReplication is per rule).
 */
import { PolicyResource } from "@pulumi/policy";
import { attachedBy } from "../lib/attach";
import { fsbp } from "../lib/controls";
import { allowListSchema, BUCKET_TYPES, describe, MANDATORY, read, T, validateStackOf } from "../lib/kit";
import { PackStackPolicy } from "../lib/meta";

export interface ReplicationConfig {
  sourceBuckets?: string[];
  deleteMarkerReplication?: "Enabled" | "Disabled";
}

/** Why a rule does not replicate the whole bucket, or undefined when it does. */
function wholeBucketProblem(rule: any): string | undefined {
  const status = read(() => rule.status);
  if (!status.known || status.value !== "Enabled") {
    return `its status is ${status.known ? JSON.stringify(status.value) : "unknown during preview"}`;
  }
  const legacy = read(() => rule.prefix);
  if (!legacy.known || (legacy.value !== undefined && legacy.value !== null && legacy.value !== "")) {
    return `it is limited to prefix ${legacy.known ? JSON.stringify(legacy.value) : "(unknown)"}`;
  }
  const filter = read(() => rule.filter);
  if (!filter.known) {
    return "its filter is unknown during preview";
  }
  const f = filter.value;
  if (f) {
    const prefix = read(() => f.prefix);
    if (!prefix.known || (prefix.value !== undefined && prefix.value !== null && prefix.value !== "")) {
      return `its filter is limited to prefix ${prefix.known ? JSON.stringify(prefix.value) : "(unknown)"}`;
    }
    if (read(() => f.tag).known ? f.tag : true) {
      return "its filter is limited to a tag";
    }
    if (read(() => f.and).known ? f.and : true) {
      return "its filter is limited by an `and` block";
    }
  }
  return undefined;
}

function destinationProblem(rule: any): string | undefined {
  const b = read(() => rule.destination?.bucket);
  if (!b.known) {
    return "its destination bucket is unknown during preview (it must be the backup stack's replica, an output known before the primary is previewed)";
  }
  if (typeof b.value !== "string" || !b.value.startsWith("arn:aws-cn:s3:::")) {
    return `its destination ${JSON.stringify(b.value)} is not an S3 bucket in the aws-cn partition`;
  }
  return undefined;
}

export const s3ReplicationWholeBucket: PackStackPolicy = {
  name: "s3-replication-whole-bucket",
  description:
    "The archive's replication to Ningxia has an enabled rule covering the whole bucket, with delete-marker replication as configured and an aws-cn destination; the archive bucket must have it.",
  remediationSteps:
    'Keep one aws.s3.BucketReplicationConfig on the archive with a rule { status: "Enabled", filter: { prefix: "" }, deleteMarkerReplication: { status: "Enabled" }, destination: { bucket: <replica ARN in aws-cn> } }.',
  enforcementLevel: MANDATORY,
  severity: "high",
  topics: ["replication"],
  framework: fsbp("S3.7", "S3 general purpose buckets should use cross-Region replication"),
  configSchema: {
    properties: {
      sourceBuckets: allowListSchema("Buckets (logical names) that must replicate to the backup region."),
      deleteMarkerReplication: {
        type: "string",
        enum: ["Enabled", "Disabled"],
        default: "Enabled",
        description: "Required delete-marker replication status of the whole-bucket rule.",
      },
    },
  },
  validateStack: validateStackOf([T.bucketReplication, ...BUCKET_TYPES], (args, report) => {
    const cfg = args.getConfig<ReplicationConfig>();
    const wantMarkers = cfg.deleteMarkerReplication ?? "Enabled";
    const configs = args.resources.filter((r) => r.type === T.bucketReplication);
    const judge = (c: PolicyResource) => {
      const rules = read(() => c.props.rules);
      if (!rules.known || !Array.isArray(rules.value)) {
        report(`${describe(c)}: its rules are ${rules.known ? "missing" : "unknown during preview"}; write them as literals.`, c.urn);
        return;
      }
      const problems: string[] = [];
      let ok = false;
      rules.value.forEach((rule: any, i: number) => {
        const p = wholeBucketProblem(rule);
        const d = destinationProblem(rule);
        if (d) {
          report(`${describe(c)} rule #${i + 1}: ${d}.`, c.urn);
        }
        if (p) {
          problems.push(`rule #${i + 1}: ${p}`);
          return;
        }
        const markers = read(() => rule.deleteMarkerReplication?.status);
        if (!markers.known || (markers.value ?? "Disabled") !== wantMarkers) {
          problems.push(
            `rule #${i + 1}: delete-marker replication is ${markers.known ? JSON.stringify(markers.value ?? "Disabled") : "unknown"}, expected ${wantMarkers}`,
          );
          return;
        }
        ok = ok || !d;
      });
      if (!ok) {
        report(`${describe(c)} has no enabled rule that replicates the whole bucket to aws-cn${problems.length ? ` (${problems.join("; ")})` : ""}.`, c.urn);
      }
    };
    configs.forEach(judge);
    for (const bucket of args.resources.filter((r) => BUCKET_TYPES.includes(r.type) && (cfg.sourceBuckets ?? []).includes(r.name))) {
      if (attachedBy(bucket, args.resources, [T.bucketReplication], "bucket", ["bucket", "id"]).length === 0) {
        report(`${describe(bucket)} must replicate to the backup region but has no aws.s3.BucketReplicationConfig.`, bucket.urn);
      }
    }
  }),
};
