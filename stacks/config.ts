/**
 * The one typed, validated view of this program's configuration.
 *
 * Every key the program reads is declared here with its default, what is allowed and a doc line;
 * README's config table is generated from these declarations (`npm run config-doc`) and a test
 * checks they agree. A bad value fails before any resource is registered, with an error naming the
 * key, the value and what is allowed, so a preview never shows a half-built stack.
 *
 * Components never read config: `stacks/` passes them typed `Args` built from `AppConfig`.
 */
import {
  ACCOUNT_ID,
  AWS_BACKUP_MANAGED_KEY_ALIAS_ARN,
  BACKUP_VAULT_ARN,
  KMS_KEY_ARN,
  arnRegionAndAccount,
  ConfigValueError,
  SECURITY_GROUP_ID,
  SUBNET_ID,
  VPC_ID,
  chinaArnPattern,
  list,
  ChinaRegion,
  EMAIL,
  SCHEDULE_EXPRESSION,
  oneOf,
  optionalInt,
  ConfigProblem,
  Field,
  InferFields,
  bool,
  docRows,
  int,
  logRetention,
  optionalStr,
  parseFields,
  region,
  section,
  str,
  stringMap,
} from "./config-schema";
import { compilePatterns } from "../functions/log-archive/common";
import { RESTORE_TEST_RESOURCE_TYPES } from "../infra/restore-testing-types";
import { hardenedProfileFields, hardenedProfileProblems } from "./config-hardened";

/** The Pulumi project name, and so the config namespace (`cn-log-backup:<key>`). */
export const PROJECT = "cn-log-backup";

// ---------------------------------------------------------------------------------------------
// Component sections. Each component owns its section; add keys here with doc, default and test.
// ---------------------------------------------------------------------------------------------

/** Archive prefixes whose expiry can be set one by one (`logArchive.prefixRetentionDays`). */
export const LOG_ARCHIVE_PREFIX_KEYS = ["cloudwatch", "flow-logs", "cloudtrail", "audit-logs", "exports"] as const;
/** China's Cybersecurity Law: network logs are kept at least six months. */
export const MIN_LOG_RETENTION_DAYS = 180;

