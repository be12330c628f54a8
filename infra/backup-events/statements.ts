/**
 * BackupEvents' policy statements and derived numbers, as pure functions of their inputs (tested
 * directly in tests/infra/backup-events/statements.test.ts). Plain statements with Input leaves
 * (infra/iam.ts): the policy pack reads them during preview.
 */
import * as pulumi from "@pulumi/pulumi";
import type { PolicyStatement } from "../iam";

const KEY_USE = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"];

/**
 * Key statements letting AWS Backup (`via`: its and RDS's kms:ViaService values in the vault's
 * region) use a vault key for the admitted accounts (`roots`, `accounts`).
 * RDS and Aurora recovery points are not under AWS Backup's independent encryption: their copies
 * are RDS snapshot copies, whose KMS calls come through RDS
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html,
 * https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service).
 */
export function vaultKeyStatements(roots: pulumi.Input<string[]>, accounts: pulumi.Input<string[]>, via: pulumi.Input<string>[]): PolicyStatement[] {
  return [
    {
      Sid: "AwsBackupUsesKeyForAdmittedAccounts",
      Effect: "Allow",
      Principal: { AWS: roots },
      Action: KEY_USE,
      Resource: "*",
      Condition: { StringEquals: { "kms:ViaService": via, "kms:CallerAccount": accounts } },
    },
    {
      Sid: "AwsBackupCreatesGrantsForAwsResources",
      Effect: "Allow",
      Principal: { AWS: roots },
      Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
      Resource: "*",
      Condition: { StringEquals: { "kms:ViaService": via, "kms:CallerAccount": accounts }, Bool: { "kms:GrantIsForAWSResource": true } },
    },
  ];
}

/**
 * The destination vault's access policy: nobody but `adminRoleArns` may delete or shorten a
 * recovery point; the other source accounts (`otherRoots`, none within one account) may copy in.
 */
export function vaultAccessStatements(adminRoleArns: string[], otherRoots: string[]): PolicyStatement[] {
  const denyCondition = adminRoleArns.length > 0 ? { Condition: { ArnNotLike: { "aws:PrincipalArn": adminRoleArns } } } : {};
  const statements: PolicyStatement[] = [
    {
      Sid: "DenyDeletingOrShorteningRecoveryPoints",
      Effect: "Deny",
      Principal: "*",
      Action: ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"],
      Resource: "*",
      ...denyCondition,
    },
  ];
  // Copies from another account need the vault's consent; copies within the account do not.
  if (otherRoots.length === 0) return statements;
  return [
    ...statements,
    {
      Sid: "SourceAccountsCopyIn",
      Effect: "Allow",
      Principal: { AWS: otherRoots },
      Action: ["backup:CopyIntoBackupVault"],
      Resource: "*",
    },
  ];
}

/**
 * The copy role's statements: copy into the destination vault, and use the vault keys (`keys`:
 * an AWS-managed key is left out by the caller, IAM names keys by key ARN) through AWS Backup or
 * RDS in either region (`via`), never directly.
 */
export function copyRoleStatements(destinationVaultArn: pulumi.Input<string>, keys: pulumi.Input<string>[], via: pulumi.Input<string>[]): PolicyStatement[] {
  return [
    { Sid: "CopyIntoTheDestinationVault", Effect: "Allow", Action: ["backup:CopyIntoBackupVault"], Resource: [destinationVaultArn] },
    {
      Sid: "UseTheVaultKeysThroughAwsBackup",
      Effect: "Allow",
      Action: KEY_USE,
      Resource: keys,
      Condition: { StringEquals: { "kms:ViaService": via } },
    },
    {
      Sid: "GrantsForAwsResourcesOnTheVaultKeys",
      Effect: "Allow",
      Action: ["kms:CreateGrant"],
      Resource: keys,
      Condition: { StringEquals: { "kms:ViaService": via }, Bool: { "kms:GrantIsForAWSResource": true } },
    },
  ];
}

/** The export role (assumed by export.rds): locate the bucket, write `exports/`, use the archive key. */
export function exportRoleStatements(a: {
  bucketArn: pulumi.Input<string>;
  exportsArn: pulumi.Input<string>;
  keyArn: pulumi.Input<string>;
  rdsVia: pulumi.Input<string>;
}): PolicyStatement[] {
  return [
    { Sid: "LocateTheBucket", Effect: "Allow", Action: ["s3:GetBucketLocation", "s3:ListBucket"], Resource: [a.bucketArn] },
    { Sid: "WriteExports", Effect: "Allow", Action: ["s3:PutObject*", "s3:GetObject*", "s3:DeleteObject*"], Resource: [a.exportsArn] },
    { Sid: "EncryptWithTheArchiveKey", Effect: "Allow", Action: KEY_USE, Resource: [a.keyArn] },
    {
      Sid: "GrantsOnTheArchiveKeyForRds",
      Effect: "Allow",
      Action: ["kms:CreateGrant"],
      Resource: [a.keyArn],
      Condition: { StringEquals: { "kms:ViaService": a.rdsVia }, Bool: { "kms:GrantIsForAWSResource": true } },
    },
  ];
}

/**
 * The retention the audit framework requires: the plan keeps recovery points `deleteAfterDays`,
 * but once copied the retention rule keeps an original at least `retainAfterCopyDays` + 1 day of
 * margin (functions/backup-events/retention.ts), so the controls ask for the smaller of the two.
 */
export function auditRetentionDays(deleteAfterDays: number, retainAfterCopyDays: number): number {
  return Math.min(deleteAfterDays, retainAfterCopyDays + 1);
}

/** The vault name of a backup vault ARN (`...:backup-vault:<name>`), or undefined. */
export function vaultNameOfArn(vaultArn: string): string | undefined {
  const i = vaultArn.indexOf(":backup-vault:");
  return i < 0 ? undefined : vaultArn.slice(i + ":backup-vault:".length) || undefined;
}
