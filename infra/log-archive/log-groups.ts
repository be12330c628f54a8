/** Pure helpers of LogArchive's log groups and their archiving (tested in tests/infra/log-archive/log-groups.test.ts). */

/** The fixed subscription-filter name: the subscriber's idempotency key. */
export const SUBSCRIPTION_FILTER_NAME = "cn-log-backup-archive";

/** Firehose's own delivery-error log group (never archived: no feedback loop). */
export function firehoseLogGroupName(stack: string): string {
  return `/cn-log-backup/${stack}/firehose/log-archive`;
}

/** The configured patterns, plus exclusions of LogArchive's own log groups (no feedback loop). */
export function archivedLogGroupPatterns(logGroupPatterns: string[], stack: string): string[] {
  return [...logGroupPatterns, `!/cn-log-backup/${stack}/firehose/`];
}

/** A resource-name-safe slug of a log-group name. */
export function slug(s: string): string {
  return s
    .replace(/^\/+/, "")
    .replace(/[^A-Za-z0-9-]+/g, "-")
    .replace(/-+$/, "")
    .toLowerCase();
}