/** A list of log-group patterns (syntax in functions/log-archive/common.ts). */
function logGroupPatternList(doc: string, def: string[]): Field<string[]> {
  const allowed =
    'a list of log-group patterns: a prefix ("/aws/rds/cluster/"), a whole-name glob with * ("/aws/lambda/*-prod"), or either with a leading ! to exclude';
  return {
    doc,
    allowed,
    default: def,
    parse(raw) {
      const value = typeof raw === "string" ? safeJson(raw) : raw;
      if (!Array.isArray(value) || value.length === 0) throw new ConfigValueError(allowed);
      for (const v of value) {
        if (typeof v !== "string" || !/^!?[A-Za-z0-9_\-/.#*]+$/.test(v) || v === "!") throw new ConfigValueError(`${allowed} (bad item ${JSON.stringify(v)})`);
      }
      try {
        compilePatterns(value as string[]);
      } catch (e) {
        throw new ConfigValueError(`${allowed} (${(e as Error).message})`);
      }
      if (!(value as string[]).some((v) => !v.startsWith("!"))) throw new ConfigValueError(`${allowed} (at least one must include)`);
      return value as string[];
    },
  };
}

function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

const LOG_GROUP_NAME = /^[A-Za-z0-9_\-/.#]{1,512}$/;

/** A list of objects with string (or string-list) fields, validated item by item. */
function objectList<T>(doc: string, allowed: string, check: (v: any) => T | undefined): Field<T[]> {
  return {
    doc,
    allowed: `a list of ${allowed}`,
    default: [],
    parse(raw) {
      const value = typeof raw === "string" ? safeJson(raw) : raw;
      if (!Array.isArray(value)) throw new ConfigValueError(`a list of ${allowed}`);
      return value.map((v, i) => {
        const ok = v !== null && typeof v === "object" ? check(v) : undefined;
        if (ok === undefined) throw new ConfigValueError(`a list of ${allowed} (item ${i}: ${JSON.stringify(v)} is not)`);
        return ok;
      });
    },
  };
}

export const logArchiveFields = {
  archiveRetentionDays: int("Days objects are kept in the Beijing archive bucket before they expire (China's Cybersecurity Law asks for at least 180).", {
    min: MIN_LOG_RETENTION_DAYS,
    max: 36500,
    default: 400,
  }),
  prefixRetentionDays: {
    doc: "Per-prefix expiry in the archive, overriding archiveRetentionDays (keys: cloudwatch, flow-logs, cloudtrail, audit-logs, exports).",
    allowed: `an object mapping ${LOG_ARCHIVE_PREFIX_KEYS.join(", ")} to days (${MIN_LOG_RETENTION_DAYS}-36500)`,
    default: {},
    parse(raw: unknown) {
      const allowed = `an object mapping ${LOG_ARCHIVE_PREFIX_KEYS.join(", ")} to days (${MIN_LOG_RETENTION_DAYS}-36500)`;
      const value = typeof raw === "string" ? safeJson(raw) : raw;
      if (value === null || typeof value !== "object" || Array.isArray(value)) throw new ConfigValueError(allowed);
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (!(LOG_ARCHIVE_PREFIX_KEYS as readonly string[]).includes(k) || typeof v !== "number" || !Number.isInteger(v) || v < MIN_LOG_RETENTION_DAYS || v > 36500) {
          throw new ConfigValueError(`${allowed} (bad entry ${JSON.stringify(k)}: ${JSON.stringify(v)})`);
        }
      }
      return value as Partial<Record<(typeof LOG_ARCHIVE_PREFIX_KEYS)[number], number>>;
    },
  } as Field<Partial<Record<(typeof LOG_ARCHIVE_PREFIX_KEYS)[number], number>>>,
  replicaRetentionDays: int("Days objects are kept in the Ningxia replica before they expire (at least 180).", {
    min: MIN_LOG_RETENTION_DAYS,
    max: 36500,
    default: 730,
  }),
  infrequentAccessAfterDays: int("Days before objects move to STANDARD_IA (both buckets).", { min: 30, max: 36500, default: 30 }),
  glacierAfterDays: int("Days before objects move to GLACIER (both buckets); at least 30 after infrequentAccessAfterDays.", { min: 60, max: 36500, default: 90 }),
  noncurrentVersionExpirationDays: int("Days a replaced or deleted object version is kept.", { min: 1, max: 36500, default: 90 }),
  abortIncompleteMultipartUploadDays: int("Days before incomplete multipart uploads are aborted.", { min: 1, max: 365, default: 7 }),
  objectLockMode: oneOf(["off", "GOVERNANCE", "COMPLIANCE"] as const, "S3 Object Lock default retention on the replica bucket (set at bucket creation).", "off"),
  objectLockDays: int("Object Lock default retention in days (at most replicaRetentionDays).", { min: 1, max: 36500, default: 180 }),
  primaryAccountId: optionalStr("Backup stack: the account of the primary stack (its replication role writes the replica). Unset: this account (set it when backupAccountId is set, or replication is refused).", {
    pattern: ACCOUNT_ID,
    allowed: "a 12-digit AWS account id",
  }),
  inventory: bool("Daily S3 Inventory (all versions, Parquet, SSE-KMS) of the archive and of the replica into each bucket's own inventory/ (availability in China unconfirmed: off by default).", false),
  replicationTimeControl: bool("S3 Replication Time Control on the replication rule (availability in China unconfirmed: off by default).", false),
  replicaStorageClass: oneOf(["STANDARD", "STANDARD_IA"] as const, "Storage class of new replicas.", "STANDARD"),
  cloudWatchLogsMode: oneOf(["firehose", "exportTask"] as const, "How CloudWatch Logs reach the archive: firehose (near real time) or exportTask (scheduled CreateExportTask chain).", "firehose"),
  logGroupPatterns: logGroupPatternList("Log groups to archive: prefixes, * globs, ! exclusions (functions/log-archive/common.ts).", ["/aws/rds/cluster/", "/ec2/"]),
  subscriptionSchedule: str("How often the subscriber re-checks every log group (firehose mode).", {
    default: "rate(1 hour)",
    pattern: SCHEDULE_EXPRESSION,
    allowed: "an EventBridge schedule expression, rate(...) or cron(...)",
  }),
  firehoseBufferSizeMb: int("Firehose buffer size in MiB before an object is written.", { min: 1, max: 128, default: 5 }),
  firehoseBufferIntervalSeconds: int("Firehose buffer interval in seconds.", { min: 0, max: 900, default: 300 }),
  firehoseDecompression: bool("Firehose decompresses CloudWatch Logs records and writes GZIP objects (availability in China unconfirmed: off keeps the records' own gzip).", false),
  exportPeriod: oneOf(["hour", "day"] as const, "exportTask mode: the period each export task covers.", "hour"),
  exportSchedule: str("exportTask mode: how often the export chain runs.", {
    default: "rate(15 minutes)",
    pattern: SCHEDULE_EXPRESSION,
    allowed: "an EventBridge schedule expression, rate(...) or cron(...)",
  }),
  flowLogVpcIds: list(str("", { pattern: VPC_ID, allowed: "a VPC id (vpc-...)" }), "VPCs whose flow logs go to flow-logs/ (the lab VPC is added when AuroraLab is on).", []),
  flowLogTrafficType: oneOf(["ALL", "ACCEPT", "REJECT"] as const, "Traffic the flow logs record.", "ALL"),
  cloudTrail: bool("Create a CloudTrail trail into cloudtrail/ (management events, KMS, log file validation).", true),
  cloudTrailMultiRegion: bool("The trail records both China regions.", true),
  logGroupRetentionDays: logRetention("Retention of the log groups LogArchive creates (EC2 agent, RDS/Aurora).", 400),
  ec2LogFiles: objectList<{ filePath: string; logGroupName: string }>(
    "CloudWatch agent: files to ship, each into a log group LogArchive creates.",
    'objects {"filePath": "/var/log/...", "logGroupName": "/ec2/..."}',
    (v) =>
      typeof v.filePath === "string" && v.filePath.startsWith("/") && typeof v.logGroupName === "string" && LOG_GROUP_NAME.test(v.logGroupName) && Object.keys(v).length === 2
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
      v.logTypes.every((t: unknown) => typeof t === "string" && ["audit", "error", "general", "slowquery", "postgresql", "instance", "iam-db-auth-error", "upgrade"].includes(t)) &&
      Object.keys(v).length === 2
        ? { clusterName: v.clusterName, logTypes: [...v.logTypes] }
        : undefined,
  ),
} satisfies Record<string, Field<any>>;

const BACKUP_VAULT_NAME = /^[A-Za-z0-9_-]{2,50}$/;
/** Rules across logArchive keys (each problem names its key). */
export function logArchiveProblems(la: Partial<InferFields<typeof logArchiveFields>>, keyPrefix: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const k = (key: string) => `${keyPrefix}logArchive.${key}`;
  if (la.glacierAfterDays !== undefined && la.infrequentAccessAfterDays !== undefined && la.glacierAfterDays < la.infrequentAccessAfterDays + 30) {
    problems.push({ key: k("glacierAfterDays"), message: `${la.glacierAfterDays} is not allowed; expected at least infrequentAccessAfterDays + 30 (${la.infrequentAccessAfterDays + 30})` });
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
  if (la.objectLockMode !== undefined && la.objectLockMode !== "off" && la.objectLockDays !== undefined && la.replicaRetentionDays !== undefined && la.objectLockDays > la.replicaRetentionDays) {
    problems.push({ key: k("objectLockDays"), message: `${la.objectLockDays} is not allowed; expected at most replicaRetentionDays (${la.replicaRetentionDays})` });
  }
  return problems;
}

const BACKUP_VAULT_ARN_ALLOWED = "a backup vault ARN in aws-cn: arn:aws-cn:backup:<region>:<12-digit account>:backup-vault:<name>";
/** A vault key: a key ARN, or the alias ARN of AWS Backup's AWS-managed key (refused across accounts). */
const VAULT_KEY_ARN = new RegExp(`${KMS_KEY_ARN.source}|${AWS_BACKUP_MANAGED_KEY_ALIAS_ARN.source}`);
const VAULT_KEY_ARN_ALLOWED =
  "a KMS key ARN in aws-cn: arn:aws-cn:kms:<region>:<12-digit account>:key/<key id>, or arn:aws-cn:kms:<region>:<12-digit account>:alias/aws/backup for the AWS-managed key";
const CUSTOMER_MANAGED_KEY_ARN = "a customer-managed key ARN arn:aws-cn:kms:<region>:<12-digit account>:key/<key id>";
const AWS_MANAGED_KEY_RULE =
  "alias/aws/backup (the AWS-managed key) is accepted only for an existing vault, and refused when backupAccountId or backupEvents.primaryAccountId is another account than the key's: AWS cannot copy those recovery points across accounts. An AWS-managed key given by its key id cannot be recognised offline.";

export const backupEventsFields = {
  enabled: bool("Build AWS Backup vaults, plan and the event-driven copy to the backup region.", true),
  sourceVaultName: str("Name of the source backup vault in the primary region.", {
    default: "cn-log-backup-source",
    pattern: BACKUP_VAULT_NAME,
    allowed: "2-50 letters, digits, hyphens or underscores",
  }),
  destinationVaultName: str("Name of the destination backup vault in the backup region (Vault Lock applies to it).", {
    default: "cn-log-backup-dr",
    pattern: BACKUP_VAULT_NAME,
    allowed: "2-50 letters, digits, hyphens or underscores",
  }),
  sourceVaultArn: optionalStr(
    "Primary stack: an existing vault in primaryRegion to back up into instead of creating one; no vault and no key are created for it, sourceVaultName is ignored, and sourceVaultKmsKeyArn must name the key it is encrypted with. Unset: the program creates the vault.",
    { pattern: BACKUP_VAULT_ARN, allowed: BACKUP_VAULT_ARN_ALLOWED },
  ),
  sourceVaultKmsKeyArn: optionalStr(
    `Primary stack: an existing KMS key in primaryRegion. Alone: the vault the program creates is encrypted with it and no key is created (its key policy must let AWS Backup use it for this account). With sourceVaultArn: that vault's own key (required), which the copy role is granted. ${AWS_MANAGED_KEY_RULE}`,
    { pattern: VAULT_KEY_ARN, allowed: VAULT_KEY_ARN_ALLOWED },
  ),
  destinationVaultArn: optionalStr(
    "Backup stack: an existing vault in backupRegion to copy into instead of creating one; no vault, key, access policy or Vault Lock is created for it (they stay its owner's: from another account, its access policy must allow backup:CopyIntoBackupVault to the primary account), destinationVaultName and vaultLock* are ignored, and destinationVaultKmsKeyArn must name its key. Unset: the program creates the vault.",
    { pattern: BACKUP_VAULT_ARN, allowed: BACKUP_VAULT_ARN_ALLOWED },
  ),
  destinationVaultKmsKeyArn: optionalStr(
    `Backup stack: an existing KMS key in backupRegion. Alone: the vault the program creates (with its access policy and Vault Lock) is encrypted with it and no key is created (its key policy must let AWS Backup use it for the primary account). With destinationVaultArn: that vault's own key (required), which the primary's copy role is granted. ${AWS_MANAGED_KEY_RULE}`,
    { pattern: VAULT_KEY_ARN, allowed: VAULT_KEY_ARN_ALLOWED },
  ),
  schedule: str("When the backup plan runs (UTC): an AWS Backup cron or rate expression. Default 02:00 Beijing time.", {
    default: "cron(0 18 * * ? *)",
    pattern: SCHEDULE_EXPRESSION,
    allowed: "cron(<6 fields>) or rate(<n> minutes|hours|days)",
  }),
  startWindowMinutes: int("Minutes a scheduled backup may wait to start before AWS Backup cancels it.", { min: 60, max: 1440, default: 60 }),
  completionWindowMinutes: int("Minutes a backup may run before AWS Backup cancels it.", { min: 120, max: 43200, default: 480 }),
  deleteAfterDays: int("Retention of recovery points in the source vault before they are copied (the plan's lifecycle).", {
    min: 1,
    max: 36500,
    default: 35,
  }),
  coldStorageAfterDays: optionalInt("Days after which source recovery points move to cold storage (resources that support it). Unset: never.", {
    min: 1,
    max: 36500,
  }),
  selectionTagKey: str("Tag key that selects resources for the backup plan (the AuroraLab cluster carries auroraLab.backupTagKey).", {
    default: "cn-log-backup:backup",
  }),
  selectionTagValue: str("Tag value that selects resources for the backup plan (the AuroraLab cluster carries auroraLab.backupTagValue).", {
    default: "daily",
  }),
  copyOnDemandBackups: bool("Also copy backups no plan created (on-demand backups in the source vault).", true),
  copyDeleteAfterDays: int("Retention of the copies in the destination vault. Must lie within the vault lock's retention range.", {
    min: 1,
    max: 36500,
    default: 365,
  }),
  copyColdStorageAfterDays: optionalInt("Days after which copies move to cold storage. Unset: never.", { min: 1, max: 36500 }),
  retainAfterCopyDays: int(
    "Once copied, the original is kept this many days after creation (newDeleteAfterDays of backup-events-aws's rule; never extends a retention).",
    { min: 1, max: 36500, default: 7 },
  ),
  notificationEmails: list(
    str("", { pattern: EMAIL, allowed: "an email address" }),
    "Email addresses subscribed to backup failure and security notifications (each must confirm its subscription).",
  ),
  restoreStatuses: list(
    oneOf(["PENDING", "RUNNING", "COMPLETED", "ABORTED", "FAILED"] as const, ""),
    "Restore job statuses (detail.status) that are notified.",
    ["COMPLETED", "ABORTED", "FAILED"],
  ),
  noBackupAlarmHours: int("Alarm when no backup job completed in the source vault for this many hours (missing data counts).", {
    min: 1,
    max: 24,
    default: 24,
  }),
  vaultLockMode: oneOf(["governance", "compliance"] as const, "Vault Lock mode of the destination vault: governance (removable with permission) or compliance (immutable after the grace time).", "governance"),
  vaultLockMinRetentionDays: int("Vault Lock: shortest retention a recovery point in the destination vault may have.", { min: 1, max: 36500, default: 7 }),
  vaultLockMaxRetentionDays: int("Vault Lock: longest retention a recovery point in the destination vault may have.", { min: 1, max: 36500, default: 3650 }),
  vaultLockChangeableForDays: int("Compliance mode only: grace days before the lock becomes immutable.", { min: 3, max: 36500, default: 3 }),
  adminRoleArns: list(
    str("", { pattern: chinaArnPattern("iam"), allowed: "an IAM role ARN in aws-cn" }),
    "IAM roles still allowed DeleteRecoveryPoint / UpdateRecoveryPointLifecycle in the destination vault (everyone else is denied).",
  ),
  primaryAccountId: optionalStr(
    "Backup stack only, when backupAccountId puts it in another account: the primary stack's account, admitted to copy into the vault.",
    { pattern: ACCOUNT_ID, allowed: "a 12-digit AWS account id" },
  ),
  auditFramework: bool("Backup Audit Manager framework and report plan (China availability unconfirmed: off by default). Needs configRecorderExists.", false),
  configRecorderExists: bool(
    "Backup Audit Manager controls are evaluated by AWS Config: set true once an AWS Config recorder records the backup resource types in this region (https://docs.aws.amazon.com/aws-backup/latest/devguide/aws-backup-audit-manager.html). Required by auditFramework.",
    false,
  ),
  snapshotExport: bool("Export completed Aurora/RDS snapshots to the archive bucket's exports/ prefix in Parquet (off by default).", false),
  restoreTesting: bool(
    "Backup stack: an AWS Backup restore testing plan over the destination vault for the resources tagged selectionTagKey=selectionTagValue (China availability unconfirmed: off by default; README, Restore testing).",
    false,
  ),
  restoreTestingSchedule: str("restoreTesting: when tests start (UTC), an AWS Backup cron or rate expression. Default Sundays 04:00 Beijing time.", {
    default: "cron(0 20 ? * SAT *)",
    pattern: SCHEDULE_EXPRESSION,
    allowed: "cron(<6 fields>) or rate(<n> minutes|hours|days)",
  }),
  restoreTestingStartWindowHours: int("restoreTesting: hours after the scheduled time a test may still start.", { min: 1, max: 168, default: 24 }),
  restoreTestingSelectionWindowDays: int("restoreTesting: the latest recovery point of this many past days is restored (LATEST_WITHIN_WINDOW).", { min: 1, max: 365, default: 30 }),
  restoreTestingValidationWindowHours: int("restoreTesting: hours the restored resource is kept for validation before AWS Backup deletes it.", { min: 1, max: 168, default: 24 }),
  restoreTestingResourceType: oneOf(RESTORE_TEST_RESOURCE_TYPES, "restoreTesting: the protected resource type the selection restores.", "Aurora"),
  restoreTestingDbSubnetGroupName: optionalStr(
    "restoreTesting with Aurora or RDS: the DB subnet group in backupRegion the test restores into (RestoreMetadataOverrides dbSubnetGroupName). Required: the program cannot know one, and without it AWS Backup uses the default VPC, which may not exist.",
    { pattern: /^(?!default$)[a-z][a-z0-9_. -]{0,254}$/, allowed: "a DB subnet group name (lower-case, up to 255 characters, not default)" },
  ),
  restoreTestingSecurityGroupIds: list(
    str("security group", { pattern: SECURITY_GROUP_ID, allowed: "a security group id (sg-...)" }),
    "restoreTesting with Aurora or RDS: security groups of the restored cluster or instance (RestoreMetadataOverrides vpcSecurityGroupIds). Empty: the VPC's default group.",
  ),
} satisfies Record<string, Field<any>>;

/** Rules that span several backupEvents keys; each problem names the key to fix. */
export function backupEventsProblems(cfg: Partial<AppConfig>): ConfigProblem[] {
  const b = cfg.backupEvents;
  if (!b) return [];
  const key = (k: string) => `${PROJECT}:backupEvents.${k}`;
  const problems: ConfigProblem[] = [];
  if (b.auditFramework && !b.configRecorderExists) {
    problems.push({
      key: key("configRecorderExists"),
      message:
        "must be true when auditFramework is on: Backup Audit Manager's controls are AWS Config rules and evaluate nothing without a configuration recorder; turn AWS Config recording on in this region, then set it",
    });
  }
  if (b.coldStorageAfterDays !== undefined && b.deleteAfterDays !== undefined && b.deleteAfterDays < b.coldStorageAfterDays + 90) {
    problems.push({
      key: key("deleteAfterDays"),
      message: `${b.deleteAfterDays} is not allowed; expected at least coldStorageAfterDays + 90 = ${b.coldStorageAfterDays + 90} (cold storage keeps 90 days)`,
    });
  }
  if (b.copyColdStorageAfterDays !== undefined && b.copyDeleteAfterDays !== undefined && b.copyDeleteAfterDays < b.copyColdStorageAfterDays + 90) {
    problems.push({
      key: key("copyDeleteAfterDays"),
      message: `${b.copyDeleteAfterDays} is not allowed; expected at least copyColdStorageAfterDays + 90 = ${b.copyColdStorageAfterDays + 90} (cold storage keeps 90 days)`,
    });
  }
  problems.push(...broughtVaultProblems(cfg));
  const min = b.vaultLockMinRetentionDays;
  const max = b.vaultLockMaxRetentionDays;
  if (min !== undefined && max !== undefined) {
    if (min > max) {
      problems.push({ key: key("vaultLockMinRetentionDays"), message: `${min} is not allowed; expected at most vaultLockMaxRetentionDays (${max})` });
    } else if (b.copyDeleteAfterDays !== undefined && (b.copyDeleteAfterDays < min || b.copyDeleteAfterDays > max)) {
      problems.push({
        key: key("copyDeleteAfterDays"),
        message: `${b.copyDeleteAfterDays} is not allowed; expected an integer from vaultLockMinRetentionDays (${min}) to vaultLockMaxRetentionDays (${max}), or the locked vault rejects the copies`,
      });
    }
  }
  if (b.retainAfterCopyDays !== undefined && b.deleteAfterDays !== undefined && b.retainAfterCopyDays >= b.deleteAfterDays) {
    problems.push({
      key: key("retainAfterCopyDays"),
      message: `${b.retainAfterCopyDays} is not allowed; expected less than deleteAfterDays (${b.deleteAfterDays}), or the rule never shortens anything`,
    });
  }
  return problems;
}

/**
 * Bring-your-own vaults and keys: each ARN in its role's region, an existing vault named with its
 * key, and no AWS-managed key (alias/aws/backup) when copies cross accounts.
 */
function broughtVaultProblems(cfg: Partial<AppConfig>): ConfigProblem[] {
  const b = cfg.backupEvents!;
  const key = (k: string) => `${PROJECT}:backupEvents.${k}`;
  const problems: ConfigProblem[] = [];
  const roles = [
    { vault: "sourceVaultArn", kms: "sourceVaultKmsKeyArn", regionKey: "primaryRegion", region: cfg.primaryRegion, what: "source" },
    { vault: "destinationVaultArn", kms: "destinationVaultKmsKeyArn", regionKey: "backupRegion", region: cfg.backupRegion, what: "destination" },
  ] as const;
  for (const r of roles) {
    const vaultArn = b[r.vault];
    const keyArn = b[r.kms];
    for (const [k, arn] of [[r.vault, vaultArn], [r.kms, keyArn]] as const) {
      if (arn === undefined || r.region === undefined) continue;
      const { region } = arnRegionAndAccount(arn);
      if (region !== r.region) {
        problems.push({ key: key(k), message: `${JSON.stringify(arn)} is in ${region}; expected an ARN in ${r.regionKey} (${r.region}), where the ${r.what} vault is` });
      }
    }
    if (vaultArn !== undefined && keyArn === undefined) {
      problems.push({
        key: key(r.kms),
        message: `is required with ${r.vault} (${JSON.stringify(vaultArn)}); expected the ARN of the KMS key that vault is encrypted with, so the copy role can be granted its use`,
      });
    }
    if (keyArn !== undefined && vaultArn === undefined && AWS_BACKUP_MANAGED_KEY_ALIAS_ARN.test(keyArn)) {
      problems.push({
        key: key(r.kms),
        message: `${JSON.stringify(keyArn)} is the AWS-managed key aws/backup, but the program's own vaults are encrypted with a customer-managed key (policy backup-vault-encrypted-with-cmk): expected ${CUSTOMER_MANAGED_KEY_ARN}, or ${r.vault} to use an existing vault encrypted with aws/backup`,
      });
    } else if (keyArn !== undefined && AWS_BACKUP_MANAGED_KEY_ALIAS_ARN.test(keyArn)) {
      const own = arnRegionAndAccount(keyArn).account;
      const other = (
        [
          ["backupAccountId", cfg.backupAccountId],
          ["backupEvents.primaryAccountId", b.primaryAccountId],
        ] as const
      ).find(([, id]) => id !== undefined && id !== own);
      if (other) {
        problems.push({
          key: key(r.kms),
          message: `${JSON.stringify(keyArn)} is the AWS-managed key aws/backup, and copies cross accounts (${other[0]} ${other[1]} is not the key's account ${own}); AWS cannot copy recovery points encrypted with an AWS-managed key across accounts: expected ${CUSTOMER_MANAGED_KEY_ARN}`,
        });
      }
    }
  }
  return problems;
}

export const auditLogPipelineFields = {
  enabled: bool("Build the Aurora MySQL audit-log pipeline (primary stack only).", true),
  scheduleMinutes: int("Minutes between scans for new or changed audit log files (EventBridge Scheduler rate).", { min: 1, max: 60, default: 5 }),
  downloaderTimeoutSeconds: int("Timeout of the downloader Lambda (one file of up to ~100 MB per record).", { min: 60, max: 900, default: 900 }),
  downloaderMemoryMb: int("Memory of the downloader Lambda; its use is bounded by the part size, not the file size.", { min: 256, max: 10240, default: 1024 }),
  partSizeMb: int("S3 multipart part size in MiB; the downloader holds about three parts in memory.", { min: 5, max: 512, default: 8 }),
  streamMaxRetries: int("Retries of a failed DynamoDB stream batch before it goes to the dead-letter queue.", { min: 0, max: 100, default: 5 }),
  restPathVersion: oneOf(
    ["v13", "v19"] as const,
    "Path version of RDS's downloadCompleteLogFile REST endpoint. AWS's pages document v13; v19 only when AWS confirms it (see README, audit-log pipeline).",
    "v13",
  ),
  oldestPendingAlarmMinutes: int("Alarm when a detected audit log file has waited this long for its backup (Aurora deletes them after 24 h).", {
    min: 10,
    max: 1440,
    default: 60,
  }),
  archiveBucketName: optionalStr("Archive bucket to write to instead of LogArchive's (set together with archiveKmsKeyArn). Unset: LogArchive's bucket.", {
    pattern: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    allowed: "an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)",
  }),
  archiveKmsKeyArn: optionalStr("KMS key of archiveBucketName (set together with it).", {
    pattern: chinaArnPattern("kms"),
    allowed: "a KMS key ARN in the aws-cn partition (arn:aws-cn:kms:<region>:<account>:key/<id>)",
  }),
} satisfies Record<string, Field<any>>;

/** An IPv4 CIDR block whose prefix length is between `minPrefix` and `maxPrefix`, on its network boundary. */
function ipv4Cidr(doc: string, def: string, minPrefix: number, maxPrefix: number): Field<string> {
  const allowed = `an IPv4 CIDR block from /${minPrefix} to /${maxPrefix} on its network boundary, such as ${def}`;
  return {
    doc,
    allowed,
    default: def,
    parse(raw) {
      const m = typeof raw === "string" ? /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(raw) : null;
      if (!m) throw new ConfigValueError(allowed);
      const octets = m.slice(1, 5).map(Number);
      const prefix = Number(m[5]);
      if (octets.some((o) => o > 255) || prefix < minPrefix || prefix > maxPrefix) throw new ConfigValueError(allowed);
      const address = octets.reduce((a, o) => a * 256 + o, 0);
      if (address % 2 ** (32 - prefix) !== 0) throw new ConfigValueError(allowed);
      return raw as string;
    },
  };
}

/** Checks across AuroraLab keys (each alone may be valid). */
function auroraLabProblems(cfg: Partial<AppConfig>, keyPrefix: string): ConfigProblem[] {
  const lab = cfg.auroraLab;
  const problems: ConfigProblem[] = [];
  // LogArchive makes the lab cluster's log groups; a second copy from rdsLogGroups would collide.
  const duplicate = cfg.logArchive?.rdsLogGroups?.find((r) => r.clusterName === lab?.clusterIdentifier);
  if (lab?.enabled && duplicate) {
    problems.push({
      key: `${keyPrefix}logArchive.rdsLogGroups`,
      message: `lists ${JSON.stringify(duplicate.clusterName)}, the AuroraLab cluster, whose log groups the lab already has LogArchive create; remove that entry (or change auroraLab.clusterIdentifier)`,
    });
  }
  if (lab?.enabled && lab.sysbenchSource?.startsWith("https://") && !lab.natGateway) {
    problems.push({
      key: `${keyPrefix}auroraLab.sysbenchSource`,
      message: `${JSON.stringify(lab.sysbenchSource)} is not reachable without a NAT gateway; expected an s3:// URI, or set auroraLab.natGateway: true`,
    });
  }
  if (lab?.sysbenchSha256 !== undefined && lab.sysbenchSource === undefined) {
    problems.push({ key: `${keyPrefix}auroraLab.sysbenchSha256`, message: "is set but auroraLab.sysbenchSource is not; expected both or neither" });
  }
  return problems;
}

export const auroraLabFields = {
  enabled: bool("Build the Aurora MySQL lab (VPC, EC2 client, Aurora cluster) that exercises the audit-log pipeline (primary stack only).", false),
  vpcCidr: ipv4Cidr("The lab VPC's IPv4 range; split into quarters: one public subnet and two private subnets (two availability zones).", "10.42.0.0/16", 16, 24),
  natGateway: bool("Add a NAT gateway (public subnet) so the client reaches the internet, e.g. to download sysbench's source; off: VPC endpoints only.", false),
  clientInstanceType: str("Instance type of the EC2 client; arm64 (Graviton) because the AMI is Amazon Linux 2023 arm64.", {
    default: "t4g.micro",
    pattern: /^(t4g|m6g|m7g|c6g|c7g|r6g|r7g)\.(nano|micro|small|medium|large|\d*xlarge)$/,
    allowed: "an arm64 (Graviton) instance type such as t4g.micro",
  }),
  clientRootVolumeGiB: int("Size of the client's encrypted gp3 root volume (GiB).", { min: 8, max: 100, default: 16 }),
  clusterIdentifier: str("Aurora cluster identifier; also names its log groups /aws/rds/cluster/<id>/<type>.", {
    default: "cn-log-backup-lab",
    pattern: /^(?!.*--)[a-z][a-z0-9-]{0,54}[a-z0-9]$/,
    allowed: "2-56 lower-case letters, digits or hyphens, starting with a letter, not ending with a hyphen, no two hyphens in a row",
  }),
  engineVersion: str("Aurora MySQL 3 engine version (aws rds describe-db-engine-versions --engine aurora-mysql lists those offered in the region).", {
    default: "8.0.mysql_aurora.3.08.2",
    pattern: /^8\.0\.mysql_aurora\.3\.\d{2}\.\d+$/,
    allowed: "an Aurora MySQL 3 version such as 8.0.mysql_aurora.3.08.2",
  }),
  dbInstanceClass: str("Instance class of the writer and the reader.", {
    default: "db.t4g.medium",
    pattern: /^db\.(t4g|r6g|r7g|r8g)\.(medium|large|\d*xlarge)$/,
    allowed: "a Graviton DB instance class Aurora MySQL 3 supports, such as db.t4g.medium or db.r6g.large",
  }),
  masterUsername: str("Master user name; its password is generated and kept in Secrets Manager (manageMasterUserPassword).", {
    default: "labadmin",
    pattern: /^(?!rdsadmin$)[A-Za-z][A-Za-z0-9_]{0,15}$/,
    allowed: "1-16 letters, digits or underscores, starting with a letter, not rdsadmin",
  }),
  backupRetentionDays: int("Days Aurora keeps automated backups.", { min: 1, max: 35, default: 7 }),
  deletionProtection: bool("Protect the cluster against deletion.", true),
  finalSnapshot: bool("Take a final snapshot (<clusterIdentifier>-final) when the cluster is deleted.", true),
  auditExcludedUsers: list(
    str("", { pattern: /^[A-Za-z0-9_]{1,32}$/, allowed: "a MySQL user name (1-32 letters, digits or underscores)" }),
    "Users whose activity Advanced Auditing skips (server_audit_excl_users); empty: audit everyone.",
    ["rdsadmin"],
  ),
  slowQuerySeconds: int("long_query_time: statements slower than this go to the slow query log (exported to CloudWatch Logs).", { min: 1, max: 3600, default: 2 }),
  logRetentionDays: logRetention("Retention of the cluster's audit, error and slow query log groups (LogArchive creates them with the archive key).", 365),
  backupTagKey: str("Tag key on the cluster that the AWS Backup plan (BackupEvents) selects.", {
    default: "cn-log-backup:backup",
    pattern: /^(?!aws:)[\p{L}\p{N}\s_.:/=+\-@]{1,128}$/u,
    allowed: "a tag key (1-128 characters, not starting with aws:)",
  }),
  backupTagValue: str("Tag value on the cluster that the AWS Backup plan (BackupEvents) selects.", {
    default: "daily",
    pattern: /^[\p{L}\p{N}\s_.:/=+\-@]{1,256}$/u,
    allowed: "a tag value (1-256 characters)",
  }),
  sysbenchSource: optionalStr("sysbench source tarball for the client (https:// needs natGateway; s3:// works through the S3 endpoint). Unset: sysbench is not built at boot.", {
    pattern: /^(https|s3):\/\/[^\s'"]+$/,
    allowed: "an https:// URL or s3:// URI without spaces or quotes",
  }),
  sysbenchSha256: optionalStr("Expected SHA-256 of sysbenchSource.", { pattern: /^[0-9a-f]{64}$/, allowed: "64 lower-case hexadecimal digits" }),
} satisfies Record<string, Field<any>>;

/** Engines whose DB instances RDS cross-Region automated backups replicate. */
export const REPLICABLE_ENGINES = [
  "mysql", "mariadb", "postgres", "oracle-ee", "oracle-ee-cdb", "oracle-se2", "oracle-se2-cdb",
  "sqlserver-ee", "sqlserver-se", "sqlserver-ex", "sqlserver-web", "db2-se", "db2-ae",
] as const;

const AURORA_WHY =
  "RDS cross-Region automated backups replicate RDS DB instances only; Aurora reaches Ningxia as AWS Backup copies (backupEvents): tag the Aurora cluster for the backup plan instead";

/** One source DB instance: `{ "dbInstanceArn": "arn:aws-cn:rds:cn-north-1:<acct>:db:<id>", "engine": "mysql", "encrypted": true }`. */
function replicatedInstance(): Field<{ dbInstanceArn: string; engine: string; encrypted: boolean }> {
  const allowed = `an object { dbInstanceArn: "arn:aws-cn:rds:<region>:<account>:db:<id>", engine: one of ${REPLICABLE_ENGINES.join(", ")}, encrypted: true|false (default true) }`;
  return {
    doc: "a DB instance",
    allowed,
    parse(raw) {
      if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new ConfigValueError(allowed);
      const { dbInstanceArn, engine, encrypted, ...rest } = raw as Record<string, unknown>;
      if (Object.keys(rest).length > 0) throw new ConfigValueError(`unknown key ${Object.keys(rest).join(", ")}; expected ${allowed}`);
      if (typeof dbInstanceArn !== "string") throw new ConfigValueError(`dbInstanceArn is required; expected ${allowed}`);
      if (/^arn:aws-cn:rds:[a-z0-9-]+:\d{12}:cluster:/.test(dbInstanceArn)) {
        throw new ConfigValueError(`${JSON.stringify(dbInstanceArn)} is a DB cluster (Aurora or Multi-AZ cluster): ${AURORA_WHY}`);
      }
      if (!/^arn:aws-cn:rds:(cn-north-1|cn-northwest-1):\d{12}:db:[A-Za-z][A-Za-z0-9-]{0,62}$/.test(dbInstanceArn)) {
        throw new ConfigValueError(`${JSON.stringify(dbInstanceArn)} is not a DB instance ARN in aws-cn; expected ${allowed}`);
      }
      if (typeof engine === "string" && engine.startsWith("aurora")) {
        throw new ConfigValueError(`${JSON.stringify(dbInstanceArn)} is an Aurora instance (engine ${engine}): ${AURORA_WHY}`);
      }
      if (typeof engine !== "string" || !(REPLICABLE_ENGINES as readonly string[]).includes(engine)) {
        throw new ConfigValueError(`engine ${JSON.stringify(engine)} of ${dbInstanceArn} is not allowed; expected one of ${REPLICABLE_ENGINES.join(", ")}`);
      }
      if (encrypted !== undefined && typeof encrypted !== "boolean") throw new ConfigValueError(`encrypted must be true or false; expected ${allowed}`);
      return { dbInstanceArn, engine, encrypted: encrypted ?? true };
    },
  };
}

export const rdsAutomatedBackupsFields = {
  instances: list(
    replicatedInstance(),
    "RDS DB instances in the primary region whose automated backups (snapshots and transaction logs) the backup stack replicates to its region. Empty: off. Aurora is refused: it goes through AWS Backup.",
  ),
  retentionPeriodDays: int("Days the replicated automated backups are kept in the backup region.", { min: 1, max: 35, default: 7 }),
  kmsKeyArn: optionalStr("Existing KMS key in the backup region for replicated backups of encrypted instances. Unset: the backup stack creates one.", {
    pattern: chinaArnPattern("kms"),
    allowed: "a KMS key ARN in aws-cn",
  }),
} satisfies Record<string, Field<any>>;

export const lambdaNetworkFields = {
  subnetIds: list(str("subnet", { pattern: SUBNET_ID, allowed: "a subnet id (subnet-...)" }), "Private subnets every Lambda function of the program runs in. Empty: functions run outside any VPC."),
  securityGroupIds: list(str("security group", { pattern: SECURITY_GROUP_ID, allowed: "a security group id (sg-...)" }), "Security groups of the functions; set together with subnetIds."),
  vpcId: optionalStr("The VPC of subnetIds, where the endpoints the functions need are created.", { pattern: VPC_ID, allowed: "a VPC id (vpc-...)" }),
  routeTableIds: list(str("route table", { pattern: /^rtb-[0-9a-f]{8}([0-9a-f]{9})?$/, allowed: "a route table id (rtb-...)" }), "Route tables of subnetIds, for the S3 and DynamoDB gateway endpoints."),
  useAuroraLabVpc: bool("Run the functions in the AuroraLab VPC's private subnets (needs auroraLab.enabled) instead of subnetIds.", false),
  createEndpoints: bool("Create the VPC endpoints the functions need (RDS, S3, DynamoDB, SQS, Backup, CloudWatch Logs, KMS, STS). false: they already exist.", true),
} satisfies Record<string, Field<any>>;

// ---------------------------------------------------------------------------------------------
// Top-level keys.
// ---------------------------------------------------------------------------------------------

export const configFields = {
  primaryRegion: region("Region of the source (primary) stack: Beijing.", "cn-north-1"),
  backupRegion: region("Region of the disaster-recovery (backup) stack: Ningxia. Must differ from primaryRegion.", "cn-northwest-1"),
  backupStackName: str(
    "Name of the backup stack for the primary's StackReference: `<org>/cn-log-backup/<stack>` (on a self-managed backend `organization/cn-log-backup/cn-northwest-1`).",
    {
      default: "organization/cn-log-backup/cn-northwest-1",
      pattern: /^([A-Za-z0-9_.-]+\/){0,2}[A-Za-z0-9_.-]+$/,
      allowed: "a stack name, optionally qualified as <org>/<project>/<stack>",
    },
  ),
  backupAccountId: optionalStr(
    "Account that holds the backup stack when it is not this account; key and vault policies then grant it explicitly. Unset: same account.",
    { pattern: ACCOUNT_ID, allowed: "a 12-digit AWS account id" },
  ),
  tags: stringMap("Tags added to every resource that takes tags.", {
    keyPattern: /^(?!aws:)[\p{L}\p{N}\s_.:/=+\-@]{1,128}$/u,
    allowed: "an object of tag keys (1-128 characters, not starting with aws:) to string values",
  }),
  lambdaLogRetentionDays: logRetention("Retention of each Lambda function's own log group.", 365),
  kmsKeyDeletionWindowDays: int("Waiting period before a scheduled KMS key deletion takes effect.", { min: 7, max: 30, default: 30 }),
  logArchive: section("LogArchive: the encrypted archive and its replica.", logArchiveFields),
  backupEvents: section("BackupEvents: AWS Backup vaults, plan, copies and monitoring.", backupEventsFields),
  auditLogPipeline: section("AuditLogPipeline: Aurora MySQL audit logs to S3.", auditLogPipelineFields),
  auroraLab: section("AuroraLab: the Aurora MySQL audit-log lab.", auroraLabFields),
  rdsAutomatedBackups: section("RDS cross-Region automated backups for RDS DB instances (backup stack).", rdsAutomatedBackupsFields),
  lambdaNetwork: section("Where the program's Lambda functions run: outside any VPC (default) or in private subnets.", lambdaNetworkFields),
  ...hardenedProfileFields,
} satisfies Record<string, Field<any>>;

export type AppConfig = InferFields<typeof configFields>;
export type StackRole = "primary" | "backup";

/** The validated config plus what follows from it. */
export interface ResolvedConfig extends AppConfig {
  /** The stack's own region (`aws:region`). */
  region: ChinaRegion;
  /** primary: the source stack in primaryRegion; backup: the destination stack in backupRegion. */
  role: StackRole;
  /** The stack name, for messages. */
  stack: string;
}

/** All the problems found, in one error, so a preview lists every mistake at once. */
export class ConfigError extends Error {
  constructor(
    readonly stack: string,
    readonly problems: ConfigProblem[],
  ) {
    super(
      `Invalid configuration for stack "${stack}":\n` +
        problems.map((p) => `  - ${p.key}: ${p.message}`).join("\n") +
        `\nFix these in Pulumi.${stack}.yaml (see the config reference in README.md).`,
    );
    this.name = "ConfigError";
  }
}

/**
 * Parses the stack's whole config map (`pulumi.runtime.allConfig()`: `namespace:key` -> string)
 * into a `ResolvedConfig`, or throws one `ConfigError` listing every problem.
 */
export function parseConfig(all: Record<string, string>, stack: string): ResolvedConfig {
  const problems: ConfigProblem[] = [];
  const own: Record<string, unknown> = {};
  const prefix = `${PROJECT}:`;
  for (const [fullKey, value] of Object.entries(all)) {
    if (fullKey.startsWith(prefix)) own[fullKey.slice(prefix.length)] = value;
  }
  const cfg = parseFields(prefix, configFields, own, problems);
  problems.push(...auroraLabProblems(cfg, prefix));

  const awsRegion = all["aws:region"];
  let region: ChinaRegion | undefined;
  if (awsRegion === undefined) {
    problems.push({ key: "aws:region", message: "is required; expected one of cn-north-1, cn-northwest-1" });
  } else if (awsRegion !== "cn-north-1" && awsRegion !== "cn-northwest-1") {
    problems.push({
      key: "aws:region",
      message: `${JSON.stringify(awsRegion)} is not allowed; expected one of cn-north-1, cn-northwest-1 (data stays in the aws-cn partition)`,
    });
  } else {
    region = awsRegion;
  }

  if (cfg.primaryRegion !== undefined && cfg.primaryRegion === cfg.backupRegion) {
    problems.push({
      key: `${prefix}backupRegion`,
      message: `${JSON.stringify(cfg.backupRegion)} equals primaryRegion; the backup must be in the other China region`,
    });
  }

  const audit = cfg.auditLogPipeline;
  if (audit && (audit.archiveBucketName === undefined) !== (audit.archiveKmsKeyArn === undefined)) {
    const [set, unset] = audit.archiveBucketName === undefined ? ["archiveKmsKeyArn", "archiveBucketName"] : ["archiveBucketName", "archiveKmsKeyArn"];
    problems.push({
      key: `${prefix}auditLogPipeline.${unset}`,
      message: `is unset while auditLogPipeline.${set} is ${JSON.stringify(audit[set as "archiveBucketName"])}; set both or neither`,
    });
  }
  checkLambdaNetwork(cfg, prefix, problems);
  checkRdsAutomatedBackups(cfg, prefix, problems);

  let role: StackRole | undefined;
  if (region !== undefined && cfg.primaryRegion !== cfg.backupRegion) {
    if (region === cfg.primaryRegion) role = "primary";
    else if (region === cfg.backupRegion) role = "backup";
  }

  problems.push(...backupEventsProblems(cfg));
  // In the reverse direction (README "Reverse direction") the default backupStackName names the
  // Ningxia stack, which is then the primary itself: it would read its own outputs.
  if (role === "primary" && cfg.backupStackName !== undefined && cfg.backupStackName.split("/").pop() === stack) {
    problems.push({
      key: `${prefix}backupStackName`,
      message: `${JSON.stringify(cfg.backupStackName)} names this stack, the primary; expected the backup stack (in backupRegion ${cfg.backupRegion}), e.g. organization/cn-log-backup/${cfg.backupRegion}`,
    });
  }
  const rt = cfg.backupEvents;
  if (role === "backup" && rt?.enabled && rt.restoreTesting && (rt.restoreTestingResourceType === "Aurora" || rt.restoreTestingResourceType === "RDS") && rt.restoreTestingDbSubnetGroupName === undefined) {
    problems.push({
      key: `${prefix}backupEvents.restoreTestingDbSubnetGroupName`,
      message: `is required when restoreTesting is on for ${rt.restoreTestingResourceType}: the DB subnet group in ${cfg.backupRegion} the test restores into (the program cannot know one, and AWS Backup falls back to the default VPC, which may not exist); expected a DB subnet group name`,
    });
  }
  if (role === "backup" && cfg.backupAccountId !== undefined && cfg.backupEvents?.enabled && cfg.backupEvents.primaryAccountId === undefined) {
    problems.push({
      key: `${prefix}backupEvents.primaryAccountId`,
      message: "is required in the backup stack when backupAccountId is set; expected the primary stack's 12-digit account id (its copies must be admitted to the vault)",
    });
  }
  if (cfg.logArchive !== undefined) problems.push(...logArchiveProblems(cfg.logArchive, prefix));
  // A key already reported (a value that did not parse) is not reported again as missing.
  problems.push(...hardenedProfileProblems(cfg, role, prefix, MIN_LOG_RETENTION_DAYS).filter((p) => !problems.some((q) => q.key === p.key)));

  if (problems.length > 0) throw new ConfigError(stack, problems);
  return { ...cfg, region: region!, role: role!, stack };
}

function checkLambdaNetwork(cfg: AppConfig, prefix: string, problems: ConfigProblem[]) {
  if (!cfg.lambdaNetwork) return;
  // A key that failed to parse is already reported; treat it as empty here.
  const net = { ...cfg.lambdaNetwork, subnetIds: cfg.lambdaNetwork.subnetIds ?? [], securityGroupIds: cfg.lambdaNetwork.securityGroupIds ?? [], routeTableIds: cfg.lambdaNetwork.routeTableIds ?? [] };
  const key = `${prefix}lambdaNetwork`;
  if (net.subnetIds.length > 0 && net.securityGroupIds.length === 0) {
    problems.push({ key: `${key}.securityGroupIds`, message: "is empty but subnetIds is set; expected at least one security group id for the functions" });
  }
  if (net.securityGroupIds.length > 0 && net.subnetIds.length === 0) {
    problems.push({ key: `${key}.subnetIds`, message: "is empty but securityGroupIds is set; expected the private subnet ids the functions run in" });
  }
  if (net.useAuroraLabVpc && net.subnetIds.length > 0) {
    problems.push({ key: `${key}.useAuroraLabVpc`, message: "true together with subnetIds; expected one of the two" });
  }
  if (net.useAuroraLabVpc && !cfg.auroraLab?.enabled) {
    problems.push({ key: `${key}.useAuroraLabVpc`, message: "true but auroraLab.enabled is false; expected the lab to be on, or subnetIds" });
  }
  if (net.subnetIds.length > 0 && net.createEndpoints && (!net.vpcId || net.routeTableIds.length === 0)) {
    problems.push({
      key: `${key}.${net.vpcId ? "routeTableIds" : "vpcId"}`,
      message: "is required to create the functions' VPC endpoints; set it, or createEndpoints: false when the endpoints already exist",
    });
  }
}

function checkRdsAutomatedBackups(cfg: AppConfig, prefix: string, problems: ConfigProblem[]) {
  for (const [i, inst] of (cfg.rdsAutomatedBackups?.instances ?? []).entries()) {
    const { region } = arnRegionAndAccount(inst.dbInstanceArn);
    if (cfg.primaryRegion && region !== cfg.primaryRegion) {
      problems.push({
        key: `${prefix}rdsAutomatedBackups.instances`,
        message: `item ${i}: ${inst.dbInstanceArn} is in ${region}; expected an instance in primaryRegion (${cfg.primaryRegion}), replicated to backupRegion`,
      });
    }
  }
}

/** Rows of the README config reference, generated from the declarations above. */
export function configReference() {
  return docRows(configFields);
}
