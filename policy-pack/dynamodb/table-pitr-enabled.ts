/** DynamoDB tables have point-in-time recovery on. */
import { describe, MANDATORY, T, validateTypes } from "../lib/kit";
import { PackResourcePolicy } from "../lib/meta";

export const dynamodbTablePitrEnabled: PackResourcePolicy = {
  name: "dynamodb-table-pitr-enabled",
  description: "DynamoDB tables have point-in-time recovery on.",
  remediationSteps: "Set pointInTimeRecovery: { enabled: true } on the aws.dynamodb.Table.",
  enforcementLevel: MANDATORY,
  severity: "medium",
  topics: ["retention"],
  validateResource: validateTypes([T.dynamoTable], (table, args, report) => {
    if (table.pointInTimeRecovery?.enabled !== true) {
      report(`${describe(args)} has point-in-time recovery off: set pointInTimeRecovery: { enabled: true }.`);
    }
  }),
};
