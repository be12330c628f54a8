/**
 * Every policy of the pack, as a plain array. Tests and `npm run plan` import this module; only
 * index.ts builds the PolicyPack (which starts the policy server the Pulumi CLI talks to).
 */
import { Policies } from "@pulumi/policy";
import { backupPolicies } from "./encryption-backup";
import { cloudtrailPolicies } from "./encryption-cloudtrail";
import { dynamodbPolicies } from "./encryption-dynamodb";
import { ec2Policies } from "./encryption-ec2";
import { firehosePolicies } from "./encryption-firehose";
import { kmsPolicies } from "./encryption-kms";
import { logsPolicies } from "./encryption-logs";
import { rdsPolicies } from "./encryption-rds";
import { s3Policies } from "./encryption-s3";
import { snsPolicies } from "./encryption-sns";
import { sqsPolicies } from "./encryption-sqs";
import { leastPrivilegePolicies } from "./least-privilege";
import { residencyPolicies } from "./data-residency";
import { s3LifecycleMinRetention } from "./retention/s3-lifecycle-min-retention";
import { s3NoncurrentVersionRetention } from "./retention/s3-noncurrent-version-retention";
import { s3BucketNoForceDestroy } from "./retention/s3-bucket-no-force-destroy";
import { s3ReplicationWholeBucket } from "./replication/s3-replication-whole-bucket";
import { backupVaultLocked } from "./replication/backup-vault-lock";
import { backupVaultDenyDelete } from "./replication/backup-vault-deny-delete";
import { s3ObjectLockConfigured } from "./replication/s3-object-lock-configured";
import { s3DenyVersionDelete } from "./replication/s3-deny-version-delete";
import { hardenedProfileHolds } from "./replication/hardened-profile-holds";
import { dynamodbDeletionProtection } from "./replication/dynamodb-deletion-protection";
import { kmsNoLockoutBypass } from "./kms/kms-no-lockout-bypass";
import { kmsNoKeyAdminToOthers } from "./kms/kms-no-key-admin-to-others";
import { dataAtRestCustomerManagedKey } from "./encryption/customer-managed-keys";
import { iamNoAccountWideResources } from "./least-privilege/iam-no-account-wide-resources";
import { iamActionWildcardExpansion } from "./least-privilege/iam-action-wildcard-expansion";
import { sqsQueueTlsOnly } from "./transit/sqs-queue-tls-only";
import { snsTopicTlsOnly } from "./transit/sns-topic-tls-only";
import { sgNoPublicAdminPorts } from "./exposure/sg-no-public-admin-ports";
import { rdsNotPubliclyAccessible } from "./exposure/rds-not-publicly-accessible";
import { ec2NoPublicIp } from "./exposure/ec2-no-public-ip";
import { snsSubscriptionHttps } from "./exposure/sns-subscription-https";

export const PACK_NAME = "cn-log-backup";

export const policies: Policies = [
    ...s3Policies,
    ...kmsPolicies,
    ...dynamodbPolicies,
    ...sqsPolicies,
    ...snsPolicies,
    ...logsPolicies,
    ...firehosePolicies,
    ...rdsPolicies,
    ...ec2Policies,
    ...backupPolicies,
    ...cloudtrailPolicies,
    ...leastPrivilegePolicies,
    ...residencyPolicies,
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
