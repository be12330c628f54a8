/** CloudWatch Logs: log groups are encrypted with a KMS key and do not keep data forever. */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { fsbp } from "./lib/controls";
import { describe, isSet, MANDATORY, T, validateTypes } from "./lib/kit";

export const logGroupEncrypted: ResourceValidationPolicy = {
    name: "cloudwatch-log-group-encrypted",
    description: "CloudWatch log groups are encrypted with a customer-managed KMS key.",
    remediationSteps: "Set kmsKeyId to a customer-managed key ARN on the aws.cloudwatch.LogGroup; the key policy must let logs.<region>.amazonaws.com.cn use it for this log group.",
    enforcementLevel: MANDATORY,
    severity: "medium",
    validateResource: validateTypes([T.logGroup], (group, args, report) => {
        if (!isSet(() => group.kmsKeyId)) {
            report(`${describe(args)} has no kmsKeyId: set it to a customer-managed KMS key ARN.`);
        }
    }),
};

export const logGroupRetention: ResourceValidationPolicy = {
    name: "cloudwatch-log-group-retention",
    description: "CloudWatch log groups have a retention period (logs that matter are archived to S3).",
    remediationSteps: "Set retentionInDays on the aws.cloudwatch.LogGroup (e.g. 30); long-term copies live in the archive bucket.",
    enforcementLevel: MANDATORY,
    severity: "low",
    framework: fsbp("CloudWatch.16", "CloudWatch log groups should be retained for a specified time period"),
    validateResource: validateTypes([T.logGroup], (group, args, report) => {
        const days = group.retentionInDays;
        if (days === undefined || days === null || Number(days) <= 0) {
            report(`${describe(args)} keeps its logs forever: set retentionInDays.`);
        }
    }),
};

export const logsPolicies = [logGroupEncrypted, logGroupRetention];
