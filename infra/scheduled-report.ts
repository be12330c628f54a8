/**
 * What the two completeness reports (infra/archive-completeness.ts, infra/audit-log-completeness.ts)
 * share: a reporter function with its failure queue (on-failure destination of its runs, at most
 * one at a time), the schedule that runs it (an EventBridge rule -> the function, bounded retries,
 * the failure queue as dead-letter queue, infra/event-rule.ts) and the alarm that says a report
 * could not be made. Plain functions creating resources under the caller's component, so names and
 * parents are the caller's.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { RuleDeadLetterQueue, eventRuleTarget } from "./event-rule";
import { InlineLambda, type InlineLambdaArgs } from "./lambda";

/** The Args both completeness components take (`logArchive.completeness*` and the stack's settings). */
export interface CompletenessReportArgs {
  /** The stack's name, in the function's log group name. */
  readonly stack: string;
  /** This stack's region. */
  readonly region: string;
  /** Objects or files newer than this many hours are not expected yet (`logArchive.completenessGraceHours`). */
  readonly graceHours: number;
  /** EventBridge schedule expression of the report (`logArchive.completenessSchedule`). */
  readonly schedule: string;
  /** The stack's notification topic(s); empty: the alarms notify nobody. */
  readonly alarmActions: pulumi.Input<string>[];
  /** The function's log group retention. */
  readonly logRetentionDays: number;
  readonly tags?: Record<string, string>;
}

/** The reporter function and what its schedule and alarm say. */
export interface ReporterFunctionArgs extends Pick<
  InlineLambdaArgs<unknown, unknown>,
  "description" | "callbackFactory" | "statements" | "environment" | "timeout" | "logKeyArn" | "vpc"
> {
  /** The schedule rule's description. */
  readonly scheduleDescription: string;
  /** The report-failed alarm's description. */
  readonly alarmDescription: string;
}

export interface ScheduledReporter {
  readonly reporter: InlineLambda;
  readonly failureQueue: aws.sqs.Queue;
  readonly alarm: aws.cloudwatch.MetricAlarm;
}

/**
 * `<name>-failures` (SQS-managed encryption, 14 days), `<name>-reporter` (one run at a time, two
 * retries within 6 h, then the failure queue), its schedule (reportSchedule) and `<name>-report-failed`.
 */
export function scheduledReporter(name: string, args: CompletenessReportArgs, fn: ReporterFunctionArgs, opts: { parent: pulumi.Resource }): ScheduledReporter {
  const { scheduleDescription, alarmDescription, ...lambda } = fn;
  const tags = args.tags;
  const failureQueue = new aws.sqs.Queue(`${name}-failures`, { messageRetentionSeconds: 1209600, sqsManagedSseEnabled: true, tags }, opts);
  const reporter = new InlineLambda<unknown, unknown>(
    `${name}-reporter`,
    {
      ...lambda,
      stack: args.stack,
      logRetentionDays: args.logRetentionDays,
      tags,
      reservedConcurrency: 1,
      asyncFailure: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 21600, onFailureQueueArn: failureQueue.arn },
    },
    opts,
  );
  reportSchedule(name, { reporter, failureQueue, schedule: args.schedule, description: scheduleDescription, tags }, opts);
  const alarm = reportFailedAlarm(name, { description: alarmDescription, reporter, failureQueue, alarmActions: args.alarmActions, tags }, opts);
  return { reporter, failureQueue, alarm };
}

export interface ReportScheduleArgs {
  readonly reporter: InlineLambda;
  /** The reporter's on-failure destination, also the rule target's dead-letter queue. */
  readonly failureQueue: aws.sqs.Queue;
  /** EventBridge schedule expression. */
  readonly schedule: string;
  /** The rule's description. */
  readonly description: string;
  readonly tags?: Record<string, string>;
}

/**
 * `<name>-schedule` -> `<name>-target` (permission `<name>-invoke`), up to 8 retries within an hour,
 * then the failure queue, whose policy `<name>-failures-policy` admits this rule only
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html).
 */
export function reportSchedule(name: string, a: ReportScheduleArgs, opts: { parent: pulumi.Resource }): aws.cloudwatch.EventRule {
  const deadLetters = new RuleDeadLetterQueue(a.failureQueue, { policyShape: "allowOneRule" });
  const { rule } = eventRuleTarget(
    `${name}-schedule`,
    {
      rule: { description: a.description, scheduleExpression: a.schedule, tags: a.tags },
      targetArn: a.reporter.arn,
      invoke: a.reporter,
      retryPolicy: { maximumRetryAttempts: 8, maximumEventAgeInSeconds: 3600 },
      deadLetterQueue: deadLetters,
      targetName: `${name}-target`,
      permissionName: `${name}-invoke`,
    },
    opts,
  );
  deadLetters.policy(`${name}-failures-policy`, opts);
  return rule;
}

/** `<name>-report-failed`: the reporter's errors plus the dead-lettered runs, in any hour. */
export function reportFailedAlarm(
  name: string,
  a: { description: string; reporter: InlineLambda; failureQueue: aws.sqs.Queue; alarmActions: pulumi.Input<string>[]; tags?: Record<string, string> },
  opts: { parent: pulumi.Resource },
): aws.cloudwatch.MetricAlarm {
  return new aws.cloudwatch.MetricAlarm(
    `${name}-report-failed`,
    {
      alarmDescription: a.description,
      metricQueries: [
        {
          id: "errors",
          metric: { namespace: "AWS/Lambda", metricName: "Errors", dimensions: { FunctionName: a.reporter.name }, period: 3600, stat: "Sum" },
        },
        {
          id: "dlq",
          metric: {
            namespace: "AWS/SQS",
            metricName: "ApproximateNumberOfMessagesVisible",
            dimensions: { QueueName: a.failureQueue.name },
            period: 3600,
            stat: "Maximum",
          },
        },
        { id: "total", expression: "FILL(errors, 0) + FILL(dlq, 0)", label: "failed reports", returnData: true },
      ],
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
      alarmActions: a.alarmActions,
      okActions: a.alarmActions,
      tags: a.tags,
    },
    opts,
  );
}
