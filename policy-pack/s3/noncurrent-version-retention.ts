/**
 * Replaced or deleted object versions stay recoverable for the window the design relies on: the
 * archive's bucket policy denies s3:DeleteObjectVersion, so a deleted or overwritten log survives
 * only as a noncurrent version, and replication turns a delete in Beijing into a delete marker in
 * Ningxia (the replica's copy then also becomes noncurrent). The program's default window is 90 days
 * (logArchive.noncurrentVersionExpirationDays, README).
 */
import { design } from "../lib/controls";
import { describe, MANDATORY, read, T, validateTypes } from "../lib/kit";
import { PackResourcePolicy } from "../lib/meta";
import { LIFECYCLE_TYPES, lifecycleRulesOf } from "../lib/lifecycle";

export interface NoncurrentRetentionConfig {
  minimumDays?: number;
}

export const s3NoncurrentVersionRetention: PackResourcePolicy = {
  name: "s3-noncurrent-version-retention",
  description:
    "No lifecycle rule expires noncurrent (deleted or replaced) object versions in fewer than 90 days, the recovery window the archive's deny-version-delete design relies on.",
  remediationSteps: "Set noncurrentVersionExpiration.noncurrentDays to 90 or more (logArchive.noncurrentVersionExpirationDays).",
  enforcementLevel: MANDATORY,
  severity: "medium",
  topics: ["retention"],
  framework: design("LogArchive", "Deleted or replaced log versions disappear only through lifecycle rules, after the recovery window."),
  configSchema: {
    properties: {
      minimumDays: { type: "integer", minimum: 1, maximum: 36500, default: 90, description: "Fewest days a noncurrent object version is kept." },
    },
  },
  validateResource: validateTypes([...LIFECYCLE_TYPES, T.bucket, T.bucketV2], (props, args, report) => {
    const minimum = args.getConfig<NoncurrentRetentionConfig>().minimumDays ?? 90;
    const { rules, known } = lifecycleRulesOf(props, args.type);
    if (!known) {
      report(`${describe(args)}: its lifecycle rules are unknown during preview; write them as literals.`);
      return;
    }
    rules.forEach((rule, i) => {
      const status = read(() => rule.status);
      if (status.known && status.value === "Disabled") {
        return;
      }
      const n = read(() => {
        const v = rule.noncurrentVersionExpiration;
        return Array.isArray(v) ? (v[0]?.noncurrentDays ?? v[0]?.days) : (v?.noncurrentDays ?? v?.days);
      });
      const id = read(() => rule.id);
      const label = id.known && id.value ? `rule "${id.value}"` : `rule #${i + 1}`;
      if (!n.known) {
        report(`${describe(args)} ${label}: noncurrentDays is unknown during preview; it must be at least ${minimum}.`);
      } else if (n.value !== undefined && n.value !== null && Number(n.value) < minimum) {
        report(`${describe(args)} ${label} expires noncurrent versions after ${n.value} days; keep them at least ${minimum} days.`);
      }
    });
  }),
};
