/**
 * BackupEvents' Args, one class per region role. Fields are named as their config keys
 * (`cn-log-backup:backupEvents.<key>`, or the top-level key where noted); stacks/args/backup-events.ts
 * maps config to them field by field.
 */
import type { HardenedArgs } from "../hardened-profile";
import * as pulumi from "@pulumi/pulumi";
import type { LambdaVpcConfig } from "../lambda";

interface CommonArgs {
  /** Where alerts go (email subscriptions; each must be confirmed). */
  readonly notificationEmails: string[];
  /** Top-level `kmsKeyDeletionWindowDays`: of the keys this component creates. */
  readonly kmsKeyDeletionWindowDays: number;
  readonly tags: Record<string, string>;
}

/** The backup region (Ningxia, deployed first): the destination vault, its lock and its alerts. */
export interface BackupRegionArgs extends CommonArgs {
  readonly destinationVaultName: string;
  /**
   * Bring your own vault: use this existing vault, encrypted with `destinationVaultKmsKeyArn`
   * (required with it), instead of creating one. No vault and no key are created; no access
   * policy and no Vault Lock are set on it (they are its owner's: `PutBackupVaultAccessPolicy`
   * would replace the owner's policy).
   */
  readonly destinationVaultArn?: string;
  /**
   * Alone: bring your own key, a customer-managed key (the AWS-managed `alias/aws/backup` is
   * refused; the policy pack requires customer-managed keys on the program's vaults) for the vault
   * this component creates; no key is created and its key policy is the owner's to keep right.
   * With `destinationVaultArn`: that vault's key (which may be the AWS-managed one).
   */
  readonly destinationVaultKmsKeyArn?: string;
  /** The primary stack's account, admitted to copy into the vault (this stack's own account always is). */
  readonly primaryAccountId?: string;
  /** Top-level `backupAccountId`: also admitted (the harness and AWS run this stack in it). */
  readonly backupAccountId?: string;
  /** Roles still allowed DeleteRecoveryPoint / UpdateRecoveryPointLifecycle in the vault. */
  readonly adminRoleArns: string[];
  /** The hardened profile: denies on the vault access policy and key policy to all but the break-glass role (infra/hardened-profile.ts). */
  readonly hardened?: HardenedArgs;
  readonly vaultLockMode: "governance" | "compliance";
  readonly vaultLockMinRetentionDays: number;
  readonly vaultLockMaxRetentionDays: number;
  /** Compliance mode only: grace days before the lock becomes immutable. */
  readonly vaultLockChangeableForDays: number;
}

/** The primary region (Beijing): the source vault, plan, event-driven copy, retention and alerts. */
export interface PrimaryRegionArgs extends CommonArgs {
  /** Top-level `stack`: names the Lambdas' log groups. */
  readonly stack: string;
  readonly sourceVaultName: string;
  /** Bring your own vault (with `sourceVaultKmsKeyArn`, required with it); see BackupRegionArgs. */
  readonly sourceVaultArn?: string;
  /** Bring your own key alone, or the brought vault's key; see BackupRegionArgs. */
  readonly sourceVaultKmsKeyArn?: string;
  /** The backup stack's outputs: the vault the copies go to, and its key. */
  readonly destinationVaultArn: pulumi.Input<string>;
  readonly destinationVaultKeyArn: pulumi.Input<string>;
  /** Top-level `backupRegion`: the destination vault's region. */
  readonly backupRegion: string;
  /** The backup plan: when it runs, its windows, the source recovery points' lifecycle, the selection tag. */
  readonly schedule: string;
  readonly startWindowMinutes: number;
  readonly completionWindowMinutes: number;
  readonly deleteAfterDays: number;
  readonly coldStorageAfterDays?: number;
  readonly selectionTagKey: string;
  readonly selectionTagValue: string;
  /** The copies' lifecycle in the destination vault, and whether on-demand backups are copied too. */
  readonly copyDeleteAfterDays: number;
  readonly copyColdStorageAfterDays?: number;
  readonly copyOnDemandBackups: boolean;
  /** Once copied, the original is kept this many days after creation (the retention rule). */
  readonly retainAfterCopyDays: number;
  /** Restore job statuses that are notified (none: no restore rule). */
  readonly restoreStatuses: string[];
  readonly noBackupAlarmHours: number;
  /** The Lambdas' log group key (the stack's) and top-level `lambdaLogRetentionDays`. */
  readonly lambdaLogKeyArn: pulumi.Input<string>;
  readonly lambdaLogRetentionDays: number;
  /** Run the Lambdas in these subnets (with the VPC endpoints they need); undefined: outside any VPC. */
  readonly lambdaVpc?: LambdaVpcConfig;
  /** The archive bucket (LogArchive): where the audit report plan and the snapshot export write. */
  readonly archive: { bucketName: pulumi.Input<string>; keyArn: pulumi.Input<string> };
  readonly auditFramework: boolean;
  readonly snapshotExport: boolean;
}
