/** The audit-log pipeline's state table cannot be deleted by accident (it knows which files are backed up). */
import { fsbp } from "../lib/controls";
import { describe, MANDATORY, read, T, validateTypes } from "../lib/kit";
import { PackResourcePolicy } from "../lib/meta";

export const dynamodbDeletionProtection: PackResourcePolicy = {
  name: "dynamodb-table-deletion-protection",
  description: "DynamoDB tables have deletion protection on.",
  remediationSteps: "Set deletionProtectionEnabled: true on the aws.dynamodb.Table.",
  enforcementLevel: MANDATORY,
  severity: "medium",
  topics: ["retention"],
  framework: fsbp("DynamoDB.6", "DynamoDB tables should have deletion protection enabled"),
  validateResource: validateTypes([T.dynamoTable], (table, args, report) => {
    const p = read(() => table.deletionProtectionEnabled);
    if (p.known && p.value !== true) {
      report(`${describe(args)} has no deletion protection: set deletionProtectionEnabled: true.`);
    }
  }),
};
