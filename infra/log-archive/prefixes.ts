/**
 * The archive's prefixes and their writers, in ONE list: the archive's lifecycle rules
 * (./lifecycle.ts) and its bucket and key policy grants (`archiveBucketGrants`, `archiveKeyGrants`)
 * are both derived from it, so a prefix cannot be written without a grant nor granted without a
 * lifecycle (tests/infra/log-archive/prefixes.test.ts checks both, against the deployed stacks).
 *
 * A writer is either a service (or service-linked role) admitted by the archive's bucket and key
 * policies (`resource-policy`), or a role of this stack whose own policy grants it the prefix
 * (`identity-policy`: same account, so the bucket and key policies need not name it).
 */
import { PolicyStatement } from "../iam";
import { backupReportsBucketStatement, backupReportsKeyStatement } from "../backup-reports";
import { inventoryBucketStatement, inventoryKeyStatement } from "./inventory";
import {
  GrantContext,
  KeyGrantContext,
  cloudTrailBucketStatements,
  cloudTrailKeyStatements,
  exportsBucketStatements,
  exportsKeyStatements,
  flowLogsBucketStatements,
  flowLogsKeyStatements,
} from "./policies";

/** Which optional writers the archive admits (the others are always admitted). */
export interface ArchiveWriterSwitches {
  /** CloudTrail's trail (`logArchive.cloudTrail`). */
  cloudTrail: boolean;
  /** CloudWatch Logs export tasks (`logArchive.cloudWatchLogsMode` = exportTask). */
  exportTasks: boolean;
  /** Backup Audit Manager's report plan (`backupEvents.auditFramework`). */
  backupReports: boolean;
  /** S3 Inventory (`logArchive.inventory`). */
  inventory: boolean;
}

export type WriterGrant =
  | {
      kind: "resource-policy";
      /** The switch that admits it; absent: always admitted. */
      when?: keyof ArchiveWriterSwitches;
      bucket: (c: GrantContext) => PolicyStatement[];
      key: (c: KeyGrantContext) => PolicyStatement[];
    }
  | {
      kind: "identity-policy";
      /** Where the role's own policy grants the prefix. */
      grantedIn: string;
    };

export interface ArchiveWriter {
  prefix: string;
  /** `tiered`: storage-class transitions and expiry (per-prefix override); `state`: small state objects, never expired as current. */
  lifecycle: "tiered" | "state";
  /** Who writes, in AWS terms. */
  writer: string;
  grant: WriterGrant;
}

export const ARCHIVE_WRITERS = [
  {
    prefix: "cloudwatch/",
    lifecycle: "tiered",
    writer: "Firehose (the delivery stream's role), CloudWatch Logs subscriptions",
    grant: { kind: "identity-policy", grantedIn: "infra/log-archive/policies.ts firehoseStatements" },
  },
  {
    prefix: "flow-logs/",
    lifecycle: "tiered",
    writer: "VPC Flow Logs (log delivery service)",
    grant: { kind: "resource-policy", bucket: flowLogsBucketStatements, key: flowLogsKeyStatements },
  },
  {
    prefix: "cloudtrail/",
    lifecycle: "tiered",
    writer: "CloudTrail (the stack's trail)",
    grant: { kind: "resource-policy", when: "cloudTrail", bucket: cloudTrailBucketStatements, key: cloudTrailKeyStatements },
  },
  {
    prefix: "audit-logs/",
    lifecycle: "tiered",
    writer: "AuditLogPipeline's downloader Lambda",
    grant: { kind: "identity-policy", grantedIn: "infra/audit-log-pipeline.ts WriteAuditLogObjects" },
  },
  {
    prefix: "exports/",
    lifecycle: "tiered",
    writer: "CloudWatch Logs export tasks (regional logs service)",
    grant: { kind: "resource-policy", when: "exportTasks", bucket: exportsBucketStatements, key: exportsKeyStatements },
  },
  {
    prefix: "backup-reports/",
    lifecycle: "tiered",
    writer: "Backup Audit Manager (AWSServiceRoleForBackupReports)",
    grant: {
      kind: "resource-policy",
      when: "backupReports",
      bucket: (c) => [backupReportsBucketStatement(c.bucketArn, { parent: c.parent })],
      key: (c) => [backupReportsKeyStatement(c.region, { parent: c.parent })],
    },
  },
  {
    prefix: "inventory/",
    lifecycle: "tiered",
    writer: "S3 Inventory of the archive itself",
    grant: {
      kind: "resource-policy",
      when: "inventory",
      bucket: (c) => [inventoryBucketStatement(c.bucketArn, c.bucketArn, c.accountId, { parent: c.parent })],
      key: (c) => [inventoryKeyStatement(c.bucketLogicalName, c.accountId, { parent: c.parent })],
    },
  },
  {
    prefix: "state/",
    lifecycle: "state",
    writer: "the export-task Lambda (its cursor)",
    grant: { kind: "identity-policy", grantedIn: "infra/log-archive/cloudwatch-export-tasks.ts ReadWriteCursor" },
  },
] as const satisfies readonly ArchiveWriter[];

type Writer = (typeof ARCHIVE_WRITERS)[number];
/** The archive's top-level log prefixes, one per log source (tiered lifecycle). */
export type ArchivePrefix = Extract<Writer, { lifecycle: "tiered" }>["prefix"];
export const ARCHIVE_PREFIXES: readonly ArchivePrefix[] = ARCHIVE_WRITERS.filter((w): w is Extract<Writer, { lifecycle: "tiered" }> => w.lifecycle === "tiered").map((w) => w.prefix);
/** Small state objects (the export-task cursor): no tier transitions, never expired as current. */
export const STATE_PREFIX = "state/";
export const EXPORT_CURSOR_KEY = `${STATE_PREFIX}log-archive/export-cursor.json`;

/**
 * The order the grants take in each policy: the order they had before this list existed (a reorder
 * would rewrite both policies on the next `pulumi up`). Every resource-policy writer is in both.
 */
export const BUCKET_GRANT_ORDER: readonly Writer["prefix"][] = ["flow-logs/", "backup-reports/", "inventory/", "exports/", "cloudtrail/"];
export const KEY_GRANT_ORDER: readonly Writer["prefix"][] = ["exports/", "flow-logs/", "cloudtrail/", "backup-reports/", "inventory/"];

type ResourcePolicyGrant = Extract<WriterGrant, { kind: "resource-policy" }>;

/** The admitted resource-policy writers' grants, in `order`. */
function admitted(order: readonly string[], on: ArchiveWriterSwitches): ResourcePolicyGrant[] {
  return order.flatMap((prefix) => {
    const w: ArchiveWriter | undefined = ARCHIVE_WRITERS.find((x) => x.prefix === prefix);
    if (!w || w.grant.kind !== "resource-policy") throw new Error(`archive grant order names ${prefix}, which has no resource-policy writer`);
    return w.grant.when === undefined || on[w.grant.when] ? [w.grant] : [];
  });
}

/** The archive bucket policy's grants to its admitted writers. */
export function archiveBucketGrants(on: ArchiveWriterSwitches, c: GrantContext): PolicyStatement[] {
  return admitted(BUCKET_GRANT_ORDER, on).flatMap((g) => g.bucket(c));
}

/** The archive key policy's grants to its admitted writers. */
export function archiveKeyGrants(on: ArchiveWriterSwitches, c: KeyGrantContext): PolicyStatement[] {
  return admitted(KEY_GRANT_ORDER, on).flatMap((g) => g.key(c));
}
