/**
 * What runs the functions: the detector's queue mapping, the downloader's stream mapping and the
 * scanner's EventBridge Scheduler schedule with its own role, retries and dead-letter queue.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, serviceTrustPolicy } from "../iam";
import { arn, servicePrincipal } from "../partition";
import type { AuditLogPipelineArgs } from "./args";
import { keyVia, type PipelineFunctions } from "./functions";
import type { PipelineState } from "./state";

/** The schedule group of the scanner's schedule (its execution role trusts this group). */
const SCHEDULE_GROUP = "default";

export function eventSourceMappings(
  name: string,
  args: AuditLogPipelineArgs,
  state: PipelineState,
  fns: PipelineFunctions,
  component: pulumi.ComponentResource,
): void {
  new aws.lambda.EventSourceMapping(
    `${name}-detector-queue`,
    {
      eventSourceArn: state.queue.arn,
      functionName: fns.detector.name,
      batchSize: 10,
      maximumBatchingWindowInSeconds: 5,
      functionResponseTypes: ["ReportBatchItemFailures"],
      scalingConfig: { maximumConcurrency: 5 },
    },
    { parent: component, dependsOn: [fns.detector.policy] },
  );
  new aws.lambda.EventSourceMapping(
    `${name}-downloader-stream`,
    {
      eventSourceArn: state.table.streamArn,
      functionName: fns.downloader.name,
      startingPosition: "TRIM_HORIZON",
      batchSize: 10,
      parallelizationFactor: 2,
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: args.streamMaxRetries ?? 5,
      maximumRecordAgeInSeconds: args.streamMaxRecordAgeSeconds ?? 43200,
      functionResponseTypes: ["ReportBatchItemFailures"],
      destinationConfig: { onFailure: { destinationArn: state.deadLetterQueue.arn } },
      // Only log-file records: the detector's per-instance watermark items never wake it.
      filterCriteria: { filters: [{ pattern: JSON.stringify({ dynamodb: { Keys: { LogFileName: { S: [{ prefix: "audit/" }] } } } }) }] },
    },
    { parent: component, dependsOn: [fns.downloader.policy] },
  );
}

export function scanSchedule(
  name: string,
  args: AuditLogPipelineArgs,
  state: PipelineState,
  fns: PipelineFunctions,
  ctx: { component: pulumi.ComponentResource; region: pulumi.Input<string>; accountId: pulumi.Input<string> },
): { schedulerRole: aws.iam.Role; schedule: aws.scheduler.Schedule } {
  const parent = { parent: ctx.component };
  const scheduleName = `cn-log-backup-${args.stack}-${name}-scan`;
  const schedulerRole = new aws.iam.Role(
    `${name}-scheduler-role`,
    {
      description: "EventBridge Scheduler: invokes the audit-log scanner",
      assumeRolePolicy: serviceTrustPolicy({
        principal: servicePrincipal("scheduler", parent),
        sourceAccount: ctx.accountId,
        // Scheduler presents the schedule *group*'s ARN as aws:SourceArn, not the schedule's:
        // https://docs.aws.amazon.com/scheduler/latest/UserGuide/cross-service-confused-deputy-prevention.html
        sourceArn: arn({ service: "scheduler", resource: `schedule-group/${SCHEDULE_GROUP}` }, parent),
      }),
      tags: args.tags,
    },
    parent,
  );
  const keyStatement = keyVia(state, ctx.region, parent);
  const schedulerPolicy = new aws.iam.RolePolicy(
    `${name}-scheduler-policy`,
    {
      role: schedulerRole.id,
      policy: policyDocument([
        { Sid: "InvokeScanner", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: [fns.scanner.arn] },
        { Sid: "DeadLetters", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [state.deadLetterQueue.arn] },
        keyStatement("sqs", ["kms:GenerateDataKey", "kms:Decrypt"], "EncryptDeadLetters"),
      ]),
    },
    parent,
  );
  const schedule = new aws.scheduler.Schedule(
    `${name}-scan`,
    {
      name: scheduleName,
      groupName: SCHEDULE_GROUP,
      description: "Scans for Aurora MySQL audit logs to back up",
      scheduleExpression: `rate(${args.scheduleMinutes} ${args.scheduleMinutes === 1 ? "minute" : "minutes"})`,
      flexibleTimeWindow: { mode: "OFF" },
      state: "ENABLED",
      target: {
        arn: fns.scanner.arn,
        roleArn: schedulerRole.arn,
        retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: Math.max(60, args.scheduleMinutes * 60) },
        deadLetterConfig: { arn: state.deadLetterQueue.arn },
      },
    },
    { parent: ctx.component, dependsOn: [schedulerPolicy] },
  );
  return { schedulerRole, schedule };
}
