/**
 * Amazon EventBridge delivering rule matches: invoking Lambda targets, publishing to SNS topics,
 * dead-lettering into SQS queues, and using the KMS keys of encrypted topics and queues.
 *
 * - Lambda: EventBridge invokes with aws:SourceArn = the rule's ARN (and aws:SourceAccount), which
 *   the function's resource policy (lambda:AddPermission) checks.
 *   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-lambda-permissions
 * - SNS topic: the topic policy admits events.amazonaws.com, scoped by aws:SourceArn = rule ARN.
 *   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions
 * - Dead-letter queue: EventBridge sends with aws:SourceArn = the rule's ARN.
 *   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
 * - The KMS key of an encrypted topic: "Adding the aws:SourceAccount and aws:SourceArn to a AWS KMS
 *   policy is not supported for EventBridge-to-encrypted topics"; SNS calls KMS with the encryption
 *   context aws:sns:topicArn = the topic's ARN.
 *   https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 *   https://docs.amazonaws.cn/en_us/gamelift/latest/flexmatchguide/queue-notification-sns-sse.html (kms:EncryptionContext:aws:sns:topicArn)
 * - The KMS key of an encrypted queue: SQS's encryption context is aws:sqs:arn = the queue's ARN;
 *   the same absence of source keys is assumed for EventBridge (worst case: not documented as sent).
 *   https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html
 */
import type { ResourceRecord } from "../../tools/types";
import { PolicyDoc } from "../helpers/iam-sim";
import { Contract, ServiceRequest, T, World, all, arnCn, cmkOf, keyPolicyByArn, principal, queuePolicyByArn, runsOf, topicPolicyByArn } from "./contract";
import { StackRun, ofType } from "../../tools/harness";

const SNS_KMS = "https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services";
const SQS_KMS = "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html";
const DLQ = "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html";
const RESOURCE_BASED = "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html";

/**
 * The resource policy Lambda keeps for a function, built from its Permission resources the way
 * lambda:AddPermission writes it (Principal.Service, ArnLike AWS:SourceArn, StringEquals
 * AWS:SourceAccount). https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html
 */
export function lambdaResourcePolicy(run: StackRun, functionName: string, functionArn: string): PolicyDoc | undefined {
  const perms = ofType(run, T.permission).filter((p) => p.inputs.function === functionName || p.inputs.function === functionArn);
  if (perms.length === 0) return undefined;
  return {
    Version: "2012-10-17",
    Statement: perms.map((p) => ({
      Effect: "Allow",
      Principal: { Service: p.inputs.principal },
      Action: p.inputs.action,
      Resource: functionArn,
      Condition: {
        ...(p.inputs.sourceArn ? { ArnLike: { "AWS:SourceArn": p.inputs.sourceArn } } : {}),
        ...(p.inputs.sourceAccount ? { StringEquals: { "AWS:SourceAccount": p.inputs.sourceAccount } } : {}),
      },
    })),
  };
}

/** KMS requests a service makes when it writes a message to an encrypted topic or queue. */
export function messageKeyRequests(a: {
  run: StackRun;
  target: ResourceRecord;
  kind: "topic" | "queue";
  caller: string;
  account: string;
  region: string;
  sends: Record<string, string>;
  doesNotSend: string[];
  source: string;
  title: string;
}): ServiceRequest[] {
  const keyArn = cmkOf(a.target);
  if (!keyArn) return [];
  const contextKey = a.kind === "topic" ? "kms:EncryptionContext:aws:sns:topicArn" : "kms:EncryptionContext:aws:sqs:arn";
  const otherName = a.kind === "topic" ? "sns" : "sqs";
  return ["kms:GenerateDataKey", "kms:Decrypt"].map((action) => ({
    title: `${a.title}: ${action} on the ${a.kind}'s key`,
    principal: a.caller,
    action,
    resource: keyArn,
    resourceAccount: a.account,
    sends: { ...a.sends, [contextKey]: a.target.state.arn },
    doesNotSend: a.doesNotSend,
    resourcePolicy: keyPolicyByArn(a.run, keyArn),
    source: a.source,
    alsoDenied: [{ why: `for another ${a.kind} of the account`, context: { [contextKey]: arnCn(otherName, a.region, a.account, "someone-elses") } }],
  }));
}

