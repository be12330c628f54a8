/**
 * The alerting plumbing of both regions: a key, the alert topic (with its email subscriptions)
 * and the error queue every rule dead-letters into and every Lambda fails into. Their policies
 * are written last (`messagingPolicies`), once every rule and role that may send is known.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PolicyStatement, denyInsecureTransport, policyDocument } from "../iam";
import { customerManagedKey } from "../kms";
import { messagingKeyStatements } from "../messaging-key";
import { arn, servicePrincipal } from "../partition";
import { RuleDeadLetterQueue, eventRuleTarget } from "../event-rule";
import { Scope, TARGET_RETRY_POLICY } from "./types";
import type { InlineLambda } from "../lambda";

export interface Messaging {
  key: aws.kms.Key;
  topic: aws.sns.Topic;
  queue: aws.sqs.Queue;
  /** The error queue as every rule's DLQ; Lambda roles that fail into it are added as senders. */
  deadLetters: RuleDeadLetterQueue;
  /** Rules that publish to the topic. */
  topicSourceRules: pulumi.Output<string>[];
}

export function messaging(scope: Scope, a: { kmsKeyDeletionWindowDays: number; notificationEmails: string[] }): Messaging {
  const { name, tags } = scope;
  const o = { parent: scope.parent };
  const key = customerManagedKey(
    `${name}-messaging-key`,
    {
      description: "cn-log-backup BackupEvents: encrypts the alert topic and the error queue",
      deletionWindowInDays: a.kmsKeyDeletionWindowDays,
      statements: messagingKeyStatements({ topicNamePrefix: `${name}-alerts`, queueNamePrefix: `${name}-errors`, accountId: scope.facts.accountId }, o),
      tags,
    },
    o,
  );
  const topic = new aws.sns.Topic(`${name}-alerts`, { displayName: "cn-log-backup: AWS Backup alerts", kmsMasterKeyId: key.arn, tags }, o);
  a.notificationEmails.forEach((email, i) => {
    new aws.sns.TopicSubscription(`${name}-alerts-email-${i}`, { topic: topic.arn, protocol: "email", endpoint: email }, o);
  });
  const queue = new aws.sqs.Queue(
    `${name}-errors`,
    {
      kmsMasterKeyId: key.arn,
      kmsDataKeyReusePeriodSeconds: 300,
      messageRetentionSeconds: 1209600, // 14 days, the maximum
      tags,
    },
    o,
  );
  return { key, topic, queue, deadLetters: new RuleDeadLetterQueue(queue), topicSourceRules: [] };
}

/** A rule whose target is a Lambda, retried and dead-lettered into the error queue. */
export function lambdaRule(scope: Scope, m: Messaging, suffix: string, pattern: pulumi.Input<Record<string, unknown>>, description: string, fn: InlineLambda) {
  return eventRuleTarget(
    `${scope.name}-${suffix}`,
    {
      rule: { description, eventPattern: pattern, tags: scope.tags },
      targetArn: fn.arn,
      invoke: fn,
      retryPolicy: TARGET_RETRY_POLICY,
      deadLetterQueue: m.deadLetters,
    },
    { parent: scope.parent },
  ).rule;
}

/** A rule that publishes to the alert topic, retried and dead-lettered into the error queue. */
export function topicRule(scope: Scope, m: Messaging, suffix: string, pattern: pulumi.Input<Record<string, unknown>>, description: string) {
  const { rule } = eventRuleTarget(
    `${scope.name}-${suffix}`,
    {
      rule: { description, eventPattern: pattern, tags: scope.tags },
      targetArn: m.topic.arn,
      retryPolicy: TARGET_RETRY_POLICY,
      deadLetterQueue: m.deadLetters,
    },
    { parent: scope.parent },
  );
  m.topicSourceRules.push(rule.arn);
  return rule;
}

/**
 * The error queue admits SendMessage only from our rules (EventBridge DLQ, by aws:SourceArn) and
 * our Lambda roles (on-failure destination), and nothing without TLS; the topic admits Publish
 * only from our rules and this account's CloudWatch alarms, over TLS. Call after the last rule.
 */
export function messagingPolicies(scope: Scope, m: Messaging): void {
  const o = { parent: scope.parent };
  m.deadLetters.policy(`${scope.name}-errors-policy`, o);
  const statements: PolicyStatement[] = [
    {
      Sid: "EventBridgeRulesPublish",
      Effect: "Allow",
      Principal: { Service: servicePrincipal("events", o) },
      Action: ["sns:Publish"],
      Resource: [m.topic.arn],
      Condition: { ArnEquals: { "aws:SourceArn": [...m.topicSourceRules] } },
    },
    {
      Sid: "CloudWatchAlarmsPublish",
      Effect: "Allow",
      Principal: { Service: servicePrincipal("cloudwatch", o) },
      Action: ["sns:Publish"],
      Resource: [m.topic.arn],
      Condition: {
        ArnLike: { "aws:SourceArn": arn({ service: "cloudwatch", resource: "alarm:*" }, o) },
        StringEquals: { "aws:SourceAccount": scope.facts.accountId },
      },
    },
    denyInsecureTransport([m.topic.arn], "sns:Publish"),
  ];
  new aws.sns.TopicPolicy(`${scope.name}-alerts-policy`, { arn: m.topic.arn, policy: policyDocument(statements) }, o);
}
