/**
 * CloudWatch Logs -> the archive, in the configured mode: Firehose with subscription filters
 * (./cloudwatch-firehose.ts, ./cloudwatch-subscriber.ts) or the export-task chain
 * (./cloudwatch-export-tasks.ts). Both modes share the failure queue: the functions' on-failure
 * destination and their EventBridge targets' dead-letter queue.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { RetryPolicy, RuleDeadLetterQueue } from "../event-rule";
import { InlineLambda, LambdaVpcConfig } from "../lambda";
import type { ExportPeriod } from "../../functions/log-archive/export-tasks";
import type { ArchiveLogGroup } from "./agent-kit";
import type { LogArchive } from "./archive";
import { cloudWatchLogsViaExportTasks } from "./cloudwatch-export-tasks";
import { FirehoseDelivery, cloudWatchLogsViaFirehose } from "./cloudwatch-firehose";
import { cloudWatchLogsSubscriber } from "./cloudwatch-subscriber";
import { archivedLogGroupPatterns } from "./log-groups";

export interface CloudWatchLogsArgs {
  /** Stack name: Firehose's own log group is named per stack (and never archived). */
  readonly stack: string;
  /** `logArchive.cloudWatchLogsMode`. */
  readonly cloudWatchLogsMode: "firehose" | "exportTask";
  /** Log groups archived (`logArchive.logGroupPatterns`; syntax in functions/log-archive/common.ts). */
  readonly logGroupPatterns: string[];
  /** The subscriber's re-check schedule (`logArchive.subscriptionSchedule`). */
  readonly subscriptionSchedule: string;
  readonly firehoseBufferSizeMb: number;
  readonly firehoseBufferIntervalSeconds: number;
  /** Firehose decompresses CloudWatch Logs records and writes GZIP objects (`logArchive.firehoseDecompression`). */
  readonly firehoseDecompression: boolean;
  readonly exportPeriod: ExportPeriod;
  readonly exportSchedule: string;
  /** Retention of Firehose's error log group (`logArchive.logGroupRetentionDays`). */
  readonly logGroupRetentionDays: number;
  /** The log groups LogArchive made (./agent-kit.ts): subscribed here, not looked up. */
  readonly logGroups: ArchiveLogGroup[];
  /** Lambda log groups: key and retention (the InlineLambda factory's). */
  readonly lambdaLogKeyArn: pulumi.Input<string>;
  readonly lambdaLogRetentionDays: number;
  /** Where the Lambdas run (stacks/lambda-network.ts); undefined: outside any VPC. */
  readonly lambdaVpc?: LambdaVpcConfig;
  readonly tags?: Record<string, string>;
}

/** What the Lambdas of both modes share. */
export interface ShippingFunctionArgs {
  readonly patterns: string[];
  readonly failureQueue: aws.sqs.Queue;
  /** The failure queue as the EventBridge targets' dead-letter queue (infra/event-rule.ts). */
  readonly deadLetters: RuleDeadLetterQueue;
  /** The EventBridge targets' retry policy. */
  readonly targetRetry: RetryPolicy;
  readonly lambda: { stack: string; logKeyArn: pulumi.Input<string>; logRetentionDays: number; vpc?: LambdaVpcConfig; tags?: Record<string, string> };
}

export interface CloudWatchLogsShipping {
  readonly failureQueue: aws.sqs.Queue;
  /** Firehose mode. */
  readonly firehose?: FirehoseDelivery;
  readonly subscriber?: InlineLambda;
  /** exportTask mode. */
  readonly exporter?: InlineLambda;
}

export function cloudWatchLogsToArchive(archive: LogArchive, args: CloudWatchLogsArgs): CloudWatchLogsShipping {
  const name = archive.name;
  const failureQueue = new aws.sqs.Queue(
    `${name}-failures`,
    // SQS-managed encryption: EventBridge dead-lettering into a CMK-encrypted queue would need the
    // events principal on the archive key, which should stay narrow.
    { messageRetentionSeconds: 1209600, sqsManagedSseEnabled: true, tags: args.tags },
    { parent: archive },
  );
  // EventBridge may drop undeliverable events of the rules into the failure queue, and sends
  // aws:SourceArn = the rule's ARN (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html).
  const deadLetters = new RuleDeadLetterQueue(failureQueue, { policyShape: "allowRules" });
  const fn: ShippingFunctionArgs = {
    patterns: archivedLogGroupPatterns(args.logGroupPatterns, args.stack),
    failureQueue,
    deadLetters,
    targetRetry: { maximumRetryAttempts: 8, maximumEventAgeInSeconds: 3600 },
    lambda: { stack: args.stack, logKeyArn: args.lambdaLogKeyArn, logRetentionDays: args.lambdaLogRetentionDays, vpc: args.lambdaVpc, tags: args.tags },
  };
  let shipping: CloudWatchLogsShipping;
  if (args.cloudWatchLogsMode === "firehose") {
    const firehose = cloudWatchLogsViaFirehose(archive, { ...args, patterns: fn.patterns });
    const s = cloudWatchLogsSubscriber(archive, firehose, { ...fn, subscriptionSchedule: args.subscriptionSchedule });
    shipping = { failureQueue, firehose, subscriber: s.subscriber };
  } else {
    const e = cloudWatchLogsViaExportTasks(archive, { ...fn, exportPeriod: args.exportPeriod, exportSchedule: args.exportSchedule });
    shipping = { failureQueue, exporter: e.exporter };
  }
  deadLetters.policy(`${name}-failures-policy`, { parent: archive });
  return shipping;
}
