/** DynamoDB: encryption with a customer-managed key and point-in-time recovery. */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { customerManagedKeyProblem, describe, MANDATORY, T, validateTypes } from "./lib/kit";

export const dynamodbTableEncryptedWithCmk: ResourceValidationPolicy = {
    name: "dynamodb-table-encrypted-with-cmk",
    description: "DynamoDB tables are encrypted with a customer-managed KMS key.",
    remediationSteps: "Set serverSideEncryption: { enabled: true, kmsKeyArn: <aws.kms.Key>.arn } on the aws.dynamodb.Table.",
    enforcementLevel: MANDATORY,
    severity: "medium",
    validateResource: validateTypes([T.dynamoTable], (table, args, report) => {
        if (table.serverSideEncryption?.enabled !== true) {
            report(`${describe(args)} is encrypted with an AWS owned key: set serverSideEncryption: { enabled: true, kmsKeyArn: <customer-managed key ARN> }.`);
            return;
        }
        const problem = customerManagedKeyProblem(() => table.serverSideEncryption.kmsKeyArn, "serverSideEncryption.kmsKeyArn");
        if (problem) {
            report(`${describe(args)}: ${problem}; use a customer-managed key.`);
        }
    }),
};

export const dynamodbTablePitrEnabled: ResourceValidationPolicy = {
    name: "dynamodb-table-pitr-enabled",
    description: "DynamoDB tables have point-in-time recovery on.",
    remediationSteps: "Set pointInTimeRecovery: { enabled: true } on the aws.dynamodb.Table.",
    enforcementLevel: MANDATORY,
    validateResource: validateTypes([T.dynamoTable], (table, args, report) => {
        if (table.pointInTimeRecovery?.enabled !== true) {
            report(`${describe(args)} has point-in-time recovery off: set pointInTimeRecovery: { enabled: true }.`);
        }
    }),
};

export const dynamodbPolicies = [dynamodbTableEncryptedWithCmk, dynamodbTablePitrEnabled];
