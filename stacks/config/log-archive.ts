/** The `logArchive` section: the encrypted archive in Beijing, its replica in Ningxia, and what ships logs into it. */
import type { RuleInput } from "./app-config";
import { configKey } from "./top-level";
import {
  ACCOUNT_ID,
  ConfigProblem,
  Field,
  InferFields,
  LOG_GROUP_NAME,
  SCHEDULE_EXPRESSION,
  VPC_ID,
  bool,
  daysByKey,
  int,
  list,
  logGroupPatternList,
  logRetention,
  objectList,
  oneOf,
  optionalStr,
  section,
  str,
} from "./schema";

/** Archive prefixes whose expiry can be set one by one (`logArchive.prefixRetentionDays`). */
export const LOG_ARCHIVE_PREFIX_KEYS = ["cloudwatch", "flow-logs", "cloudtrail", "audit-logs", "exports"] as const;
/** China's Cybersecurity Law: network logs are kept at least six months. */
export const MIN_LOG_RETENTION_DAYS = 180;

export const logArchiveFields = {
  archiveRetentionDays: int("Days objects are kept in the Beijing archive bucket before they expire (China's Cybersecurity Law asks for at least 180).", {
    min: MIN_LOG_RETENTION_DAYS,
    max: 36500,
    default: 400,
  }),
  prefixRetentionDays: daysByKey(
    "Per-prefix expiry in the archive, overriding archiveRetentionDays (keys: cloudwatch, flow-logs, cloudtrail, audit-logs, exports).",
    LOG_ARCHIVE_PREFIX_KEYS,
    { min: MIN_LOG_RETENTION_DAYS, max: 36500 },
  ),
  replicaRetentionDays: int("Days objects are kept in the Ningxia replica before they expire (at least 180).", {
    min: MIN_LOG_RETENTION_DAYS,
    max: 36500,
    default: 730,
  }),
  infrequentAccessAfterDays: int("Days before objects move to STANDARD_IA (both buckets).", { min: 30, max: 36500, default: 30 }),
  glacierAfterDays: int("Days before objects move to GLACIER (both buckets); at least 30 after infrequentAccessAfterDays.", {
    min: 60,
    max: 36500,
    default: 90,
  }),
  noncurrentVersionExpirationDays: int("Days a replaced or deleted object version is kept.", { min: 1, max: 36500, default: 90 }),
  abortIncompleteMultipartUploadDays: int("Days before incomplete multipart uploads are aborted.", { min: 1, max: 365, default: 7 }),
  objectLockMode: oneOf(
    ["off", "GOVERNANCE", "COMPLIANCE"] as const,
    "S3 Object Lock default retention on the replica bucket (set at bucket creation).",
    "off",
  ),
  objectLockDays: int("Object Lock default retention in days (at most replicaRetentionDays).", { min: 1, max: 36500, default: 180 }),
  primaryAccountId: optionalStr(
    "Backup stack: the account of the primary stack (its replication role writes the replica). Unset: this account (set it when backupAccountId is set, or replication is refused).",
    {
      pattern: ACCOUNT_ID,
      allowed: "a 12-digit AWS account id",
    },
  ),
  inventory: bool(
    "Daily S3 Inventory (all versions, Parquet, SSE-KMS) of the archive and of the replica into each bucket's own inventory/ (availability in China unconfirmed: off by default).",
    false,
  ),
  completeness: bool(
    "Backup stack: a daily report in the replica's reports/completeness/ comparing the archive's and the replica's S3 Inventory in Athena, with alarms (needs inventory; Athena availability in China unconfirmed: off by default).",
    false,
  ),
  completenessGraceHours: int("Completeness: objects modified within this many hours of the inventories are not expected in the replica yet.", {
    min: 1,
    max: 720,
    default: 24,
  }),
  completenessSchedule: str("Completeness: when the report runs (after the daily inventories have arrived).", {
    default: "cron(0 12 * * ? *)",
    pattern: SCHEDULE_EXPRESSION,
    allowed: "an EventBridge schedule expression, rate(...) or cron(...)",
  }),
  athenaBytesScannedCutoffMb: int("Athena workgroups: a query scanning more than this many MiB is cancelled (Athena's minimum is 10 MB).", {
    min: 10,
    max: 10485760,
    default: 102400,
  }),
  archiveSearch: bool(
    "Primary stack: Glue tables (partition projection) over flow-logs/, cloudtrail/, audit-logs/ and the CloudWatch Logs prefix, the auditors' Athena named queries and an auditor policy (Athena's availability in China unconfirmed: off by default).",
    false,
  ),
  replicationTimeControl: bool("S3 Replication Time Control on the replication rule (availability in China unconfirmed: off by default).", false),
  replicaStorageClass: oneOf(["STANDARD", "STANDARD_IA"] as const, "Storage class of new replicas.", "STANDARD"),
  cloudWatchLogsMode: oneOf(
    ["firehose", "exportTask"] as const,
    "How CloudWatch Logs reach the archive: firehose (near real time) or exportTask (scheduled CreateExportTask chain).",
    "firehose",
  ),
  logGroupPatterns: logGroupPatternList("Log groups to archive: prefixes, * globs, ! exclusions (functions/log-archive/common.ts).", [
    "/aws/rds/cluster/",
    "/ec2/",
  ]),
  subscriptionSchedule: str("How often the subscriber re-checks every log group (firehose mode).", {
    default: "rate(1 hour)",
    pattern: SCHEDULE_EXPRESSION,
    allowed: "an EventBridge schedule expression, rate(...) or cron(...)",
  }),
  firehoseBufferSizeMb: int("Firehose buffer size in MiB before an object is written.", { min: 1, max: 128, default: 5 }),
  firehoseBufferIntervalSeconds: int("Firehose buffer interval in seconds.", { min: 0, max: 900, default: 300 }),
  firehoseDecompression: bool(
    "Firehose decompresses CloudWatch Logs records and writes GZIP objects (availability in China unconfirmed: off keeps the records' own gzip).",
    false,
  ),
  exportPeriod: oneOf(["hour", "day"] as const, "exportTask mode: the period each export task covers.", "hour"),
  exportSchedule: str("exportTask mode: how often the export chain runs.", {
    default: "rate(15 minutes)",
    pattern: SCHEDULE_EXPRESSION,
    allowed: "an EventBridge schedule expression, rate(...) or cron(...)",
  }),
  flowLogVpcIds: list(
    str("", { pattern: VPC_ID, allowed: "a VPC id (vpc-...)" }),
    "VPCs whose flow logs go to flow-logs/ (the lab VPC is added when AuroraLab is on).",
    [],
  ),
  flowLogTrafficType: oneOf(["ALL", "ACCEPT", "REJECT"] as const, "Traffic the flow logs record.", "ALL"),
  cloudTrail: bool("Create a CloudTrail trail into cloudtrail/ (management events, KMS, log file validation).", true),
  cloudTrailMultiRegion: bool("The trail records both China regions.", true),
  logGroupRetentionDays: logRetention("Retention of the log groups LogArchive creates (EC2 agent, RDS/Aurora).", 400),
  ec2LogFiles: objectList<{ filePath: string; logGroupName: string }>(
    "CloudWatch agent: files to ship, each into a log group LogArchive creates.",
    'objects {"filePath": "/var/log/...", "logGroupName": "/ec2/..."}',
    (v) =>
      typeof v.filePath === "string" &&
      v.filePath.startsWith("/") &&
      typeof v.logGroupName === "string" &&
      LOG_GROUP_NAME.test(v.logGroupName) &&
      Object.keys(v).length === 2
        ? { filePath: v.filePath, logGroupName: v.logGroupName }
        : undefined,
  ),
  rdsLogGroups: objectList<{ clusterName: string; logTypes: string[] }>(
    "RDS/Aurora clusters whose /aws/rds/cluster/<name>/<type> log groups LogArchive creates.",
    'objects {"clusterName": "my-cluster", "logTypes": ["audit", "error", "general", "slowquery", "postgresql", "instance", "iam-db-auth-error"]}',
    (v) =>
      typeof v.clusterName === "string" &&
      /^[a-z][a-z0-9-]{0,62}$/.test(v.clusterName) &&
      Array.isArray(v.logTypes) &&
      v.logTypes.length > 0 &&
      v.logTypes.every(
        (t: unknown) =>
          typeof t === "string" && ["audit", "error", "general", "slowquery", "postgresql", "instance", "iam-db-auth-error", "upgrade"].includes(t),
      ) &&
      Object.keys(v).length === 2
        ? { clusterName: v.clusterName, logTypes: [...v.logTypes] }
        : undefined,
  ),
} satisfies Record<string, Field<any>>;

