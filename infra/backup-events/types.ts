/** What the BackupEvents parts share: retry settings, the alerted calls, and the scope they build in. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { InlineLambdaArgs } from "../lambda";
import type { PartitionFacts } from "../partition";

/** EventBridge target retries: up to a day and 185 attempts (the maxima), then the DLQ. */
export const TARGET_RETRY_POLICY = { maximumEventAgeInSeconds: 86400, maximumRetryAttempts: 185 };
/** Lambda async invocations: two retries within six hours, then the on-failure destination. */
export const LAMBDA_ASYNC_RETRIES = { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 21600 };

/** The CloudTrail event names of destructive or sensitive AWS Backup calls that are alerted on. */
export const DESTRUCTIVE_BACKUP_CALLS = [
  "DeleteRecoveryPoint",
  "DeleteBackupVault",
  "PutBackupVaultAccessPolicy",
  "DeleteBackupVaultAccessPolicy",
  "PutBackupVaultLockConfiguration",
  "DeleteBackupVaultLockConfiguration",
  "DeleteBackupPlan",
  "StartRestoreJob",
];
/** KMS calls that destroy or disable a vault key. */
export const DESTRUCTIVE_KMS_CALLS = ["ScheduleKeyDeletion", "DisableKey"];

/** The component type token both region classes register (the URNs of today's stacks). */
export const BACKUP_EVENTS_TYPE = "cn-log-backup:index:BackupEvents";

/** Whether a key ARN is the alias ARN of AWS Backup's AWS-managed key (not a key ARN IAM can name). */
export function isAwsManagedBackupKeyAlias(keyArn: string): boolean {
  return /^arn:[a-z-]+:kms:[a-z0-9-]+:\d{12}:alias\/aws\/backup$/.test(keyArn);
}

/** Where a part builds: the component (parent of every resource), its name, tags and partition facts. */
export interface Scope {
  parent: pulumi.ComponentResource;
  /** The component's name: the prefix of every resource name. */
  name: string;
  tags: Record<string, string>;
  facts: pulumi.Output<PartitionFacts>;
}

/** The vault a region uses, created here or brought. */
export interface VaultRef {
  arn: pulumi.Output<string>;
  name: pulumi.Output<string>;
  /** The key's ARN (an alias ARN for the AWS-managed key). */
  keyArn: pulumi.Output<string>;
  /** The key is AWS Backup's AWS-managed key, given by its alias ARN (IAM cannot name it). */
  awsManagedKey: boolean;
  /** Set only when this component created them. */
  vault?: aws.backup.Vault;
  key?: aws.kms.Key;
}

/** What every BackupEvents Lambda shares: log group, retries into the error queue, network, size. */
export type LambdaCommon = Omit<InlineLambdaArgs<unknown, unknown>, "description" | "callbackFactory" | "statements" | "environment">;
