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
];
