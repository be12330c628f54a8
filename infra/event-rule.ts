/**
 * EventBridge rule -> target, with the failure handling every target of this program needs: a
 * retry policy, a dead-letter queue, and the queue policy that admits exactly the rules (and any
 * other senders, such as Lambda roles with an on-failure destination) that send to it.
 *
 * EventBridge retries a failed delivery within the target's retry policy, then sends the event to
 * the target's DLQ with aws:SourceArn = the rule's ARN; the queue's policy must allow that
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html,
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-retry-policy.html).
 *
 * The builder creates plain resources under `opts.parent` (no component of its own), so resource
 * names and parents are exactly the caller's.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PolicyStatement, denyInsecureTransport, policyDocument } from "./iam";
import { servicePrincipal } from "./partition";

/** An EventBridge target retry policy (at most 24 h and 185 attempts). */
export interface RetryPolicy {
  maximumEventAgeInSeconds: number;
  maximumRetryAttempts: number;
}

/** What a Lambda-like target offers: a permission for a rule to invoke it. */
export interface InvokableTarget {
  allowInvoke(name: string, args: { service: string; sourceArn: pulumi.Input<string> }): aws.lambda.Permission;
}

/**
 * The statements of a rule DLQ's policy:
 * - `allowRulesDenyOthers` (default): deadLetterQueueStatements below (BackupEvents' queue, which
 *   Lambda roles send to as well);
 * - `allowRules`: TLS only, then EventBridge may send for the recorded rules (aws:SourceArn, a
 *   list), nothing denied to other senders: the policy LogArchive's failure queue has always had;
 * - `allowOneRule`: as `allowRules` for exactly one rule, its ARN as a single value: the policy of
 *   the completeness reports' queues.
 * The last two keep today's queue policies unchanged; a change to them is a change of records.
 */
export type DeadLetterPolicyShape = "allowRulesDenyOthers" | "allowRules" | "allowOneRule";

/**
 * A dead-letter queue shared by several rules: each rule built with it is recorded, so that the
 * queue policy (written once, after the last rule) names them all.
 */
export class RuleDeadLetterQueue {
  /** Rules whose targets dead-letter into the queue, in the order they were built. */
  readonly sourceRuleArns: pulumi.Output<string>[] = [];
  /** Other principals (by ARN) that may send, e.g. Lambda roles whose on-failure destination it is. */
  readonly senderRoleArns: pulumi.Input<string>[] = [];

  constructor(
    readonly queue: { arn: pulumi.Input<string>; url: pulumi.Input<string> },
    readonly options: { policyShape?: DeadLetterPolicyShape } = {},
  ) {}

  /** The queue policy admitting the recorded rules (and senders, in the default shape), over TLS. */
  policy(name: string, opts: { parent: pulumi.Resource }): aws.sqs.QueuePolicy {
    const eventsPrincipal = servicePrincipal("events", { parent: opts.parent });
    const shape = this.options.policyShape ?? "allowRulesDenyOthers";
    if (shape !== "allowRulesDenyOthers" && this.senderRoleArns.length > 0) {
      throw new Error(`RuleDeadLetterQueue ${name}: the ${shape} policy names rules only; senders need allowRulesDenyOthers`);
    }
    if (shape === "allowOneRule" && this.sourceRuleArns.length !== 1) {
      throw new Error(`RuleDeadLetterQueue ${name}: the allowOneRule policy needs exactly one rule, got ${this.sourceRuleArns.length}`);
    }
    const statements =
      shape === "allowRulesDenyOthers"
        ? deadLetterQueueStatements({ queueArn: this.queue.arn, eventsPrincipal, ruleArns: [...this.sourceRuleArns], senderRoleArns: [...this.senderRoleArns] })
        : ruleDeadLettersOnlyStatements({
            queueArn: this.queue.arn,
            eventsPrincipal,
            sourceArn: shape === "allowOneRule" ? this.sourceRuleArns[0] : [...this.sourceRuleArns],
          });
    return new aws.sqs.QueuePolicy(name, { queueUrl: this.queue.url, policy: policyDocument(statements) }, opts);
  }
}

