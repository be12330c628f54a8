/**
 * Every policy of the pack, as a plain array. Tests and `npm run plan` import this module; only
 * index.ts builds the PolicyPack (which starts the policy server the Pulumi CLI talks to).
 * One policy per file, `<service>/<rule>.ts`, named `<service>-<rule>` (lib/meta.ts); the order
 * below is the order of the reports.
 */
import { Policies } from "@pulumi/policy";
import { PackPolicy } from "./lib/meta";
import { arnPartitionAwsCn } from "./aws/arn-partition-aws-cn";
import { dataAtRestCustomerManagedKey } from "./aws/data-at-rest-customer-managed-key";
import { dataDestinationsInChina } from "./aws/data-destinations-in-china";
import { resourceInChinaRegion } from "./aws/resource-in-china-region";
import { hardenedProfileHolds } from "./aws/hardened-profile-holds";
import { backupVaultDenyDelete } from "./backup/vault-deny-delete";
import { backupVaultEncryptedWithCmk } from "./backup/vault-encrypted-with-cmk";
import { backupVaultLocked } from "./backup/vault-locked";
import { cloudtrailEncryptedAndValidated } from "./cloudtrail/trail-encrypted-and-validated";
import { logGroupEncrypted } from "./cloudwatch/log-group-encrypted";
import { logGroupRetention } from "./cloudwatch/log-group-retention";
import { dynamodbDeletionProtection } from "./dynamodb/table-deletion-protection";
import { dynamodbTableEncryptedWithCmk } from "./dynamodb/table-encrypted-with-cmk";
import { dynamodbTablePitrEnabled } from "./dynamodb/table-pitr-enabled";
import { ec2EbsEncrypted } from "./ec2/ebs-encrypted";
import { ec2ImdsV2Required } from "./ec2/instance-imdsv2-required";
import { ec2NoPublicIp } from "./ec2/instance-no-public-ip";
import { sgNoPublicAdminPorts } from "./ec2/security-group-no-public-admin-ports";
import { firehoseEncrypted } from "./firehose/delivery-stream-encrypted";
import { iamActionWildcardExpansion } from "./iam/policy-action-wildcard-expansion";
import { iamActionsExist } from "./iam/policy-actions-exist";
import { iamNoAccountWideResources } from "./iam/policy-no-account-wide-resource-patterns";
import { noUnrestrictedPublicPrincipal } from "./iam/policy-no-unrestricted-public-principal";
import { iamNoWildcardActions } from "./iam/policy-no-wildcard-actions";
import { iamPassRoleRestricted } from "./iam/policy-passrole-restricted";
import { serviceConfusedDeputy } from "./iam/policy-service-principal-confused-deputy";
import { iamWildcardResourceOnlyForUnscopedActions } from "./iam/policy-wildcard-resource-only-for-unscoped-actions";
import { iamNoAdminManagedPolicies } from "./iam/principal-no-admin-managed-policies";
import { kmsKeyDeletionWindow } from "./kms/key-deletion-window";
import { kmsNoLockoutBypass } from "./kms/key-no-lockout-safety-bypass";
import { kmsNoKeyAdminToOthers } from "./kms/key-policy-no-admin-to-others";
import { kmsKeyPolicyNoWildcardGrants } from "./kms/key-policy-no-wildcard-grants";
import { kmsKeyRotationEnabled } from "./kms/key-rotation-enabled";
import { lambdaPermissionSourceArn } from "./lambda/permission-source-arn";
import { rdsDeletionProtection } from "./rds/database-deletion-protection";
import { rdsStorageEncryptedWithCmk } from "./rds/database-storage-encrypted-with-cmk";
import { rdsNotPubliclyAccessible } from "./rds/instance-not-publicly-accessible";
import { s3DenyVersionDelete } from "./s3/bucket-deny-object-version-delete";
import { s3BucketEncryptedWithCmk } from "./s3/bucket-encrypted-with-cmk";
import { s3BucketNoForceDestroy } from "./s3/bucket-no-force-destroy";
import { s3BucketPublicAccessBlocked } from "./s3/bucket-public-access-blocked";
import { s3BucketTlsOnly } from "./s3/bucket-tls-only";
import { s3BucketVersioningEnabled } from "./s3/bucket-versioning-enabled";
import { s3LifecycleMinRetention } from "./s3/lifecycle-min-retention";
import { s3NoncurrentVersionRetention } from "./s3/noncurrent-version-retention";
import { s3ObjectLockConfigured } from "./s3/object-lock-configured";
import { s3ReplicationWholeBucket } from "./s3/replication-whole-bucket";
import { snsSubscriptionHttps } from "./sns/subscription-no-plain-http";
import { snsTopicEncrypted } from "./sns/topic-encrypted";
import { snsTopicTlsOnly } from "./sns/topic-tls-only";
import { sqsQueueEncrypted } from "./sqs/queue-encrypted";
import { sqsQueueTlsOnly } from "./sqs/queue-tls-only";

export const PACK_NAME = "cn-log-backup";

/** The pack's policies with their metadata (severity, topics), in report order. */
export const packPolicies: readonly PackPolicy[] = [
  // S3 buckets: encryption, public access, versioning, TLS.
  s3BucketEncryptedWithCmk,
  s3BucketPublicAccessBlocked,
  s3BucketVersioningEnabled,
  s3BucketTlsOnly,
  // KMS keys.
  kmsKeyRotationEnabled,
  kmsKeyDeletionWindow,
  kmsKeyPolicyNoWildcardGrants,
  // DynamoDB.
  dynamodbTableEncryptedWithCmk,
  dynamodbTablePitrEnabled,
  // SQS.
  sqsQueueEncrypted,
  // SNS.
  snsTopicEncrypted,
  // CloudWatch Logs.
  logGroupEncrypted,
  logGroupRetention,
  // Firehose.
  firehoseEncrypted,
  // RDS.
  rdsStorageEncryptedWithCmk,
  rdsDeletionProtection,
  // EC2.
  ec2EbsEncrypted,
  ec2ImdsV2Required,
  // AWS Backup.
  backupVaultEncryptedWithCmk,
  // CloudTrail.
  cloudtrailEncryptedAndValidated,
  // Least privilege.
  iamNoWildcardActions,
  iamWildcardResourceOnlyForUnscopedActions,
  iamActionsExist,
  iamPassRoleRestricted,
  iamNoAdminManagedPolicies,
  serviceConfusedDeputy,
  noUnrestrictedPublicPrincipal,
  lambdaPermissionSourceArn,
  // China data residency.
  resourceInChinaRegion,
  arnPartitionAwsCn,
  dataDestinationsInChina,
  // Retention and the law.
  s3LifecycleMinRetention,
  s3NoncurrentVersionRetention,
  s3BucketNoForceDestroy,
  // The Ningxia copy stays a copy.
  s3ReplicationWholeBucket,
  backupVaultLocked,
  backupVaultDenyDelete,
  s3ObjectLockConfigured,
  s3DenyVersionDelete,
  hardenedProfileHolds,
  dynamodbDeletionProtection,
  // Key policies and keys.
  kmsNoLockoutBypass,
  kmsNoKeyAdminToOthers,
  dataAtRestCustomerManagedKey,
  // Least privilege by pattern.
  iamNoAccountWideResources,
  iamActionWildcardExpansion,
  // In transit.
  sqsQueueTlsOnly,
  snsTopicTlsOnly,
  // Exposure.
  sgNoPublicAdminPorts,
  rdsNotPubliclyAccessible,
  ec2NoPublicIp,
  snsSubscriptionHttps,
];

export const policies: Policies = [...packPolicies];
