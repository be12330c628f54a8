/**
 * China data residency: every ARN in a resource's inputs is in the `aws-cn` partition (lib/residency.ts).
 */
import { describe, MANDATORY, validateMatching } from "../lib/kit";
import { PackResourcePolicy } from "../lib/meta";
import { arnsIn, CHINA_PARTITION, isAwsResource, walkKnownStrings } from "../lib/residency";

export const arnPartitionAwsCn: PackResourcePolicy = {
  name: "aws-arn-partition-aws-cn",
  description: "Every ARN in a resource's inputs (including inside policy documents) is in the aws-cn partition.",
  remediationSteps: "Build ARNs with infra/partition.ts (from aws.getPartition) instead of hard-coding a partition; AWS China ARNs start with arn:aws-cn:.",
  enforcementLevel: MANDATORY,
  severity: "medium",
  topics: ["data-residency"],
  validateResource: validateMatching(isAwsResource, (props, args, report) => {
    walkKnownStrings(props, (path, s) => {
      for (const a of arnsIn(s)) {
        if (a.partition !== CHINA_PARTITION) {
          report(`${describe(args)} ${path} names ${a.arn} in partition ${JSON.stringify(a.partition)}; it must be in ${CHINA_PARTITION}.`);
        }
      }
    });
  }),
};
