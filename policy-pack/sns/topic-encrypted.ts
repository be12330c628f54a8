/** SNS: topics are encrypted with KMS. */
import { fsbp } from "../lib/controls";
import { describe, isSet, MANDATORY, T, validateTypes } from "../lib/kit";
import { PackResourcePolicy } from "../lib/meta";

export const snsTopicEncrypted: PackResourcePolicy = {
  name: "sns-topic-encrypted",
  description: "SNS topics are encrypted at rest with a KMS key.",
  remediationSteps: "Set kmsMasterKeyId on the aws.sns.Topic (a customer-managed key whose policy lets the publishing services use it).",
  enforcementLevel: MANDATORY,
  severity: "medium",
  topics: ["encryption"],
  framework: fsbp("SNS.1", "SNS topics should be encrypted at-rest using AWS KMS"),
  validateResource: validateTypes([T.snsTopic], (topic, args, report) => {
    if (!isSet(() => topic.kmsMasterKeyId)) {
      report(`${describe(args)} is not encrypted: set kmsMasterKeyId to a KMS key.`);
    }
  }),
};

export const snsPolicies = [snsTopicEncrypted];
