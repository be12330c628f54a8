/**
 * BackupEvents: AWS Backup from Beijing to Ningxia, driven by events. One component class per
 * region role, both registering the type token `cn-log-backup:index:BackupEvents`:
 * - BackupEventsBackupRegion (backup-region.ts): destination vault, lock, security alerts;
 * - BackupEventsPrimaryRegion (primary-region.ts): source vault and plan, copy and retention,
 *   alerts and alarms, optional snapshot export and audit framework.
 * Their parts are plain functions in sibling files creating resources under the component.
 */
export { BackupEventsBackupRegion } from "./backup-region";
export { BackupEventsPrimaryRegion } from "./primary-region";
export type { BackupRegionArgs, PrimaryRegionArgs } from "./args";
export { DESTRUCTIVE_BACKUP_CALLS, DESTRUCTIVE_KMS_CALLS, LAMBDA_ASYNC_RETRIES, TARGET_RETRY_POLICY, isAwsManagedBackupKeyAlias } from "./types";
