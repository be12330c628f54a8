/** SQS: queues are encrypted at rest, with KMS or SSE-SQS. */
import { describe, isSet, MANDATORY, T, validateTypes } from "../lib/kit";
import { PackResourcePolicy } from "../lib/meta";

export const sqsQueueEncrypted: PackResourcePolicy = {
  name: "sqs-queue-encrypted",
  description: "SQS queues are encrypted at rest with a KMS key or SSE-SQS.",
  remediationSteps:
    "Set kmsMasterKeyId to a KMS key (customer-managed if other services publish to the queue), or sqsManagedSseEnabled: true, on the aws.sqs.Queue.",
  enforcementLevel: MANDATORY,
  severity: "medium",
  topics: ["encryption"],
  validateResource: validateTypes([T.sqsQueue], (queue, args, report) => {
    if (isSet(() => queue.kmsMasterKeyId)) {
      return;
    }
    if (queue.sqsManagedSseEnabled !== true) {
      report(`${describe(args)} is not encrypted at rest: set kmsMasterKeyId or sqsManagedSseEnabled: true.`);
    }
  }),
};

export const sqsPolicies = [sqsQueueEncrypted];
