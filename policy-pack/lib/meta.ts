/**
 * What every policy of the pack declares besides its check, as compliance-policies does
 * (https://github.com/pulumi/compliance-policies: severity, topics and frameworks on each policy):
 * an enforcement level, a severity (@pulumi/policy's own field, sent to the engine) and topics.
 * A policy lives in `policy-pack/<service>/<rule>.ts` and is named `<service>-<rule>`
 * (`<service>-<resource>-<rule>`, e.g. s3/bucket-no-force-destroy.ts is s3-bucket-no-force-destroy);
 * tests/policy/layout.test.ts holds every file to this.
 */
import { EnforcementLevel, ResourceValidationPolicy, Severity, StackValidationPolicy } from "@pulumi/policy";

/** What a policy protects, for reading the pack by concern (README's policy table). */
export type Topic =
  "encryption" | "in-transit" | "key-management" | "least-privilege" | "exposure" | "data-residency" | "retention" | "replication" | "audit-logging";

export const TOPICS: readonly Topic[] = [
  "encryption",
  "in-transit",
  "key-management",
  "least-privilege",
  "exposure",
  "data-residency",
  "retention",
  "replication",
  "audit-logging",
];

export interface PackMetadata {
  enforcementLevel: EnforcementLevel;
  severity: Severity;
  topics: readonly Topic[];
}

export type PackResourcePolicy = ResourceValidationPolicy & PackMetadata;
export type PackStackPolicy = StackValidationPolicy & PackMetadata;
export type PackPolicy = PackResourcePolicy | PackStackPolicy;
