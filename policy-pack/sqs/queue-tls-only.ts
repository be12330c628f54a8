/**
 * Every SQS queue's policy denies requests without TLS.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-security-best-practices.html#enforce-encryption-data-in-transit
 */
import { design } from "../lib/controls";
import { MANDATORY, T, validateStackOf } from "../lib/kit";
import { PackStackPolicy } from "../lib/meta";
import { judgeTlsDeny } from "../lib/tls-deny";

export const sqsQueueTlsOnly: PackStackPolicy = {
  name: "sqs-queue-tls-only",
  description: 'Every SQS queue has a policy that denies sqs:* to Principal "*" on the queue when aws:SecureTransport is false.',
  remediationSteps: 'Add an aws.sqs.QueuePolicy (queueUrl: <queue>.url) with denyInsecureTransport([<queue>.arn], "sqs:*") from infra/iam.ts.',
  enforcementLevel: MANDATORY,
  severity: "medium",
  topics: ["in-transit"],
  framework: design("In transit", "TLS only on every queue (no FSBP control; AWS SQS security best practice)"),
  validateStack: validateStackOf([T.sqsQueue, T.sqsQueuePolicy], (args, report) =>
    judgeTlsDeny(args.resources, report, {
      targetType: T.sqsQueue,
      policyType: T.sqsQueuePolicy,
      policyProperty: "queueUrl",
      targetKeys: ["url", "id"],
      actions: ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"],
      noun: "queue",
    }),
  ),
};
