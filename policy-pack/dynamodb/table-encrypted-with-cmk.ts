/** DynamoDB tables are encrypted with a customer-managed key. */
import { customerManagedKeyProblem, describe, MANDATORY, T, validateTypes } from "../lib/kit";
import { PackResourcePolicy } from "../lib/meta";

export const dynamodbTableEncryptedWithCmk: PackResourcePolicy = {
  name: "dynamodb-table-encrypted-with-cmk",
  description: "DynamoDB tables are encrypted with a customer-managed KMS key.",
  remediationSteps: "Set serverSideEncryption: { enabled: true, kmsKeyArn: <aws.kms.Key>.arn } on the aws.dynamodb.Table.",
  enforcementLevel: MANDATORY,
  severity: "medium",
  topics: ["encryption"],
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