/** TLS only; EventBridge may send for `sourceArn` (one rule's ARN or a list of them). */
export function ruleDeadLettersOnlyStatements(a: {
  queueArn: pulumi.Input<string>;
  eventsPrincipal: pulumi.Input<string>;
  sourceArn: pulumi.Input<string> | pulumi.Input<string>[];
}): PolicyStatement[] {
  return [
    denyInsecureTransport([a.queueArn], "sqs:*"),
    {
      Sid: "EventBridgeDeadLetters",
      Effect: "Allow",
      Principal: { Service: a.eventsPrincipal },
      Action: ["sqs:SendMessage"],
      Resource: [a.queueArn],
      Condition: { ArnEquals: { "aws:SourceArn": a.sourceArn } },
    },
  ];
}

/**
 * The DLQ's policy statements: EventBridge may send for `ruleArns` (aws:SourceArn); everyone else
 * is denied SendMessage unless it is one of those rules or one of `senderRoleArns`; nothing
 * without TLS. Negated operators are true when the key is absent, as it is for other callers.
 */
export function deadLetterQueueStatements(a: {
  queueArn: pulumi.Input<string>;
  eventsPrincipal: pulumi.Input<string>;
  ruleArns: pulumi.Input<string>[];
  senderRoleArns: pulumi.Input<string>[];
}): PolicyStatement[] {
  return [
    {
      Sid: "EventBridgeRulesSendFailedEvents",
      Effect: "Allow",
      Principal: { Service: a.eventsPrincipal },
      Action: ["sqs:SendMessage"],
      Resource: [a.queueArn],
      Condition: { ArnEquals: { "aws:SourceArn": a.ruleArns } },
    },
    {
      Sid: "DenySendFromAnyoneElse",
      Effect: "Deny",
      Principal: "*",
      Action: ["sqs:SendMessage"],
      Resource: [a.queueArn],
      Condition: { ArnNotEquals: { "aws:SourceArn": a.ruleArns, ...(a.senderRoleArns.length > 0 ? { "aws:PrincipalArn": a.senderRoleArns } : {}) } },
    },
    denyInsecureTransport([a.queueArn], "sqs:*"),
  ];
}

export interface EventRuleTargetArgs {
  /**
   * The rule to create (its `eventPattern` may be an object; it is serialized here), or an
   * existing rule to add the target to.
   */
  rule: (Omit<aws.cloudwatch.EventRuleArgs, "eventPattern"> & { eventPattern?: pulumi.Input<Record<string, unknown>> }) | aws.cloudwatch.EventRule;
  /** The target's ARN (Lambda function, SNS topic, SQS queue, ...). */
  targetArn: pulumi.Input<string>;
  /** The role EventBridge assumes to reach the target, for targets that need one (Firehose, Step Functions, ...). */
  roleArn?: pulumi.Input<string>;
  retryPolicy: RetryPolicy;
  /** The DLQ; the rule is recorded on it for its queue policy. */
  deadLetterQueue: RuleDeadLetterQueue;
  /** A Lambda target: the rule gets permission to invoke it, and the target waits for it. */
  invoke?: InvokableTarget;
  /** Resource names of the target and the permission; default `<name>-target`, `<name>-invoke`. */
  targetName?: string;
  permissionName?: string;
}

/** A rule (created unless given) and one target with its retry policy and DLQ; all under `opts.parent`. */
export function eventRuleTarget(
  name: string,
  args: EventRuleTargetArgs,
  opts: { parent: pulumi.Resource },
): { rule: aws.cloudwatch.EventRule; target: aws.cloudwatch.EventTarget } {
  let rule: aws.cloudwatch.EventRule;
  if (args.rule instanceof aws.cloudwatch.EventRule) {
    rule = args.rule;
  } else {
    const { eventPattern, ...rest } = args.rule;
    rule = new aws.cloudwatch.EventRule(name, { ...rest, ...(eventPattern !== undefined ? { eventPattern: pulumi.jsonStringify(eventPattern) } : {}) }, opts);
  }
  const deps: pulumi.Resource[] = [];
  if (args.invoke) deps.push(args.invoke.allowInvoke(args.permissionName ?? `${name}-invoke`, { service: "events", sourceArn: rule.arn }));
  const target = new aws.cloudwatch.EventTarget(
    args.targetName ?? `${name}-target`,
    {
      rule: rule.name,
      arn: args.targetArn,
      ...(args.roleArn !== undefined ? { roleArn: args.roleArn } : {}),
      retryPolicy: args.retryPolicy,
      deadLetterConfig: { arn: args.deadLetterQueue.queue.arn },
    },
    { ...opts, dependsOn: deps },
  );
  args.deadLetterQueue.sourceRuleArns.push(rule.arn);
  return { rule, target };
}
