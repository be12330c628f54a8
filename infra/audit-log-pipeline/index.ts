/**
 * AuditLogPipeline (ARCHITECTURE.md section 4): Aurora MySQL audit logs into the archive bucket's
 * `audit-logs/` prefix, complete, incremental and with constant memory.
 *
 *   EventBridge Scheduler (every N minutes, its own role, retries + DLQ)
 *     -> scanner Lambda -> SQS queue (KMS, redrive to the DLQ)
 *     -> detector Lambda (partial batch responses) -> DynamoDB table (stream NEW_AND_OLD_IMAGES,
 *        PITR, customer-managed key)
 *     -> downloader Lambda (stream mapping: bisect-on-error, bounded retries, max record age,
 *        partial batch responses, on-failure destination = the DLQ) -> S3 `audit-logs/...`
 *
 * Alarms: DLQ depth > 0, downloader errors (function errors + failed downloads), age of the
 * oldest un-backed-up file, files missed (rotated away before they were copied).
 *
 * The function logic lives in `functions/audit-log/`. Parts, each a plain function creating its
 * resources with this component as parent: `state.ts` (key, queues, table), `functions.ts` (the
 * three Lambdas and their settings), `triggers.ts` (event source mappings, schedule), `alarms.ts`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { DynamoDBBatchResponse, DynamoDBStreamEvent, SQSBatchResponse, SQSEvent } from "aws-lambda";
import type { ScanResult } from "../../functions/audit-log/scanner";
import type { InlineLambda } from "../lambda";
import { partitionFacts } from "../partition";
import type { AuditLogPipelineArgs } from "./args";
import { pipelineAlarms } from "./alarms";
import { pipelineFunctions } from "./functions";
import { pipelineState } from "./state";
import { eventSourceMappings, scanSchedule } from "./triggers";

export { type AuditLogPipelineArgs, KEY_PREFIX, METRIC_NAMESPACE } from "./args";

export class AuditLogPipeline extends pulumi.ComponentResource {
  readonly key: aws.kms.Key;
  readonly table: aws.dynamodb.Table;
  readonly queue: aws.sqs.Queue;
  readonly deadLetterQueue: aws.sqs.Queue;
  readonly scanner: InlineLambda<unknown, ScanResult>;
  readonly detector: InlineLambda<SQSEvent, SQSBatchResponse>;
  readonly downloader: InlineLambda<DynamoDBStreamEvent, DynamoDBBatchResponse>;
  readonly schedule: aws.scheduler.Schedule;
  readonly schedulerRole: aws.iam.Role;
  readonly alarms: aws.cloudwatch.MetricAlarm[];

  constructor(name: string, args: AuditLogPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("cn-log-backup:index:AuditLogPipeline", name, {}, opts);
    const parent = { parent: this };
    const facts = partitionFacts(parent);
    const pipelineName = `${args.stack}-${name}`;

    const state = pipelineState(name, args, this);
    this.key = state.key;
    this.deadLetterQueue = state.deadLetterQueue;
    this.queue = state.queue;
    this.table = state.table;

    const fns = pipelineFunctions(name, args, state, { region: facts.region, pipelineName, parent });
    this.scanner = fns.scanner;
    this.detector = fns.detector;
    this.downloader = fns.downloader;

    eventSourceMappings(name, args, state, fns, this);
    const { schedulerRole, schedule } = scanSchedule(name, args, state, fns, { component: this, region: facts.region, accountId: facts.accountId });
    this.schedulerRole = schedulerRole;
    this.schedule = schedule;

    this.alarms = pipelineAlarms(name, args, state, fns, { pipelineName, parent });

    this.registerOutputs({
      tableName: this.table.name,
      queueUrl: this.queue.url,
      deadLetterQueueUrl: this.deadLetterQueue.url,
      scheduleName: this.schedule.name,
    });
  }
}
