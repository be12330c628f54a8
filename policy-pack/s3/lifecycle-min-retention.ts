/**
 * Log buckets never expire current objects before the legal minimum: China's Cybersecurity Law
 * Art. 21(3) asks network operators to keep network logs at least six months (180 days, the
 * program's MIN_LOG_RETENTION_DAYS). Every enabled rule of every lifecycle configuration is judged,
 * whatever its prefix or tag filter: a rule that narrows to one prefix expires that prefix.
 */
import { CSL_ART_21 } from "../lib/controls";
import { describe, MANDATORY, read, T, validateTypes } from "../lib/kit";
import { PackResourcePolicy } from "../lib/meta";
import { LIFECYCLE_TYPES, lifecycleRulesOf } from "../lib/lifecycle";

export interface LifecycleRetentionConfig {
  minimumDays?: number;
}

function ruleLabel(rule: any, i: number): string {
  const id = read(() => rule.id);
  return id.known && typeof id.value === "string" ? `rule "${id.value}"` : `rule #${i + 1}`;
}

function enabled(rule: any): boolean {
  const s = read(() => rule.status ?? (rule.enabled === false ? "Disabled" : "Enabled"));
  return !s.known || s.value !== "Disabled";
}

export const s3LifecycleMinRetention: PackResourcePolicy = {
  name: "s3-lifecycle-min-retention",
  description:
    "No lifecycle rule of a log bucket (archive or replica) expires current objects, of any prefix, in fewer than 180 days (China's Cybersecurity Law Art. 21: network logs kept at least six months).",
  remediationSteps:
    "Set expiration.days to 180 or more (logArchive.archiveRetentionDays, prefixRetentionDays, replicaRetentionDays), or remove the expiration; never use an expiration date.",
  enforcementLevel: MANDATORY,
  severity: "high",
  topics: ["retention"],
  framework: CSL_ART_21,
  configSchema: {
    properties: {
      minimumDays: {
        type: "integer",
        minimum: 1,
        maximum: 36500,
        default: 180,
        description: "Fewest days a current object may live before a lifecycle rule expires it.",
      },
    },
  },
  validateResource: validateTypes([...LIFECYCLE_TYPES, T.bucket, T.bucketV2], (props, args, report) => {
    const minimum = args.getConfig<LifecycleRetentionConfig>().minimumDays ?? 180;
    const { rules, known } = lifecycleRulesOf(props, args.type);
    if (!known) {
      report(
        `${describe(args)}: its lifecycle rules are unknown during preview, so their expiry cannot be checked against ${minimum} days; write them as literals.`,
      );
      return;
    }
    rules.forEach((rule, i) => {
      if (!enabled(rule)) {
        return;
      }
      const expiration = read(() => (Array.isArray(rule.expiration) ? rule.expiration[0] : rule.expiration));
      if (!expiration.known) {
        report(`${describe(args)} ${ruleLabel(rule, i)}: its expiration is unknown during preview; it must be at least ${minimum} days.`);
        return;
      }
      const e = expiration.value;
      if (!e) {
        return;
      }
      const days = read(() => e.days);
      const date = read(() => e.date);
      if (!days.known) {
        report(`${describe(args)} ${ruleLabel(rule, i)}: expiration.days is unknown during preview; it must be at least ${minimum}.`);
      } else if (days.value !== undefined && days.value !== null && Number(days.value) < minimum) {
        report(
          `${describe(args)} ${ruleLabel(rule, i)} expires objects after ${days.value} days; log retention must be at least ${minimum} days (Cybersecurity Law Art. 21).`,
        );
      }
      if (!date.known || (date.value !== undefined && date.value !== null && date.value !== "")) {
        report(`${describe(args)} ${ruleLabel(rule, i)} expires objects on a fixed date; use expiration.days of at least ${minimum}.`);
      }
    });
  }),
};