function ruleOf(run: StackRun, target: ResourceRecord): ResourceRecord {
  const rule = ofType(run, T.rule).find((r) => r.state.name === target.inputs.rule);
  if (!rule) throw new Error(`events contract: no rule named ${target.inputs.rule} for target ${target.name}`);
  return rule;
}

export const events: Contract = {
  service: "Amazon EventBridge (rules)",
  requests(w: World): ServiceRequest[] {
    const out: ServiceRequest[] = [];
    for (const { run, account, region } of runsOf(w)) {
      const events = principal("events", region);
      const otherRule = arnCn("events", region, account, "rule/someone-elses-rule");
      for (const target of all(run, T.target)) {
        const rule = ruleOf(run, target);
        const ruleArn: string = rule.state.arn;
        const topic = ofType(run, T.topic).find((t) => t.state.arn === target.inputs.arn);
        const fn = ofType(run, T.lambda).find((f) => f.state.arn === target.inputs.arn);
        const from = { "aws:SourceArn": ruleArn, "aws:SourceAccount": account };
        if (topic) {
          out.push({
            title: `rule ${rule.name} publishes to topic ${topic.name}`,
            principal: events,
            action: "sns:Publish",
            resource: topic.state.arn,
            resourceAccount: account,
            sends: { ...from, "aws:SecureTransport": "true" },
            doesNotSend: [],
            resourcePolicy: topicPolicyByArn(run, topic.state.arn),
            source: `${RESOURCE_BASED}#eb-sns-permissions`,
            alsoDenied: [{ why: "from another rule of the account", context: { "aws:SourceArn": otherRule } }],
          });
          out.push(
            ...messageKeyRequests({
              run,
              target: topic,
              kind: "topic",
              caller: events,
              account,
              region,
              source: SNS_KMS,
              title: `rule ${rule.name} publishes to encrypted topic ${topic.name}`,
              sends: {},
              doesNotSend: ["aws:SourceAccount", "aws:SourceArn"],
            }),
          );
        } else if (fn) {
          out.push({
            title: `rule ${rule.name} invokes ${fn.name}`,
            principal: events,
            action: "lambda:InvokeFunction",
            resource: fn.state.arn,
            resourceAccount: account,
            sends: from,
            doesNotSend: [],
            resourcePolicy: lambdaResourcePolicy(run, fn.state.name, fn.state.arn),
            source: `${RESOURCE_BASED}#eb-lambda-permissions`,
            alsoDenied: [{ why: "from another rule of the account", context: { "aws:SourceArn": otherRule } }],
          });
        }
        const dlqArn = target.inputs.deadLetterConfig?.arn;
        const dlq = dlqArn ? ofType(run, T.queue).find((q) => q.state.arn === dlqArn) : undefined;
        if (dlq) {
          out.push({
            title: `rule ${rule.name} dead-letters into ${dlq.name}`,
            principal: events,
            action: "sqs:SendMessage",
            resource: dlq.state.arn,
            resourceAccount: account,
            sends: { ...from, "aws:SecureTransport": "true" },
            doesNotSend: [],
            resourcePolicy: queuePolicyByArn(run, dlq.state.arn),
            source: DLQ,
            alsoDenied: [{ why: "from another rule of the account", context: { "aws:SourceArn": otherRule } }],
          });
          out.push(
            ...messageKeyRequests({
              run,
              target: dlq,
              kind: "queue",
              caller: events,
              account,
              region,
              source: SQS_KMS,
              title: `rule ${rule.name} dead-letters into encrypted queue ${dlq.name}`,
              sends: {},
              doesNotSend: ["aws:SourceAccount", "aws:SourceArn"],
            }),
          );
        }
      }
    }
    return out;
  },
};
