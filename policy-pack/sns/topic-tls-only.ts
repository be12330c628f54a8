/**
 * Every SNS topic's policy denies publishing without TLS.
 * https://docs.aws.amazon.com/sns/latest/dg/sns-security-best-practices.html#enforce-encryption-data-in-transit
 */
import { design } from "../lib/controls";
import { MANDATORY, T, validateStackOf } from "../lib/kit";
import { PackStackPolicy } from "../lib/meta";
import { judgeTlsDeny } from "../lib/tls-deny";

export const snsTopicTlsOnly: PackStackPolicy = {
  name: "sns-topic-tls-only",
  description: 'Every SNS topic has a policy that denies sns:Publish to Principal "*" on the topic when aws:SecureTransport is false.',
  remediationSteps: 'Add an aws.sns.TopicPolicy (arn: <topic>.arn) with denyInsecureTransport([<topic>.arn], "sns:Publish") from infra/iam.ts.',
  enforcementLevel: MANDATORY,
  severity: "medium",
  topics: ["in-transit"],
  framework: design("In transit", "TLS only on every topic (no FSBP control; AWS SNS security best practice)"),
  validateStack: validateStackOf([T.snsTopic, T.snsTopicPolicy], (args, report) =>
    judgeTlsDeny(args.resources, report, {
      targetType: T.snsTopic,
      policyType: T.snsTopicPolicy,
      policyProperty: "arn",
      targetKeys: ["arn", "id"],
      actions: ["sns:Publish"],
      noun: "topic",
    }),
  ),
};
