/**
 * The archive's prefixes and their writers, in ONE list (`ARCHIVE_LAYOUT`): the archive's lifecycle rules
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
  /** Who writes, in AWS terms. */
  writer: string;
  grant: WriterGrant;
}

export interface ArchivePrefixLayout {
  prefix: string;
  /** `tiered`: storage-class transitions and expiry (per-prefix override); `state`: small state objects, never expired as current. */
  lifecycle: "tiered" | "state";
  writers: readonly ArchiveWriter[];
}

/** The archive's prefixes, in lifecycle-rule order, each with its lifecycle and its writers. */
export const ARCHIVE_LAYOUT = [
  {
    prefix: "cloudwatch/",
    lifecycle: "tiered",
    writers: [
      {
        writer: "Firehose (the delivery stream's role), fed by CloudWatch Logs subscriptions",
        grant: { kind: "identity-policy", grantedIn: "infra/log-archive/policies.ts firehoseStatements" },
      },
    ],
  },
  {
    prefix: "flow-logs/",
    lifecycle: "tiered",
    writers: [
      { writer: "VPC Flow Logs (log delivery service)", grant: { kind: "resource-policy", bucket: flowLogsBucketStatements, key: flowLogsKeyStatements } },
    ],
  },
  {
    prefix: "cloudtrail/",
    lifecycle: "tiered",
    writers: [
      {
        writer: "CloudTrail (the stack's trail)",
        grant: { kind: "resource-policy", when: "cloudTrail", bucket: cloudTrailBucketStatements, key: cloudTrailKeyStatements },
      },
    ],
  },
  {
    prefix: "audit-logs/",
    lifecycle: "tiered",
    writers: [
      { writer: "AuditLogPipeline's downloader Lambda", grant: { kind: "identity-policy", grantedIn: "infra/audit-log-pipeline.ts WriteAuditLogObjects" } },
    ],
  },
  {
    prefix: "exports/",
    lifecycle: "tiered",
    writers: [
      {
        writer: "CloudWatch Logs export tasks (regional logs service)",
        grant: { kind: "resource-policy", when: "exportTasks", bucket: exportsBucketStatements, key: exportsKeyStatements },
      },
      { writer: "RDS snapshot export (BackupEvents' export role)", grant: { kind: "identity-policy", grantedIn: "infra/backup-events.ts WriteExports" } },
    ],
  },
  {
    prefix: "backup-reports/",
    lifecycle: "tiered",
    writers: [
      {
        writer: "Backup Audit Manager (AWSServiceRoleForBackupReports)",
        grant: {
          kind: "resource-policy",
          when: "backupReports",
          bucket: (c) => [backupReportsBucketStatement(c.bucketArn, { parent: c.parent })],
          key: (c) => [backupReportsKeyStatement(c.region, { parent: c.parent })],
        },
      },
    ],
  },
  {
    prefix: "inventory/",
    lifecycle: "tiered",
    writers: [
      {
        writer: "S3 Inventory of the archive itself",
        grant: {
          kind: "resource-policy",
          when: "inventory",
          bucket: (c) => [inventoryBucketStatement(c.bucketArn, c.bucketArn, c.accountId, { parent: c.parent })],
          key: (c) => [inventoryKeyStatement(c.bucketLogicalName, c.accountId, { parent: c.parent })],
        },
      },
    ],
  },
  {
    prefix: "reports/",
    lifecycle: "tiered",
    writers: [
      {
        writer: "the audit-log completeness Lambda (logArchive.completeness)",
        grant: { kind: "identity-policy", grantedIn: "infra/audit-log-completeness.ts" },
      },
    ],
  },
  {
    prefix: "athena-results/",
    lifecycle: "tiered",
    writers: [
      {
        writer: "Athena, with the credentials of the archive-search auditor (logArchive.archiveSearch)",
        grant: { kind: "identity-policy", grantedIn: "infra/archive-search/policy.ts" },
      },
    ],
  },
  {
    prefix: "state/",
    lifecycle: "state",
    writers: [
      {
        writer: "the export-task Lambda (its cursor)",
        grant: { kind: "identity-policy", grantedIn: "infra/log-archive/cloudwatch-export-tasks.ts ReadWriteCursor" },
      },
    ],
  },
] as const satisfies readonly ArchivePrefixLayout[];

type Layout = (typeof ARCHIVE_LAYOUT)[number];
/** The archive's top-level log prefixes, one per log source (tiered lifecycle). */
export type ArchivePrefix = Extract<Layout, { lifecycle: "tiered" }>["prefix"];
export const ARCHIVE_PREFIXES: readonly ArchivePrefix[] = ARCHIVE_LAYOUT.filter(
  (p): p is Extract<Layout, { lifecycle: "tiered" }> => p.lifecycle === "tiered",
).map((p) => p.prefix);
/** Small state objects (the export-task cursor): no tier transitions, never expired as current. */
export const STATE_PREFIX = "state/";
export const EXPORT_CURSOR_KEY = `${STATE_PREFIX}log-archive/export-cursor.json`;

/**
 * The order the grants take in each policy: the order they had before this list existed (a reorder
 * would rewrite both policies on the next `pulumi up`). Every resource-policy writer is in both.
 */
export const BUCKET_GRANT_ORDER: readonly Layout["prefix"][] = ["flow-logs/", "backup-reports/", "inventory/", "exports/", "cloudtrail/"];
export const KEY_GRANT_ORDER: readonly Layout["prefix"][] = ["exports/", "flow-logs/", "cloudtrail/", "backup-reports/", "inventory/"];

type ResourcePolicyGrant = Extract<WriterGrant, { kind: "resource-policy" }>;

/** The admitted resource-policy writers' grants, in `order`. */
function admitted(order: readonly string[], on: ArchiveWriterSwitches): ResourcePolicyGrant[] {
  return order.flatMap((prefix) => {
    const p: ArchivePrefixLayout | undefined = ARCHIVE_LAYOUT.find((x) => x.prefix === prefix);
    const gs = (p?.writers ?? []).map((w) => w.grant).filter((g): g is ResourcePolicyGrant => g.kind === "resource-policy");
    if (gs.length === 0) throw new Error(`archive grant order names ${prefix}, which has no resource-policy writer`);
    return gs.filter((g) => g.when === undefined || on[g.when]);
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
