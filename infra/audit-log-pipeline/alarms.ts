/**
 * The pipeline's alarms: DLQ depth > 0, downloader errors (function errors + failed downloads), age
 * of the oldest un-backed-up file, files missed (rotated away before they were copied). The
 * metrics the functions write select on the `Pipeline` dimension.
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { type AuditLogPipelineArgs, METRIC_NAMESPACE } from "./args";
import type { PipelineFunctions } from "./functions";
import type { PipelineState } from "./state";

export function pipelineAlarms(
  name: string,
  args: AuditLogPipelineArgs,
  state: PipelineState,
  fns: PipelineFunctions,
  ctx: { pipelineName: string; parent: pulumi.ResourceOptions },
): aws.cloudwatch.MetricAlarm[] {
  const { pipelineName, parent } = ctx;
  const actions = args.alarmActions ?? [];
  const tags = args.tags;
  const alarm = (n: string, a: Omit<aws.cloudwatch.MetricAlarmArgs, "alarmActions" | "okActions" | "tags">) =>
    new aws.cloudwatch.MetricAlarm(`${name}-${n}`, { ...a, alarmActions: actions, okActions: actions, tags }, parent);
  return [
    alarm("dlq-depth", {
      alarmDescription: "Audit-log pipeline: messages in the dead-letter queue (failed scans, instance messages or stream batches)",
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: state.deadLetterQueue.name },
      statistic: "Maximum",
      period: 300,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
    }),
    alarm("downloader-errors", {
      alarmDescription: "Audit-log pipeline: the downloader failed (function errors or downloads reported back for retry)",
      metricQueries: [
        {
          id: "errors",
          metric: { namespace: "AWS/Lambda", metricName: "Errors", dimensions: { FunctionName: fns.downloader.name }, period: 300, stat: "Sum" },
        },
        {
          id: "failures",
          metric: { namespace: METRIC_NAMESPACE, metricName: "DownloadFailures", dimensions: { Pipeline: pipelineName }, period: 300, stat: "Sum" },
        },
        { id: "total", expression: "FILL(errors, 0) + FILL(failures, 0)", label: "downloader errors", returnData: true },
      ],
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
    }),
    alarm("oldest-pending", {
      alarmDescription: "Audit-log pipeline: a detected audit log file has waited too long for its backup (Aurora deletes them after 24 h)",
      namespace: METRIC_NAMESPACE,
      metricName: "OldestPendingAgeSeconds",
      dimensions: { Pipeline: pipelineName },
      statistic: "Maximum",
      period: 300,
      evaluationPeriods: 1,
      threshold: (args.oldestPendingAlarmMinutes ?? 60) * 60,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
    }),
    alarm("missed-files", {
      alarmDescription: "Audit-log pipeline: audit log files were rotated away before they could be copied (lost for good)",
      namespace: METRIC_NAMESPACE,
      metricName: "MissedFiles",
      dimensions: { Pipeline: pipelineName },
      statistic: "Sum",
      period: 300,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
    }),
  ];
}
