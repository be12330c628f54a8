/** SQS: queues are encrypted at rest, with KMS or SSE-SQS. */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { describe, isSet, MANDATORY, T, validateTypes } from "./lib/kit";

export const sqsQueueEncrypted: ResourceValidationPolicy = {
    name: "sqs-queue-encrypted",
    description: "SQS queues are encrypted at rest with a KMS key or SSE-SQS.",
    remediationSteps: "Set kmsMasterKeyId to a KMS key (customer-managed if other services publish to the queue), or sqsManagedSseEnabled: true, on the aws.sqs.Queue.",
    enforcementLevel: MANDATORY,
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
