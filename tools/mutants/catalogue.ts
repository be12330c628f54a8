/**
 * The mutation catalogue: for every policy of the pack, at least one realistic insecure edit of the
 * PROGRAM (infra/, stacks/, Pulumi.*.yaml), the kind a reviewer would have to catch. Each is a
 * textual replacement of a short, stable search string that must occur exactly once in its file;
 * when it no longer does (the code moved on), the mutant is reported "no longer applies" and not
 * counted as caught. `variant` is the config variant of tools/variants.ts the mutant is planned
 * with (default: the stack files), `stacks` the stacks to plan (default: both; the primary's plan
 * runs its backup stack first anyway).
 */
export interface Mutant {
  id: string;
  /** The policy that must report a mandatory violation in update and preview mode. */
  policy: string;
  file: string;
  search: string;
  replace: string;
  variant?: string;
  stacks?: ("cn-north-1" | "cn-northwest-1")[];
  why: string;
}

const PRIMARY: Mutant["stacks"] = ["cn-north-1"];
const BACKUP: Mutant["stacks"] = ["cn-northwest-1"];
const ALL = "every option on";
const HARDENED = "hardened profile";

// One mutant per line: the catalogue reads as a table.
// prettier-ignore
export const MUTANTS: Mutant[] = [
    // ---- retention and the law ---------------------------------------------------------------
    { id: "lifecycle-90-days", policy: "s3-lifecycle-min-retention", file: "infra/log-archive/lifecycle.ts", search: "expiration: { days },", replace: "expiration: { days: Math.min(days, 90) },", stacks: BACKUP, why: "archive and replica expire logs after 90 days" },
    { id: "noncurrent-7-days", policy: "s3-noncurrent-version-retention", file: "Pulumi.cn-northwest-1.yaml", search: "  replicaRetentionDays: 730\n", replace: "  replicaRetentionDays: 730\n    noncurrentVersionExpirationDays: 7\n", stacks: BACKUP, why: "deleted replica versions kept 7 days" },
    { id: "bucket-force-destroy", policy: "s3-bucket-no-force-destroy", file: "infra/log-archive/protected-bucket.ts", search: "forceDestroy: false", replace: "forceDestroy: true", stacks: BACKUP, why: "a destroy empties the log buckets" },
    // ---- the Ningxia copy stays a copy -------------------------------------------------------
    { id: "replication-no-delete-markers", policy: "s3-replication-whole-bucket", file: "infra/log-archive/replication.ts", search: 'deleteMarkerReplication: { status: "Enabled" }', replace: 'deleteMarkerReplication: { status: "Disabled" }', stacks: PRIMARY, why: "deletes no longer replicated as configured" },
    { id: "replication-one-prefix", policy: "s3-replication-whole-bucket", file: "infra/log-archive/replication.ts", search: 'filter: { prefix: "" },\n          deleteMarkerReplication', replace: 'filter: { prefix: "cloudtrail/" },\n          deleteMarkerReplication', stacks: PRIMARY, why: "only cloudtrail/ replicated" },
    { id: "vault-lock-removed", policy: "backup-vault-locked", file: "infra/backup-events/destination-vault.ts", search: "new aws.backup.VaultLockConfiguration(", replace: "false && new aws.backup.VaultLockConfiguration(", stacks: BACKUP, why: "the destination vault loses its lock" },
    { id: "vault-deny-misses-lifecycle", policy: "backup-vault-deny-delete", file: "infra/backup-events/statements.ts", search: 'Action: ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"],', replace: 'Action: ["backup:DeleteRecoveryPoint"],', stacks: BACKUP, why: "recovery points can be shortened" },
    { id: "object-lock-config-dropped", policy: "s3-object-lock-configured", file: "infra/log-archive/protected-bucket.ts", search: "if (args.objectLock) {", replace: "if (false) {", variant: ALL, stacks: BACKUP, why: "Object Lock enabled but no default retention" },
    { id: "version-delete-allowed", policy: "s3-bucket-deny-object-version-delete", file: "infra/log-archive/policies.ts", search: '"s3:DeleteObjectVersion", ', replace: "", stacks: BACKUP, why: "anyone allowed may erase versions" },
    { id: "hardened-lifecycle-changeable", policy: "aws-hardened-profile-holds", file: "infra/hardened-profile.ts", search: '  "s3:PutLifecycleConfiguration",\n', replace: "", variant: HARDENED, stacks: BACKUP, why: "under the profile an administrator may still shorten the replica's lifecycle" },
    { id: "hardened-exception-any-role", policy: "aws-hardened-profile-holds", file: "infra/hardened-profile.ts", search: 'return { ArnNotEquals: { "aws:PrincipalArn": roleArn } };', replace: 'return { ArnNotLike: { "aws:PrincipalArn": [roleArn, "arn:aws-cn:iam::*:role/*"] as any } };', variant: HARDENED, stacks: BACKUP, why: "every role of every account is exempt from the profile's denies" },
    { id: "hardened-vault-key-deletable", policy: "aws-hardened-profile-holds", file: "infra/backup-events/destination-vault.ts", search: "      ...(args.hardened ? hardenedKeyStatements(args.hardened) : []),\n    ],\n    forceDestroy: false,", replace: "    ],\n    forceDestroy: false,", variant: HARDENED, stacks: BACKUP, why: "the vault key's deletion can be scheduled by any administrator" },
    { id: "table-deletion-protection-off", policy: "dynamodb-table-deletion-protection", file: "infra/audit-log-pipeline/state.ts", search: "deletionProtectionEnabled: true", replace: "deletionProtectionEnabled: false", stacks: PRIMARY, why: "the pipeline's state table can be deleted" },
    { id: "archive-search-any-key", policy: "iam-policy-wildcard-resource-only-for-unscoped-actions", file: "infra/archive-search/policy.ts", search: 'Resource: [a.keyArn], Condition: via(a.bucketArn) },', replace: 'Resource: "*", Condition: via(a.bucketArn) },', variant: ALL, stacks: PRIMARY, why: "auditors may decrypt with every key of the account" },
    { id: "archive-search-athena-star", policy: "iam-policy-no-wildcard-actions", file: "infra/archive-search/policy.ts", search: "Action: [...ATHENA_QUERY_ACTIONS]", replace: 'Action: ["athena:*"]', variant: ALL, stacks: PRIMARY, why: "auditors may administer the workgroup (delete it, change its result encryption)" },
    // ---- key policies and keys ---------------------------------------------------------------
    { id: "key-bypass-lockout-check", policy: "kms-key-no-lockout-safety-bypass", file: "infra/kms.ts", search: "enableKeyRotation: true,", replace: "enableKeyRotation: true,\n      bypassPolicyLockoutSafetyCheck: true,", stacks: BACKUP, why: "a locking policy could be applied" },
    { id: "logs-may-create-grants", policy: "kms-key-policy-no-admin-to-others", file: "infra/kms.ts", search: '"kms:Describe*"],', replace: '"kms:Describe*", "kms:CreateGrant"],', stacks: PRIMARY, why: "CloudWatch Logs may create grants on our keys" },
    { id: "topic-aws-managed-key", policy: "aws-data-at-rest-customer-managed-key", file: "infra/backup-events/messaging.ts", search: "kmsMasterKeyId: key.arn, tags", replace: 'kmsMasterKeyId: "alias/aws/sns", tags', stacks: BACKUP, why: "alerts encrypted with the AWS managed key" },
    { id: "key-rotation-off", policy: "kms-key-rotation-enabled", file: "infra/kms.ts", search: "enableKeyRotation: true,", replace: "enableKeyRotation: false,", stacks: BACKUP, why: "key material never rotates" },
    { id: "key-deletion-3-days", policy: "kms-key-deletion-window", file: "infra/kms.ts", search: "deletionWindowInDays: args.deletionWindowInDays,", replace: "deletionWindowInDays: 3,", stacks: BACKUP, why: "a deletion cannot be noticed in time" },
    { id: "logs-get-kms-star", policy: "kms-key-policy-no-wildcard-grants", file: "infra/kms.ts", search: '"kms:Describe*"],', replace: '"kms:Describe*", "kms:*"],', stacks: PRIMARY, why: "CloudWatch Logs gets kms:*" },
    // ---- least privilege ---------------------------------------------------------------------
    { id: "downloader-every-bucket", policy: "iam-policy-no-account-wide-resource-patterns", file: "infra/audit-log-pipeline/functions.ts", search: 'Action: ["s3:PutObject", "s3:AbortMultipartUpload"], Resource: [objectsArn]', replace: 'Action: ["s3:PutObject", "s3:AbortMultipartUpload"], Resource: ["arn:aws-cn:s3:::*"]', stacks: PRIMARY, why: "the downloader may write every bucket" },
    { id: "detector-every-table", policy: "iam-policy-no-account-wide-resource-patterns", file: "infra/audit-log-pipeline/functions.ts", search: '"dynamodb:UpdateItem"], Resource: [state.table.arn] },\n        { Sid: "FindOldestPending"', replace: '"dynamodb:UpdateItem"], Resource: [arn({ service: "dynamodb", resource: "table/*" }, parent)] },\n        { Sid: "FindOldestPending"', stacks: PRIMARY, why: "the detector may write every table" },
    { id: "detector-item-wildcard", policy: "iam-policy-action-wildcard-expansion", file: "infra/audit-log-pipeline/functions.ts", search: 'Action: ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:UpdateItem"]', replace: 'Action: ["dynamodb:*Item"]', stacks: PRIMARY, why: "dynamodb:*Item adds PutItem, DeleteItem, BatchWriteItem" },
    { id: "downloader-s3-put-star", policy: "iam-policy-action-wildcard-expansion", file: "infra/audit-log-pipeline/functions.ts", search: 'Action: ["s3:PutObject", "s3:AbortMultipartUpload"]', replace: 'Action: ["s3:Put*", "s3:AbortMultipartUpload"]', stacks: PRIMARY, why: "s3:Put* adds PutBucketPolicy and friends" },
    { id: "scanner-sqs-star", policy: "iam-policy-no-wildcard-actions", file: "infra/audit-log-pipeline/functions.ts", search: 'Action: ["sqs:SendMessage"], Resource: [state.queue.arn]', replace: 'Action: ["sqs:*"], Resource: [state.queue.arn]', stacks: PRIMARY, why: "sqs:* on the queue" },
    { id: "detector-query-any-table", policy: "iam-policy-wildcard-resource-only-for-unscoped-actions", file: "infra/audit-log-pipeline/functions.ts", search: 'Action: ["dynamodb:Query"], Resource: [indexArn]', replace: 'Action: ["dynamodb:Query"], Resource: ["*"]', stacks: PRIMARY, why: "Query on Resource *" },
    { id: "action-typo", policy: "iam-policy-actions-exist", file: "infra/audit-log-pipeline/functions.ts", search: '"dynamodb:BatchGetItem"', replace: '"dynamodb:BatchGetItems"', stacks: PRIMARY, why: "a typo grants nothing" },
    { id: "passrole-any-service", policy: "iam-policy-passrole-restricted", file: "infra/backup-events/copy-retention.ts", search: '"iam:PassedToService": backupPrincipal', replace: '"iam:PassedToService": "*"', stacks: PRIMARY, why: "the copy role can be passed to any service" },
    { id: "agent-read-only-access", policy: "iam-principal-no-admin-managed-policies", file: "infra/log-archive/agent-kit.ts", search: 'managedPolicyArn("AmazonSSMManagedInstanceCore"', replace: 'managedPolicyArn("ReadOnlyAccess"', stacks: PRIMARY, why: "instances read everything in the account" },
    { id: "agent-admin", policy: "iam-principal-no-admin-managed-policies", file: "infra/log-archive/agent-kit.ts", search: 'managedPolicyArn("CloudWatchAgentServerPolicy"', replace: 'managedPolicyArn("AdministratorAccess"', stacks: PRIMARY, why: "instances are admins" },
    { id: "trust-without-source-account", policy: "iam-policy-service-principal-confused-deputy", file: "infra/iam.ts", search: 'StringEquals: { "aws:SourceAccount": args.sourceAccount },', replace: "", stacks: PRIMARY, why: "service roles assumable for any account" },
    { id: "copy-in-from-anyone", policy: "iam-policy-no-unrestricted-public-principal", file: "infra/backup-events/statements.ts", search: "Principal: { AWS: otherRoots },", replace: 'Principal: "*" as any,', variant: ALL, stacks: BACKUP, why: "anyone may copy into the vault" },
    { id: "permission-without-source", policy: "lambda-permission-source-arn", file: "infra/lambda.ts", search: "sourceArn: args.sourceArn,", replace: "", stacks: PRIMARY, why: "any rule of any account may invoke" },
    // ---- in transit --------------------------------------------------------------------------
    { id: "queue-tls-send-only", policy: "sqs-queue-tls-only", file: "infra/audit-log-pipeline/state.ts", search: 'denyInsecureTransport([q.arn], "sqs:*")', replace: 'denyInsecureTransport([q.arn], "sqs:SendMessage")', stacks: PRIMARY, why: "messages readable over plain HTTP" },
    { id: "topic-tls-subscribe-only", policy: "sns-topic-tls-only", file: "infra/backup-events/messaging.ts", search: 'denyInsecureTransport([m.topic.arn], "sns:Publish")', replace: 'denyInsecureTransport([m.topic.arn], "sns:Subscribe")', stacks: BACKUP, why: "publishing over plain HTTP" },
    { id: "bucket-tls-get-only", policy: "s3-bucket-tls-only", file: "infra/log-archive/policies.ts", search: '], "s3:*"),', replace: '], "s3:GetObject"),', stacks: BACKUP, why: "writes over plain HTTP" },
    // ---- exposure ----------------------------------------------------------------------------
    { id: "mysql-open-to-internet", policy: "ec2-security-group-no-public-admin-ports", file: "infra/aurora-lab/network.ts", search: "referencedSecurityGroupId: clientSg.id, ...tcp(MYSQL_PORT)", replace: 'cidrIpv4: "0.0.0.0/0", ...tcp(MYSQL_PORT)', stacks: PRIMARY, why: "MySQL open to 0.0.0.0/0" },
    { id: "db-instance-public", policy: "rds-instance-not-publicly-accessible", file: "infra/aurora-lab/database.ts", search: "publiclyAccessible: false", replace: "publiclyAccessible: true", stacks: PRIMARY, why: "the Aurora instances get public addresses" },
    { id: "client-public-ip", policy: "ec2-instance-no-public-ip", file: "infra/aurora-lab/client.ts", search: "associatePublicIpAddress: false", replace: "associatePublicIpAddress: true", stacks: PRIMARY, why: "the lab client gets a public IP" },
    { id: "alerts-over-http", policy: "sns-subscription-no-plain-http", file: "infra/backup-events/messaging.ts", search: 'protocol: "email", endpoint: email', replace: 'protocol: "http", endpoint: email', variant: ALL, stacks: BACKUP, why: "alerts delivered over plain http" },
    // ---- encryption and protection (the existing policies) -----------------------------------
    { id: "log-group-no-retention", policy: "cloudwatch-log-group-retention", file: "infra/lambda.ts", search: "retentionInDays: args.logRetentionDays,", replace: "retentionInDays: 0,", stacks: PRIMARY, why: "function logs kept forever" },
    { id: "log-group-unencrypted", policy: "cloudwatch-log-group-encrypted", file: "infra/lambda.ts", search: "kmsKeyId: args.logKeyArn,", replace: "", stacks: PRIMARY, why: "function logs without the key" },
    { id: "bucket-sse-s3", policy: "s3-bucket-encrypted-with-cmk", file: "infra/log-archive/protected-bucket.ts", search: 'sseAlgorithm: "aws:kms"', replace: 'sseAlgorithm: "AES256"', stacks: BACKUP, why: "logs encrypted with SSE-S3" },
    { id: "bucket-public-policy-allowed", policy: "s3-bucket-public-access-blocked", file: "infra/log-archive/protected-bucket.ts", search: "blockPublicPolicy: true", replace: "blockPublicPolicy: false", stacks: BACKUP, why: "a public bucket policy would be accepted" },
    { id: "bucket-versioning-suspended", policy: "s3-bucket-versioning-enabled", file: "infra/log-archive/protected-bucket.ts", search: 'versioningConfiguration: { status: "Enabled" }', replace: 'versioningConfiguration: { status: "Suspended" }', stacks: BACKUP, why: "overwrites lose the old log" },
    { id: "topic-unencrypted", policy: "sns-topic-encrypted", file: "infra/backup-events/messaging.ts", search: "kmsMasterKeyId: key.arn, tags", replace: "tags", stacks: BACKUP, why: "alerts unencrypted" },
    { id: "queue-unencrypted", policy: "sqs-queue-encrypted", file: "infra/audit-log-pipeline/state.ts", search: "{ kmsMasterKeyId: key.arn, kmsDataKeyReusePeriodSeconds: 300,", replace: "{ kmsDataKeyReusePeriodSeconds: 300,", stacks: PRIMARY, why: "the dead-letter queue unencrypted" },
    { id: "table-aws-owned-key", policy: "dynamodb-table-encrypted-with-cmk", file: "infra/audit-log-pipeline/state.ts", search: "serverSideEncryption: { enabled: true, kmsKeyArn: key.arn },", replace: "serverSideEncryption: { enabled: false },", stacks: PRIMARY, why: "the table on the AWS owned key" },
    { id: "table-no-pitr", policy: "dynamodb-table-pitr-enabled", file: "infra/audit-log-pipeline/state.ts", search: "pointInTimeRecovery: { enabled: true },", replace: "pointInTimeRecovery: { enabled: false },", stacks: PRIMARY, why: "no point-in-time recovery" },
    { id: "firehose-sse-off", policy: "firehose-delivery-stream-encrypted", file: "infra/log-archive/cloudwatch-firehose.ts", search: 'serverSideEncryption: { enabled: true, keyType: "CUSTOMER_MANAGED_CMK"', replace: 'serverSideEncryption: { enabled: false, keyType: "CUSTOMER_MANAGED_CMK"', stacks: PRIMARY, why: "buffered logs unencrypted" },
    { id: "cluster-unencrypted", policy: "rds-database-storage-encrypted-with-cmk", file: "infra/aurora-lab/database.ts", search: "storageEncrypted: true,", replace: "storageEncrypted: false,", stacks: PRIMARY, why: "the cluster unencrypted" },
    { id: "cluster-deletion-protection-off", policy: "rds-database-deletion-protection", file: "infra/aurora-lab/database.ts", search: "deletionProtection: db.deletionProtection,", replace: "deletionProtection: false,", stacks: PRIMARY, why: "the cluster can be deleted" },
    { id: "client-root-unencrypted", policy: "ec2-ebs-encrypted", file: "infra/aurora-lab/client.ts", search: "encrypted: true,", replace: "encrypted: false,", stacks: PRIMARY, why: "the client's root volume unencrypted" },
    { id: "client-imdsv1", policy: "ec2-instance-imdsv2-required", file: "infra/aurora-lab/client.ts", search: 'httpTokens: "required"', replace: 'httpTokens: "optional"', stacks: PRIMARY, why: "IMDSv1 credentials readable through SSRF" },
    { id: "vault-without-key", policy: "backup-vault-encrypted-with-cmk", file: "infra/backup-events/vault.ts", search: "kmsKeyArn: keyArn,", replace: "kmsKeyArn: undefined,", stacks: BACKUP, why: "recovery points on the AWS managed key" },
    { id: "trail-no-validation", policy: "cloudtrail-trail-encrypted-and-validated", file: "infra/log-archive/cloudtrail.ts", search: "enableLogFileValidation: true,", replace: "enableLogFileValidation: false,", stacks: PRIMARY, why: "tampered trail files undetectable" },
    // ---- China data residency ----------------------------------------------------------------
    { id: "table-in-hong-kong", policy: "aws-resource-in-china-region", file: "infra/audit-log-pipeline/state.ts", search: "deletionProtectionEnabled: true,", replace: 'deletionProtectionEnabled: true,\n      region: "ap-east-1",', stacks: PRIMARY, why: "the state table outside China" },
    { id: "global-partition-arn", policy: "aws-arn-partition-aws-cn", file: "infra/audit-log-pipeline/functions.ts", search: 'Action: ["s3:PutObject", "s3:AbortMultipartUpload"], Resource: [objectsArn]', replace: 'Action: ["s3:PutObject", "s3:AbortMultipartUpload"], Resource: ["arn:aws:s3:::cn-log-backup-archive/audit-logs/*"]', stacks: PRIMARY, why: "a hand-written global-partition ARN" },
    { id: "copy-to-hong-kong", policy: "aws-data-destinations-in-china", file: "infra/backup-events/statements.ts", search: 'Action: ["backup:CopyIntoBackupVault"], Resource: [destinationVaultArn] },', replace: 'Action: ["backup:CopyIntoBackupVault"], Resource: ["arn:aws-cn:backup:ap-east-1:123456789012:backup-vault:dr"] },', stacks: PRIMARY, why: "copies may go outside China" },
];
