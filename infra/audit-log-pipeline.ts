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
 * The function logic lives in `functions/audit-log/`; here each Lambda's `callbackFactory` builds
 * its SDK clients once per container and hands them over. Endpoint overrides
 * (`*_ENDPOINT` variables) exist for tests on loopback only; the component never sets them.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { RDSClient } from "@aws-sdk/client-rds";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import type { DynamoDBBatchResponse, DynamoDBStreamEvent, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { createScannerHandler, type ScanResult } from "../functions/audit-log/scanner";
import { createDetectorHandler } from "../functions/audit-log/detector";
import { createDownloaderHandler } from "../functions/audit-log/downloader";
import { InlineLambda, type LambdaVpcConfig } from "./lambda";
import { customerManagedKey } from "./kms";
import { denyInsecureTransport, policyDocument, PolicyStatement, serviceTrustPolicy } from "./iam";
import { arn, partitionFacts, servicePrincipal, viaService } from "./partition";

/** The schedule group of the scanner's schedule (its execution role trusts this group). */
const SCHEDULE_GROUP = "default";

export const METRIC_NAMESPACE = "CnLogBackup/AuditLog";
export const KEY_PREFIX = "audit-logs/";

export interface AuditLogPipelineArgs {
  /** The archive bucket (LogArchive's) and its ARN; objects go under `audit-logs/`. */
  archiveBucketName: pulumi.Input<string>;
  archiveBucketArn: pulumi.Input<string>;
  /** The archive bucket's KMS key: the downloader may use this key and no other. */
  archiveKmsKeyArn: pulumi.Input<string>;
  /** KMS key of the Lambda log groups. */
  logKeyArn: pulumi.Input<string>;
  logRetentionDays: number;
  /** Minutes between scans (EventBridge Scheduler rate). */
  scheduleMinutes: number;
  /** Deletion window of the pipeline's own key (table, queues). */
  keyDeletionWindowDays: number;
  downloaderTimeoutSeconds?: number;
  downloaderMemoryMb?: number;
  /** Multipart part size in MiB (memory per download is about this x 3). */
  partSizeMb?: number;
  /** Retries of a failed stream batch before it goes to the on-failure destination. */
  streamMaxRetries?: number;
  /** Path version of the RDS REST download endpoint (`v13`, documented; `v19` see functions/audit-log/rds-source.ts). */
  restPathVersion?: "v13" | "v19";
  /** Records older than this go to the on-failure destination (Aurora keeps files 24 h). */
  streamMaxRecordAgeSeconds?: number;
  /** Alarm when a detected file has waited this long for its backup. */
  oldestPendingAlarmMinutes?: number;
  /** Run the three functions in this VPC (it needs endpoints for RDS, SQS, KMS, logs, S3, DynamoDB). */
  vpc?: LambdaVpcConfig;
  /** Where alarms notify (SNS topic ARNs). */
  alarmActions?: pulumi.Input<string>[];
  tags?: Record<string, string>;
}

const SCANNER_TIMEOUT = 120;
const DETECTOR_TIMEOUT = 120;

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
    const region = facts.region;
    const tags = args.tags;
    const downloaderTimeout = args.downloaderTimeoutSeconds ?? 900;
    const partSize = (args.partSizeMb ?? 8) * 1024 * 1024;
    const pipelineName = pulumi.interpolate`${pulumi.getStack()}-${name}`;

    this.key = customerManagedKey(
      `${name}-key`,
      {
        description: "cn-log-backup: encrypts the audit-log pipeline's DynamoDB table and SQS queues",
        deletionWindowInDays: args.keyDeletionWindowDays,
        alias: `cn-log-backup/${pulumi.getStack()}/${name}`,
        tags,
      },
      parent,
    );

    // ---- queues --------------------------------------------------------------------------
    this.deadLetterQueue = new aws.sqs.Queue(
      `${name}-dlq`,
      { kmsMasterKeyId: this.key.arn, kmsDataKeyReusePeriodSeconds: 300, messageRetentionSeconds: 14 * 24 * 3600, tags },
      parent,
    );
    this.queue = new aws.sqs.Queue(
      `${name}-instances`,
      {
        kmsMasterKeyId: this.key.arn,
        kmsDataKeyReusePeriodSeconds: 300,
        // At least six times the consumer's timeout, as Lambda's SQS guidance asks.
        visibilityTimeoutSeconds: 6 * DETECTOR_TIMEOUT,
        messageRetentionSeconds: 24 * 3600,
        redrivePolicy: pulumi.jsonStringify({ deadLetterTargetArn: this.deadLetterQueue.arn, maxReceiveCount: 5 }),
        tags,
      },
      parent,
    );
    for (const [q, n] of [
      [this.queue, "instances"],
      [this.deadLetterQueue, "dlq"],
    ] as const) {
      new aws.sqs.QueuePolicy(`${name}-${n}-policy`, { queueUrl: q.url, policy: policyDocument([denyInsecureTransport([q.arn], "sqs:*")]) }, parent);
    }

    // ---- table ---------------------------------------------------------------------------
    this.table = new aws.dynamodb.Table(
      `${name}-files`,
      {
        billingMode: "PAY_PER_REQUEST",
        hashKey: "DBInstanceIdentifier",
        rangeKey: "LogFileName",
        attributes: [
          { name: "DBInstanceIdentifier", type: "S" },
          { name: "LogFileName", type: "S" },
          { name: "PendingSince", type: "N" },
        ],
        // Sparse: only files detected and not yet backed up carry PendingSince.
        globalSecondaryIndexes: [{ name: "PendingSince", hashKey: "DBInstanceIdentifier", rangeKey: "PendingSince", projectionType: "KEYS_ONLY" }],
        streamEnabled: true,
        streamViewType: "NEW_AND_OLD_IMAGES",
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true, kmsKeyArn: this.key.arn },
        deletionProtectionEnabled: true,
        tags,
      },
      parent,
    );

    // ---- ARNs the statements use -----------------------------------------------------------
    const rdsArn = (resource: string) => arn({ service: "rds", resource }, parent);
    const indexArn = pulumi.interpolate`${this.table.arn}/index/PendingSince`;
    const keyVia = (service: string, actions: string[], sid: string): PolicyStatement => ({
      Sid: sid,
      Effect: "Allow",
      Action: actions,
      Resource: [this.key.arn],
      Condition: { StringEquals: { "kms:ViaService": viaService(service, region, parent) } },
    });

    // ---- scanner -------------------------------------------------------------------------
    this.scanner = new InlineLambda<unknown, ScanResult>(
      `${name}-scanner`,
      {
        description: "Audit-log pipeline scanner: finds Aurora MySQL instances with server_audit_logging on and queues one message per instance",
        callbackFactory: () => {
          const env = process.env;
          const rds = new RDSClient({ endpoint: env.RDS_ENDPOINT || undefined, maxAttempts: 8 });
          const sqs = new SQSClient({ endpoint: env.SQS_ENDPOINT || undefined, maxAttempts: 8 });
          return createScannerHandler({ rds, sqs, queueUrl: env.QUEUE_URL as string });
        },
        statements: [
          { Sid: "DescribeInstances", Effect: "Allow", Action: ["rds:DescribeDBInstances"], Resource: [rdsArn("db:*")] },
          { Sid: "DescribeClusters", Effect: "Allow", Action: ["rds:DescribeDBClusters"], Resource: [rdsArn("cluster:*")] },
          { Sid: "ReadClusterParameters", Effect: "Allow", Action: ["rds:DescribeDBClusterParameters"], Resource: [rdsArn("cluster-pg:*")] },
          { Sid: "QueueInstances", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [this.queue.arn] },
          keyVia("sqs", ["kms:GenerateDataKey", "kms:Decrypt"], "EncryptQueueMessages"),
        ],
        logKeyArn: args.logKeyArn,
        logRetentionDays: args.logRetentionDays,
        environment: { QUEUE_URL: this.queue.url },
        timeout: SCANNER_TIMEOUT,
        memorySize: 256,
        vpc: args.vpc,
        tags,
      },
      parent,
    );

    // ---- detector ------------------------------------------------------------------------
    this.detector = new InlineLambda<SQSEvent, SQSBatchResponse>(
      `${name}-detector`,
      {
        description: "Audit-log pipeline detector: records new or changed audit/ log files of one instance in DynamoDB",
        callbackFactory: () => {
          const env = process.env;
          const rds = new RDSClient({ endpoint: env.RDS_ENDPOINT || undefined, maxAttempts: 8 });
          const dynamodb = new DynamoDBClient({ endpoint: env.DYNAMODB_ENDPOINT || undefined, maxAttempts: 8 });
          return createDetectorHandler({ rds, dynamodb, tableName: env.TABLE_NAME as string, pipelineName: env.PIPELINE_NAME, metricNamespace: env.METRIC_NAMESPACE });
        },
        statements: [
          { Sid: "ListLogFiles", Effect: "Allow", Action: ["rds:DescribeDBLogFiles"], Resource: [rdsArn("db:*")] },
          { Sid: "TrackFiles", Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:UpdateItem"], Resource: [this.table.arn] },
          { Sid: "FindOldestPending", Effect: "Allow", Action: ["dynamodb:Query"], Resource: [indexArn] },
          {
            Sid: "ConsumeInstanceQueue",
            Effect: "Allow",
            // What Lambda's SQS event source mapping calls (AWSLambdaSQSQueueExecutionRole):
            // https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html#events-sqs-permissions
            Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
            Resource: [this.queue.arn],
          },
          keyVia("sqs", ["kms:Decrypt"], "DecryptQueueMessages"),
          keyVia("dynamodb", ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "UseTableKey"),
        ],
        logKeyArn: args.logKeyArn,
        logRetentionDays: args.logRetentionDays,
        environment: { TABLE_NAME: this.table.name, PIPELINE_NAME: pipelineName, METRIC_NAMESPACE },
        timeout: DETECTOR_TIMEOUT,
        memorySize: 256,
        vpc: args.vpc,
        tags,
      },
      parent,
    );

    // ---- downloader ----------------------------------------------------------------------
    const objectsArn = pulumi.interpolate`${args.archiveBucketArn}/${KEY_PREFIX}*`;
    this.downloader = new InlineLambda<DynamoDBStreamEvent, DynamoDBBatchResponse>(
      `${name}-downloader`,
      {
        description: "Audit-log pipeline downloader: streams each new or changed audit log file into the archive bucket",
        callbackFactory: () => {
          const env = process.env;
          const region = env.AWS_REGION as string;
          const rds = new RDSClient({ endpoint: env.RDS_ENDPOINT || undefined, maxAttempts: 8 });
          const s3 = new S3Client({ endpoint: env.S3_ENDPOINT || undefined, forcePathStyle: !!env.S3_ENDPOINT, maxAttempts: 8 });
          const dynamodb = new DynamoDBClient({ endpoint: env.DYNAMODB_ENDPOINT || undefined, maxAttempts: 8 });
          return createDownloaderHandler({
            rds,
            s3,
            dynamodb,
            region,
            rdsRestEndpoint: env.RDS_REST_ENDPOINT || undefined,
            restPathVersion: env.RDS_REST_PATH_VERSION || undefined,
            tableName: env.TABLE_NAME as string,
            bucketName: env.BUCKET_NAME as string,
            kmsKeyArn: env.KMS_KEY_ARN || undefined,
            keyPrefix: env.KEY_PREFIX,
            partSize: Number(env.PART_SIZE) || undefined,
            pipelineName: env.PIPELINE_NAME,
            metricNamespace: env.METRIC_NAMESPACE,
          });
        },
        statements: [
          { Sid: "DownloadLogFiles", Effect: "Allow", Action: ["rds:DownloadCompleteDBLogFile", "rds:DownloadDBLogFilePortion"], Resource: [rdsArn("db:*")] },
          // A "not found" is confirmed with later listings before a file is recorded as missed.
          { Sid: "ConfirmLogFileGone", Effect: "Allow", Action: ["rds:DescribeDBLogFiles"], Resource: [rdsArn("db:*")] },
          { Sid: "WriteAuditLogObjects", Effect: "Allow", Action: ["s3:PutObject", "s3:AbortMultipartUpload"], Resource: [objectsArn] },
          {
            Sid: "UseArchiveKeyThroughS3",
            Effect: "Allow",
            Action: ["kms:GenerateDataKey", "kms:Decrypt"],
            Resource: [args.archiveKmsKeyArn],
            Condition: { StringEquals: { "kms:ViaService": viaService("s3", region, parent) } },
          },
          { Sid: "RecordBackups", Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:UpdateItem"], Resource: [this.table.arn] },
          // What Lambda's DynamoDB event source mapping calls (AWSLambdaDynamoDBExecutionRole):
          // https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-create.html#events-dynamodb-permissions
          {
            Sid: "ReadTableStream",
            Effect: "Allow",
            Action: ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"],
            Resource: [this.table.streamArn],
          },
          // ListStreams has no resource-level permission (the service authorization reference lists no resource type).
          { Sid: "ListTableStreams", Effect: "Allow", Action: ["dynamodb:ListStreams"], Resource: "*" },
          keyVia("dynamodb", ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "UseTableKey"),
          { Sid: "SendFailedBatchesToDlq", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [this.deadLetterQueue.arn] },
          keyVia("sqs", ["kms:GenerateDataKey", "kms:Decrypt"], "EncryptDlqMessages"),
        ],
        logKeyArn: args.logKeyArn,
        logRetentionDays: args.logRetentionDays,
        environment: {
          TABLE_NAME: this.table.name,
          BUCKET_NAME: args.archiveBucketName,
          KMS_KEY_ARN: args.archiveKmsKeyArn,
          KEY_PREFIX,
          PART_SIZE: String(partSize),
          RDS_REST_PATH_VERSION: args.restPathVersion ?? "v13",
          PIPELINE_NAME: pipelineName,
          METRIC_NAMESPACE,
        },
        timeout: downloaderTimeout,
        memorySize: args.downloaderMemoryMb ?? 1024,
        vpc: args.vpc,
        tags,
      },
      parent,
    );

    // ---- event source mappings -------------------------------------------------------------
    new aws.lambda.EventSourceMapping(
      `${name}-detector-queue`,
      {
        eventSourceArn: this.queue.arn,
        functionName: this.detector.name,
        batchSize: 10,
        maximumBatchingWindowInSeconds: 5,
        functionResponseTypes: ["ReportBatchItemFailures"],
        scalingConfig: { maximumConcurrency: 5 },
      },
      { parent: this, dependsOn: [this.detector.policy] },
    );
    new aws.lambda.EventSourceMapping(
      `${name}-downloader-stream`,
      {
        eventSourceArn: this.table.streamArn,
        functionName: this.downloader.name,
        startingPosition: "TRIM_HORIZON",
        batchSize: 10,
        parallelizationFactor: 2,
        bisectBatchOnFunctionError: true,
        maximumRetryAttempts: args.streamMaxRetries ?? 5,
        maximumRecordAgeInSeconds: args.streamMaxRecordAgeSeconds ?? 43200,
        functionResponseTypes: ["ReportBatchItemFailures"],
        destinationConfig: { onFailure: { destinationArn: this.deadLetterQueue.arn } },
        // Only log-file records: the detector's per-instance watermark items never wake it.
        filterCriteria: { filters: [{ pattern: JSON.stringify({ dynamodb: { Keys: { LogFileName: { S: [{ prefix: "audit/" }] } } } }) }] },
      },
      { parent: this, dependsOn: [this.downloader.policy] },
    );

    // ---- schedule --------------------------------------------------------------------------
    const scheduleName = pulumi.interpolate`cn-log-backup-${pulumi.getStack()}-${name}-scan`;
    this.schedulerRole = new aws.iam.Role(
      `${name}-scheduler-role`,
      {
        description: "EventBridge Scheduler: invokes the audit-log scanner",
        assumeRolePolicy: serviceTrustPolicy({
          principal: servicePrincipal("scheduler", parent),
          sourceAccount: facts.accountId,
          // Scheduler presents the schedule *group*'s ARN as aws:SourceArn, not the schedule's:
          // https://docs.aws.amazon.com/scheduler/latest/UserGuide/cross-service-confused-deputy-prevention.html
          sourceArn: arn({ service: "scheduler", resource: `schedule-group/${SCHEDULE_GROUP}` }, parent),
        }),
        tags,
      },
      parent,
    );
    const schedulerPolicy = new aws.iam.RolePolicy(
      `${name}-scheduler-policy`,
      {
        role: this.schedulerRole.id,
        policy: policyDocument([
          { Sid: "InvokeScanner", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: [this.scanner.arn] },
          { Sid: "DeadLetters", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [this.deadLetterQueue.arn] },
          keyVia("sqs", ["kms:GenerateDataKey", "kms:Decrypt"], "EncryptDeadLetters"),
        ]),
      },
      parent,
    );
    this.schedule = new aws.scheduler.Schedule(
      `${name}-scan`,
      {
        name: scheduleName,
        groupName: SCHEDULE_GROUP,
        description: "Scans for Aurora MySQL audit logs to back up",
        scheduleExpression: `rate(${args.scheduleMinutes} ${args.scheduleMinutes === 1 ? "minute" : "minutes"})`,
        flexibleTimeWindow: { mode: "OFF" },
        state: "ENABLED",
        target: {
          arn: this.scanner.arn,
          roleArn: this.schedulerRole.arn,
          retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: Math.max(60, args.scheduleMinutes * 60) },
          deadLetterConfig: { arn: this.deadLetterQueue.arn },
        },
      },
      { parent: this, dependsOn: [schedulerPolicy] },
    );

    // ---- alarms ----------------------------------------------------------------------------
    const actions = args.alarmActions ?? [];
    const alarm = (n: string, a: Omit<aws.cloudwatch.MetricAlarmArgs, "alarmActions" | "okActions" | "tags">) =>
      new aws.cloudwatch.MetricAlarm(`${name}-${n}`, { ...a, alarmActions: actions, okActions: actions, tags }, parent);
    this.alarms = [
      alarm("dlq-depth", {
        alarmDescription: "Audit-log pipeline: messages in the dead-letter queue (failed scans, instance messages or stream batches)",
        namespace: "AWS/SQS",
        metricName: "ApproximateNumberOfMessagesVisible",
        dimensions: { QueueName: this.deadLetterQueue.name },
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
          { id: "errors", metric: { namespace: "AWS/Lambda", metricName: "Errors", dimensions: { FunctionName: this.downloader.name }, period: 300, stat: "Sum" } },
          { id: "failures", metric: { namespace: METRIC_NAMESPACE, metricName: "DownloadFailures", dimensions: { Pipeline: pipelineName }, period: 300, stat: "Sum" } },
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

    this.registerOutputs({
      tableName: this.table.name,
      queueUrl: this.queue.url,
      deadLetterQueueUrl: this.deadLetterQueue.url,
      scheduleName: this.schedule.name,
    });
  }
}
