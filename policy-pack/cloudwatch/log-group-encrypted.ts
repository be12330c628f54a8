/** CloudWatch log groups are encrypted with a customer-managed KMS key. */
import { describe, isSet, MANDATORY, T, validateTypes } from "../lib/kit";
import { PackResourcePolicy } from "../lib/meta";

export const logGroupEncrypted: PackResourcePolicy = {
  name: "cloudwatch-log-group-encrypted",
  description: "CloudWatch log groups are encrypted with a customer-managed KMS key.",
  remediationSteps:
    "Set kmsKeyId to a customer-managed key ARN on the aws.cloudwatch.LogGroup; the key policy must let logs.<region>.amazonaws.com.cn use it for this log group.",
  enforcementLevel: MANDATORY,
  severity: "medium",
  topics: ["encryption"],
  validateResource: validateTypes([T.logGroup], (group, args, report) => {
    if (!isSet(() => group.kmsKeyId)) {
      report(`${describe(args)} has no kmsKeyId: set it to a customer-managed KMS key ARN.`);
    }
  }),
};
