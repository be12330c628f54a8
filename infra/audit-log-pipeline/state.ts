/** The pipeline's state: its own key, the instance queue with its dead-letter queue, the file table. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { customerManagedKey } from "../kms";
import { denyInsecureTransport, policyDocument } from "../iam";
import type { AuditLogPipelineArgs } from "./args";

/** The detector's timeout: the instance queue's visibility timeout is six times this. */
export const DETECTOR_TIMEOUT = 120;

export interface PipelineState {
  key: aws.kms.Key;
  deadLetterQueue: aws.sqs.Queue;
  queue: aws.sqs.Queue;
  table: aws.dynamodb.Table;
}

export function pipelineState(name: string, args: AuditLogPipelineArgs, component: pulumi.ComponentResource): PipelineState {
  const parent = { parent: component };
  const tags = args.tags;
  const key = customerManagedKey(
    `${name}-key`,
    {
      description: "cn-log-backup: encrypts the audit-log pipeline's DynamoDB table and SQS queues",
      deletionWindowInDays: args.keyDeletionWindowDays,
      alias: `cn-log-backup/${args.stack}/${name}`,
      tags,
    },
    parent,
  );

  const deadLetterQueue = new aws.sqs.Queue(
    `${name}-dlq`,
    { kmsMasterKeyId: key.arn, kmsDataKeyReusePeriodSeconds: 300, messageRetentionSeconds: 14 * 24 * 3600, tags },
    parent,
  );
  const queue = new aws.sqs.Queue(
    `${name}-instances`,
    {
      kmsMasterKeyId: key.arn,
      kmsDataKeyReusePeriodSeconds: 300,
      // At least six times the consumer's timeout, as Lambda's SQS guidance asks.
      visibilityTimeoutSeconds: 6 * DETECTOR_TIMEOUT,
      messageRetentionSeconds: 24 * 3600,
      redrivePolicy: pulumi.jsonStringify({ deadLetterTargetArn: deadLetterQueue.arn, maxReceiveCount: 5 }),
      tags,
    },
    parent,
  );
  for (const [q, n] of [
    [queue, "instances"],
    [deadLetterQueue, "dlq"],
  ] as const) {
    new aws.sqs.QueuePolicy(`${name}-${n}-policy`, { queueUrl: q.url, policy: policyDocument([denyInsecureTransport([q.arn], "sqs:*")]) }, parent);
  }

  const table = new aws.dynamodb.Table(
    `${name}-files`,
    {
      billingMode: "PAY_PER_REQUEST",
      hashKey: "DBInstanceIdentifier",
      rangeKey: "LogFileName",
      attributes: [
        { name: "DBInstanceIdentifier", type: "S" },
        { name: "LogFileName", type: "S" },
        { name: "PendingSince", type: "N" },
      ],
      // Sparse: only files detected and not yet backed up carry PendingSince.
      globalSecondaryIndexes: [{ name: "PendingSince", hashKey: "DBInstanceIdentifier", rangeKey: "PendingSince", projectionType: "KEYS_ONLY" }],
      streamEnabled: true,
      streamViewType: "NEW_AND_OLD_IMAGES",
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: key.arn },
      deletionProtectionEnabled: true,
      tags,
    },
    parent,
  );
  return { key, deadLetterQueue, queue, table };
}
