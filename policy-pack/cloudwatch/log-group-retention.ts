/**
 * CloudWatch log groups do not keep data forever (long-term copies live in the archive bucket).
 */
import { fsbp } from "../lib/controls";
import { describe, MANDATORY, T, validateTypes } from "../lib/kit";
import { PackResourcePolicy } from "../lib/meta";

export const logGroupRetention: PackResourcePolicy = {
  name: "cloudwatch-log-group-retention",
  description: "CloudWatch log groups have a retention period (logs that matter are archived to S3).",
  remediationSteps: "Set retentionInDays on the aws.cloudwatch.LogGroup (e.g. 30); long-term copies live in the archive bucket.",
  enforcementLevel: MANDATORY,
  severity: "low",
  topics: ["retention"],
  framework: fsbp("CloudWatch.16", "CloudWatch log groups should be retained for a specified time period"),
  validateResource: validateTypes([T.logGroup], (group, args, report) => {
    const days = group.retentionInDays;
    if (days === undefined || days === null || Number(days) <= 0) {
      report(`${describe(args)} keeps its logs forever: set retentionInDays.`);
    }
  }),
};
