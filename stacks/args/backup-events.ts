/**
 * Config -> BackupEvents Args, field by field: each Args field is named as its config key
 * (`cn-log-backup:backupEvents.<key>`, or the top-level key), so the mapping is 1:1; what is not
 * config (the backup stack's outputs, the stack's log key, network and archive) comes in `from`.
 */
import type { HardenedArgs } from "../../infra/hardened-profile";
import * as pulumi from "@pulumi/pulumi";
import type { BackupRegionArgs, PrimaryRegionArgs } from "../../infra/backup-events";
import type { LambdaVpcConfig } from "../../infra/lambda";
import type { ResolvedConfig } from "../config";

export function backupRegionArgs(cfg: ResolvedConfig, tags: Record<string, string>, hardened?: HardenedArgs): BackupRegionArgs {
  const b = cfg.backupEvents;
  return {
    destinationVaultName: b.destinationVaultName,
    destinationVaultArn: b.destinationVaultArn,
    destinationVaultKmsKeyArn: b.destinationVaultKmsKeyArn,
    primaryAccountId: b.primaryAccountId,
    backupAccountId: cfg.backupAccountId,
    adminRoleArns: b.adminRoleArns,
    hardened,
    vaultLockMode: b.vaultLockMode,
    vaultLockMinRetentionDays: b.vaultLockMinRetentionDays,
    vaultLockMaxRetentionDays: b.vaultLockMaxRetentionDays,
    vaultLockChangeableForDays: b.vaultLockChangeableForDays,
    notificationEmails: b.notificationEmails,
    kmsKeyDeletionWindowDays: cfg.kmsKeyDeletionWindowDays,
    tags,
  };
}

export function primaryRegionArgs(
  cfg: ResolvedConfig,
  tags: Record<string, string>,
  from: {
    destinationVaultArn: pulumi.Input<string>;
    destinationVaultKeyArn: pulumi.Input<string>;
    lambdaLogKeyArn: pulumi.Input<string>;
    lambdaVpc: LambdaVpcConfig | undefined;
    archive: PrimaryRegionArgs["archive"];
  },
): PrimaryRegionArgs {
  const b = cfg.backupEvents;
  return {
    stack: cfg.stack,
    sourceVaultName: b.sourceVaultName,
    sourceVaultArn: b.sourceVaultArn,
    sourceVaultKmsKeyArn: b.sourceVaultKmsKeyArn,
    destinationVaultArn: from.destinationVaultArn,
    destinationVaultKeyArn: from.destinationVaultKeyArn,
    backupRegion: cfg.backupRegion,
    schedule: b.schedule,
    startWindowMinutes: b.startWindowMinutes,
    completionWindowMinutes: b.completionWindowMinutes,
    deleteAfterDays: b.deleteAfterDays,
    coldStorageAfterDays: b.coldStorageAfterDays,
    selectionTagKey: b.selectionTagKey,
    selectionTagValue: b.selectionTagValue,
    copyDeleteAfterDays: b.copyDeleteAfterDays,
    copyColdStorageAfterDays: b.copyColdStorageAfterDays,
    copyOnDemandBackups: b.copyOnDemandBackups,
    retainAfterCopyDays: b.retainAfterCopyDays,
    restoreStatuses: b.restoreStatuses,
    noBackupAlarmHours: b.noBackupAlarmHours,
    notificationEmails: b.notificationEmails,
    lambdaLogKeyArn: from.lambdaLogKeyArn,
    lambdaLogRetentionDays: cfg.lambdaLogRetentionDays,
    lambdaVpc: from.lambdaVpc,
    archive: from.archive,
    auditFramework: b.auditFramework,
    snapshotExport: b.snapshotExport,
    kmsKeyDeletionWindowDays: cfg.kmsKeyDeletionWindowDays,
    tags,
  };
}
