/** What both stacks derive from config the same way. */
import { ResolvedConfig, PROJECT } from "./config";
import type { LifecycleArgs } from "../infra/log-archive";
import type { BackupRoleArgs } from "../infra/backup-events";
import { HARDENED_PROFILE_TAG } from "../infra/hardened-profile";

/** Tags for every taggable resource: the configured ones plus where it comes from. */
export function stackTags(cfg: ResolvedConfig): Record<string, string> {
  const profile: Record<string, string> = cfg.hardenedProfile ? { [HARDENED_PROFILE_TAG.key]: HARDENED_PROFILE_TAG.value } : {};
  return { ...cfg.tags, "cn-log-backup:stack": cfg.stack, "cn-log-backup:role": cfg.role, "pulumi:project": PROJECT, ...profile };
}

/**
 * Outputs the backup stack exports and the primary reads through its StackReference. Each
 * component that needs something from Ningxia adds its key here, in one place.
 */
export const BACKUP_OUTPUT_KEYS = {
  accountId: "accountId",
  region: "region",
  /** BackupEvents: the Ningxia vault the copies go to, and its key. */
  destinationVaultArn: "destinationVaultArn",
  destinationVaultKeyArn: "destinationVaultKeyArn",
  /** LogArchive's replica bucket and its key (Ningxia). */
  logArchiveReplicaBucketName: "logArchiveReplicaBucketName",
  logArchiveReplicaBucketArn: "logArchiveReplicaBucketArn",
  logArchiveReplicaKeyArn: "logArchiveReplicaKeyArn",
} as const;

/** LogArchive's lifecycle settings for either role (`expirationDays` differs: archive vs replica). */
export function logArchiveLifecycle(cfg: ResolvedConfig): LifecycleArgs {
  const la = cfg.logArchive;
  const prefixExpirationDays: LifecycleArgs["prefixExpirationDays"] = {};
  for (const [k, v] of Object.entries(la.prefixRetentionDays)) prefixExpirationDays[`${k}/` as keyof typeof prefixExpirationDays] = v;
  return {
    expirationDays: cfg.role === "backup" ? la.replicaRetentionDays : la.archiveRetentionDays,
    prefixExpirationDays: cfg.role === "backup" ? undefined : prefixExpirationDays,
    infrequentAccessDays: la.infrequentAccessAfterDays,
    glacierDays: la.glacierAfterDays,
    noncurrentVersionExpirationDays: la.noncurrentVersionExpirationDays,
    abortIncompleteMultipartUploadDays: la.abortIncompleteMultipartUploadDays,
  };
}

/**
 * BackupEvents' bring-your-own args from a role's `<role>VaultArn` / `<role>VaultKmsKeyArn` config:
 * a vault ARN brings the vault (with its key; config validation requires both), a key ARN alone
 * brings only the key for the vault the component creates.
 */
export function broughtVault(vaultArn: string | undefined, kmsKeyArn: string | undefined): Pick<BackupRoleArgs, "existingVault" | "existingKmsKeyArn"> {
  if (vaultArn !== undefined) {
    if (kmsKeyArn === undefined) throw new Error(`a brought vault (${vaultArn}) needs its key ARN`);
    return { existingVault: { arn: vaultArn, kmsKeyArn } };
  }
  return kmsKeyArn !== undefined ? { existingKmsKeyArn: kmsKeyArn } : {};
}
