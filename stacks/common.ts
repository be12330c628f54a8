/** What both stacks derive from config the same way. */
import { ResolvedConfig, PROJECT } from "./config";
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
