/**
 * The subscriber Lambda (firehose mode): subscribes every matching log group to the archive's
 * Firehose stream, on CloudTrail's CreateLogGroup event and on a schedule (the re-check). Its
 * logic is functions/log-archive/subscriber.ts.
 */
import * as aws from "@pulumi/aws";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { eventRuleTarget } from "../event-rule";
import { InlineLambda } from "../lambda";
import { arn, cloudTrailEventSource, servicePrincipalForms } from "../partition";
import { createSubscriberHandler } from "../../functions/log-archive/subscriber";
import { subscriberSettings } from "../../functions/log-archive/settings";
import { deferUntilFirstEvent } from "../../functions/shared/env";
import type { LogArchive } from "./archive";
import type { ShippingFunctionArgs } from "./cloudwatch-logs";
import type { FirehoseDelivery } from "./cloudwatch-firehose";
import { SUBSCRIPTION_FILTER_NAME } from "./log-groups";

export function cloudWatchLogsSubscriber(
  archive: LogArchive,
  firehose: FirehoseDelivery,
  args: ShippingFunctionArgs & { subscriptionSchedule: string; tags?: Record<string, string> },
): { subscriber: InlineLambda; rules: aws.cloudwatch.EventRule[] } {
  const name = archive.name;
  const parent = { parent: archive };
  const streamArn = firehose.deliveryStream.arn;
  const cwlRoleArn = firehose.cloudWatchLogsRole.arn;
  const subscriber = new InlineLambda<unknown, unknown>(
    `${name}-subscriber`,
    {
      description: "cn-log-backup LogArchive: subscribes matching log groups to the archive's Firehose stream",
      callbackFactory: () => {
        // The environment as the container started. Settings are read on the first invocation (once
        // per container), so loading the module never fails; a missing or bad variable fails the
        // invocation, naming the variable, and the event lands in the failure queue.
        const env = { ...process.env };
        const logs = new CloudWatchLogsClient({});
        return deferUntilFirstEvent(() => createSubscriberHandler({ logs, ...subscriberSettings(env) }));
      },
      statements: [
        {
          Sid: "ListLogGroups",
          Effect: "Allow",
          Action: ["logs:DescribeLogGroups"],
          Resource: [arn({ service: "logs", resource: "log-group:*" }, parent)],
        },
        {
          Sid: "ManageSubscriptionFilters",
          Effect: "Allow",
          Action: ["logs:DescribeSubscriptionFilters", "logs:PutSubscriptionFilter"],
          Resource: [arn({ service: "logs", resource: "log-group:*" }, parent)],
        },
        {
          Sid: "PassCloudWatchLogsRole",
          Effect: "Allow",
          Action: ["iam:PassRole"],
          Resource: [cwlRoleArn],
          // Every form of the CloudWatch Logs principal, nothing else: AWS does not document which
          // one IAM presents as iam:PassedToService in China (its China CloudWatch Logs guide prints
          // logs.amazonaws.com in trust policies, the provider names logs.amazonaws.com.cn, key
          // policies use logs.<region>.amazonaws.com.cn), see infra/partition.ts servicePrincipalForms.
          Condition: { StringEquals: { "iam:PassedToService": servicePrincipalForms("logs", { parent: archive, region: archive.region }) } },
        },
      ],
      // Named as the config key (logGroupPatterns) or SubscriberDeps field they carry;
      // functions/log-archive/settings.ts reads them.
      environment: {
        destinationArn: streamArn,
        roleArn: cwlRoleArn,
        filterName: SUBSCRIPTION_FILTER_NAME,
        logGroupPatterns: JSON.stringify(args.patterns),
      },
      timeout: 300,
      asyncFailure: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600, onFailureQueueArn: args.failureQueue.arn },
      ...args.lambda,
    },
    parent,
  );
  const tags = args.lambda.tags;
  const target = (i: number) => ({
    targetArn: subscriber.arn,
    invoke: subscriber,
    retryPolicy: args.targetRetry,
    deadLetterQueue: args.deadLetters,
    targetName: `${name}-subscriber-target-${i}`,
    permissionName: `${name}-subscriber-invoke-${i}`,
  });
  const created = eventRuleTarget(
    `${name}-log-group-created`,
    {
      rule: {
        description: "cn-log-backup: a log group was created (CloudTrail), subscribe it if it matches",
        eventPattern: {
          source: ["aws.logs"],
          "detail-type": ["AWS API Call via CloudTrail"],
          detail: { eventSource: [cloudTrailEventSource("logs")], eventName: ["CreateLogGroup"] },
        },
        tags,
      },
      ...target(0),
    },
    parent,
  );
  const recheck = eventRuleTarget(
    `${name}-subscription-recheck`,
    { rule: { description: "cn-log-backup: re-check every log group's subscription", scheduleExpression: args.subscriptionSchedule, tags }, ...target(1) },
    parent,
  );
  return { subscriber, rules: [created.rule, recheck.rule] };
}
