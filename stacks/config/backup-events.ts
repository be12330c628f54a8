/** The `backupEvents` section: AWS Backup vaults, plan, copies to the backup region, retention, alerts, audit, restore tests. */
import type { RuleInput } from "./app-config";
import { RESTORE_TEST_RESOURCE_TYPES } from "../../infra/restore-testing-types";
import { configKey } from "./top-level";
import {
  ACCOUNT_ID,
  AWS_BACKUP_MANAGED_KEY_ALIAS_ARN,
  BACKUP_VAULT_ARN,
  ConfigProblem,
  EMAIL,
  Field,
  KMS_KEY_ARN,
  SCHEDULE_EXPRESSION,
  SECURITY_GROUP_ID,
  arnRegionAndAccount,
  bool,
  chinaArnPattern,
  int,
  list,
  oneOf,
  optionalInt,
  optionalStr,
  section,
  str,
} from "./schema";

const BACKUP_VAULT_NAME = /^[A-Za-z0-9_-]{2,50}$/;
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
  vaultLockMode: oneOf(
    ["governance", "compliance"] as const,
    "Vault Lock mode of the destination vault: governance (removable with permission) or compliance (immutable after the grace time).",
    "governance",
  ),
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
  restoreTestingSelectionWindowDays: int("restoreTesting: the latest recovery point of this many past days is restored (LATEST_WITHIN_WINDOW).", {
    min: 1,
    max: 365,
    default: 30,
  }),
  restoreTestingValidationWindowHours: int("restoreTesting: hours the restored resource is kept for validation before AWS Backup deletes it.", {
    min: 1,
    max: 168,
    default: 24,
  }),
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

export const backupEventsSection = section("BackupEvents: AWS Backup vaults, plan, copies and monitoring.", backupEventsFields);

const key = (k: string) => configKey(`backupEvents.${k}`);

/** Rules that span several backupEvents keys; each problem names the key to fix. */
export function backupEventsProblems(cfg: RuleInput): ConfigProblem[] {
  const b = cfg.backupEvents;
  if (!b) return [];
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
function broughtVaultProblems(cfg: RuleInput): ConfigProblem[] {
  const b = cfg.backupEvents!;
  const problems: ConfigProblem[] = [];
  const roles = [
    { vault: "sourceVaultArn", kms: "sourceVaultKmsKeyArn", regionKey: "primaryRegion", region: cfg.primaryRegion, what: "source" },
    { vault: "destinationVaultArn", kms: "destinationVaultKmsKeyArn", regionKey: "backupRegion", region: cfg.backupRegion, what: "destination" },
  ] as const;
  for (const r of roles) {
    const vaultArn = b[r.vault];
    const keyArn = b[r.kms];
    for (const [k, arn] of [
      [r.vault, vaultArn],
      [r.kms, keyArn],
    ] as const) {
      if (arn === undefined || r.region === undefined) continue;
      const { region } = arnRegionAndAccount(arn);
      if (region !== r.region) {
        problems.push({
          key: key(k),
          message: `${JSON.stringify(arn)} is in ${region}; expected an ARN in ${r.regionKey} (${r.region}), where the ${r.what} vault is`,
        });
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

/** Restore tests of Aurora or RDS restore into a DB subnet group the backup stack must be given. */
export function restoreTestingSubnetGroupProblems(cfg: RuleInput): ConfigProblem[] {
  const rt = cfg.backupEvents;
  if (
    cfg.role === "backup" &&
    rt?.enabled &&
    rt.restoreTesting &&
    (rt.restoreTestingResourceType === "Aurora" || rt.restoreTestingResourceType === "RDS") &&
    rt.restoreTestingDbSubnetGroupName === undefined
  ) {
    return [
      {
        key: key("restoreTestingDbSubnetGroupName"),
        message: `is required when restoreTesting is on for ${rt.restoreTestingResourceType}: the DB subnet group in ${cfg.backupRegion} the test restores into (the program cannot know one, and AWS Backup falls back to the default VPC, which may not exist); expected a DB subnet group name`,
      },
    ];
  }
  return [];
}

/** A backup stack in another account admits the primary's copies only when it knows that account. */
export function crossAccountPrimaryProblems(cfg: RuleInput): ConfigProblem[] {
  if (cfg.role === "backup" && cfg.backupAccountId !== undefined && cfg.backupEvents?.enabled && cfg.backupEvents.primaryAccountId === undefined) {
    return [
      {
        key: key("primaryAccountId"),
        message:
          "is required in the backup stack when backupAccountId is set; expected the primary stack's 12-digit account id (its copies must be admitted to the vault)",
      },
    ];
  }
  return [];
}
