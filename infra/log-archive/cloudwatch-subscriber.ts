/**
 * The subscriber Lambda (firehose mode): subscribes every matching log group to the archive's
 * Firehose stream, on CloudTrail's CreateLogGroup event and on a schedule (the re-check). Its
 * logic is functions/log-archive/subscriber.ts.
 */
import * as aws from "@pulumi/aws";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { InlineLambda } from "../lambda";
import { arn, cloudTrailEventSource, servicePrincipalForms } from "../partition";
import { createSubscriberHandler } from "../../functions/log-archive/subscriber";
import { requiredEnv } from "../../functions/log-archive/common";
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
        const logs = new CloudWatchLogsClient({});
        // Settings are read on the first invocation (once per container), so loading the module
        // never fails; a missing variable fails the invocation, which lands in the failure queue.
        let handler: ((event: unknown) => Promise<unknown>) | undefined;
        return async (event: unknown) => {
          handler ??= createSubscriberHandler({
            logs,
            destinationArn: requiredEnv("DESTINATION_ARN"),
            roleArn: requiredEnv("CWL_ROLE_ARN"),
            filterName: requiredEnv("FILTER_NAME"),
            logGroupPatterns: JSON.parse(requiredEnv("LOG_GROUP_PATTERNS")),
          });
          return handler(event);
        };
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
      environment: {
        DESTINATION_ARN: streamArn,
        CWL_ROLE_ARN: cwlRoleArn,
        FILTER_NAME: SUBSCRIPTION_FILTER_NAME,
        LOG_GROUP_PATTERNS: JSON.stringify(args.patterns),
      },
      timeout: 300,
      asyncFailure: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600, onFailureQueueArn: args.failureQueue.arn },
      ...args.lambda,
    },
    parent,
  );
  const tags = args.lambda.tags;
  const createRule = new aws.cloudwatch.EventRule(
    `${name}-log-group-created`,
    {
      description: "cn-log-backup: a log group was created (CloudTrail), subscribe it if it matches",
      eventPattern: JSON.stringify({
        source: ["aws.logs"],
        "detail-type": ["AWS API Call via CloudTrail"],
        detail: { eventSource: [cloudTrailEventSource("logs")], eventName: ["CreateLogGroup"] },
      }),
      tags,
    },
    parent,
  );
  const scheduleRule = new aws.cloudwatch.EventRule(
    `${name}-subscription-recheck`,
    { description: "cn-log-backup: re-check every log group's subscription", scheduleExpression: args.subscriptionSchedule, tags },
    parent,
  );
  return { subscriber, rules: [createRule, scheduleRule] };
}