export const logArchiveSection = section("LogArchive: the encrypted archive and its replica.", logArchiveFields);

/** Rules across logArchive keys (each problem names its key). */
export function logArchiveProblems(cfg: RuleInput): ConfigProblem[] {
  const la: Partial<InferFields<typeof logArchiveFields>> | undefined = cfg.logArchive;
  if (la === undefined) return [];
  const problems: ConfigProblem[] = [];
  const k = (key: string) => configKey(`logArchive.${key}`);
  if (la.glacierAfterDays !== undefined && la.infrequentAccessAfterDays !== undefined && la.glacierAfterDays < la.infrequentAccessAfterDays + 30) {
    problems.push({
      key: k("glacierAfterDays"),
      message: `${la.glacierAfterDays} is not allowed; expected at least infrequentAccessAfterDays + 30 (${la.infrequentAccessAfterDays + 30})`,
    });
  }
  const expiries: [string, number | undefined][] = [
    ["archiveRetentionDays", la.archiveRetentionDays],
    ["replicaRetentionDays", la.replicaRetentionDays],
    ...Object.entries(la.prefixRetentionDays ?? {}).map(([p, d]) => [`prefixRetentionDays.${p}`, d] as [string, number]),
  ];
  for (const [key, days] of expiries) {
    if (days !== undefined && la.glacierAfterDays !== undefined && days <= la.glacierAfterDays) {
      problems.push({ key: k(key), message: `${days} is not allowed; expected more than glacierAfterDays (${la.glacierAfterDays})` });
    }
  }
  if (
    la.objectLockMode !== undefined &&
    la.objectLockMode !== "off" &&
    la.objectLockDays !== undefined &&
    la.replicaRetentionDays !== undefined &&
    la.objectLockDays > la.replicaRetentionDays
  ) {
    problems.push({
      key: k("objectLockDays"),
      message: `${la.objectLockDays} is not allowed; expected at most replicaRetentionDays (${la.replicaRetentionDays})`,
    });
  }
  if (la.completeness === true && la.inventory !== true) {
    problems.push({
      key: k("completeness"),
      message: `true is not allowed while ${k("inventory")} is false; the report compares the S3 Inventory of both buckets: set ${k("inventory")}: true`,
    });
  }
  return problems;
}
