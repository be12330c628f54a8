/**
 * Key-policy statements for a KMS key that encrypts an SNS topic and an SQS queue written by AWS
 * services (EventBridge rule targets and dead letters, CloudWatch alarm actions).
 *
 * - EventBridge does not send aws:SourceAccount / aws:SourceArn on the KMS calls made for an
 *   encrypted topic ("Adding the aws:SourceAccount and aws:SourceArn to a AWS KMS policy is not
 *   supported for EventBridge-to-encrypted topics",
 *   https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services);
 *   the same is assumed for its dead letters into an encrypted queue. Its statement is narrowed by
 *   the encryption context instead: SNS encrypts with aws:sns:topicArn = the topic's ARN, SQS with
 *   aws:sqs:arn = the queue's ARN
 *   (https://docs.amazonaws.cn/en_us/gamelift/latest/flexmatchguide/queue-notification-sns-sse.html,
 *   https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html).
 * - CloudWatch alarms do send them (SNS names only EventBridge as the exception): their statement
 *   keeps aws:SourceAccount and aws:SourceArn (this account's alarms) and the topic context.
 *
 * EventBridge's statements also carry aws:SourceAccount with IfExists: absent today (so no
 * denial), and this account's should EventBridge ever send it. (The policy pack's
 * confused-deputy rule knows encryption contexts named `aws:<service>:arn` only, not SNS's
 * `aws:sns:topicArn`; the IfExists key is what it recognises.)
 *
 * The topic and queue are encrypted with this key, so the key cannot name their ARNs (a cycle);
 * the patterns name this account's and region's topics/queues by their autonamed prefix.
 */
import * as pulumi from "@pulumi/pulumi";
import { PolicyStatement } from "./iam";
import { arn, LookupOptions, servicePrincipal } from "./partition";

export interface MessagingKeyArgs {
  /** Logical name prefix of the topic (Pulumi autonames it `<prefix>-<7 hex>`). */
  topicNamePrefix: string;
  /** Logical name prefix of the queue. */
  queueNamePrefix: string;
  accountId: pulumi.Input<string>;
}

/** `arn:aws-cn:<service>:<region>:<account>:<prefix>-*`. */
function namePattern(service: string, prefix: string, opts: LookupOptions): pulumi.Output<string> {
  return arn({ service, resource: `${prefix}-*` }, opts);
}

export function messagingKeyStatements(a: MessagingKeyArgs, opts: LookupOptions): PolicyStatement[] {
  const topic = namePattern("sns", a.topicNamePrefix, opts);
  const queue = namePattern("sqs", a.queueNamePrefix, opts);
  const use = ["kms:GenerateDataKey*", "kms:Decrypt"];
  return [
    {
      Sid: "EventBridgeWritesTheEncryptedTopic",
      Effect: "Allow",
      Principal: { Service: servicePrincipal("events", opts) },
      Action: use,
      Resource: "*",
      Condition: { ArnLike: { "kms:EncryptionContext:aws:sns:topicArn": topic }, StringEqualsIfExists: { "aws:SourceAccount": a.accountId } },
    },
    {
      Sid: "EventBridgeDeadLettersIntoTheEncryptedQueue",
      Effect: "Allow",
      Principal: { Service: servicePrincipal("events", opts) },
      Action: use,
      Resource: "*",
      Condition: { ArnLike: { "kms:EncryptionContext:aws:sqs:arn": queue }, StringEqualsIfExists: { "aws:SourceAccount": a.accountId } },
    },
    {
      Sid: "CloudWatchAlarmsWriteTheEncryptedTopic",
      Effect: "Allow",
      Principal: { Service: servicePrincipal("cloudwatch", opts) },
      Action: use,
      Resource: "*",
      Condition: {
        StringEquals: { "aws:SourceAccount": a.accountId },
        ArnLike: { "aws:SourceArn": arn({ service: "cloudwatch", resource: "alarm:*" }, opts), "kms:EncryptionContext:aws:sns:topicArn": topic },
      },
    },
  ];
}
