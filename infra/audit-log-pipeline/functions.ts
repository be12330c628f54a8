/**
 * The pipeline's three Lambdas. Each `callbackFactory` builds its SDK clients once per container;
 * on the first event it reads its settings (functions/audit-log/settings.ts: variables named as
 * their Args fields) and hands both to the logic in functions/audit-log/.
 */
import * as pulumi from "@pulumi/pulumi";
import { RDSClient } from "@aws-sdk/client-rds";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import type { DynamoDBBatchResponse, DynamoDBStreamEvent, SQSBatchResponse, SQSEvent } from "aws-lambda";
import { createScannerHandler, type ScanResult } from "../../functions/audit-log/scanner";
import { createDetectorHandler } from "../../functions/audit-log/detector";
import { createDownloaderHandler } from "../../functions/audit-log/downloader";
import { detectorSettings, downloaderSettings, endpointOverride, scannerSettings } from "../../functions/audit-log/settings";
import { deferUntilFirstEvent } from "../../functions/shared/env";
import { InlineLambda } from "../lambda";
import { PolicyStatement } from "../iam";
import { arn, viaService } from "../partition";
import { type AuditLogPipelineArgs, KEY_PREFIX, METRIC_NAMESPACE } from "./args";
import { DETECTOR_TIMEOUT, type PipelineState } from "./state";

const SCANNER_TIMEOUT = 120;

export interface PipelineFunctions {
  scanner: InlineLambda<unknown, ScanResult>;
  detector: InlineLambda<SQSEvent, SQSBatchResponse>;
  downloader: InlineLambda<DynamoDBStreamEvent, DynamoDBBatchResponse>;
}

/** A statement allowing `actions` on the pipeline's key, only through `service`. */
export function keyVia(state: PipelineState, region: pulumi.Input<string>, parent: pulumi.ResourceOptions) {
  return (service: string, actions: string[], sid: string): PolicyStatement => ({
    Sid: sid,
    Effect: "Allow",
    Action: actions,
    Resource: [state.key.arn],
    Condition: { StringEquals: { "kms:ViaService": viaService(service, region, parent) } },
  });
}

export function pipelineFunctions(
  name: string,
  args: AuditLogPipelineArgs,
  state: PipelineState,
  ctx: { region: pulumi.Input<string>; pipelineName: string; parent: pulumi.ResourceOptions },
): PipelineFunctions {
  const { region, pipelineName, parent } = ctx;
  const tags = args.tags;
  const rdsArn = (resource: string) => arn({ service: "rds", resource }, parent);
  const indexArn = pulumi.interpolate`${state.table.arn}/index/PendingSince`;
  const keyStatement = keyVia(state, region, parent);
  const common = { stack: args.stack, logKeyArn: args.logKeyArn, logRetentionDays: args.logRetentionDays, vpc: args.vpc, tags };

  const scanner = new InlineLambda<unknown, ScanResult>(
    `${name}-scanner`,
    {
      description: "Audit-log pipeline scanner: finds Aurora MySQL instances with server_audit_logging on and queues one message per instance",
      callbackFactory: () => {
        // The environment as the container started (read on the first event, see deferUntilFirstEvent).
        const env = { ...process.env };
        const rds = new RDSClient({ endpoint: endpointOverride(env, "RDS"), maxAttempts: 8 });
        const sqs = new SQSClient({ endpoint: endpointOverride(env, "SQS"), maxAttempts: 8 });
        return deferUntilFirstEvent(() => createScannerHandler({ rds, sqs, ...scannerSettings(env) }));
      },
      statements: [
        { Sid: "DescribeInstances", Effect: "Allow", Action: ["rds:DescribeDBInstances"], Resource: [rdsArn("db:*")] },
        { Sid: "DescribeClusters", Effect: "Allow", Action: ["rds:DescribeDBClusters"], Resource: [rdsArn("cluster:*")] },
        { Sid: "ReadClusterParameters", Effect: "Allow", Action: ["rds:DescribeDBClusterParameters"], Resource: [rdsArn("cluster-pg:*")] },
        { Sid: "QueueInstances", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [state.queue.arn] },
        keyStatement("sqs", ["kms:GenerateDataKey", "kms:Decrypt"], "EncryptQueueMessages"),
      ],
      environment: { queueUrl: state.queue.url },
      timeout: SCANNER_TIMEOUT,
      memorySize: 256,
      ...common,
    },
    parent,
  );

  const detector = new InlineLambda<SQSEvent, SQSBatchResponse>(
    `${name}-detector`,
    {
      description: "Audit-log pipeline detector: records new or changed audit/ log files of one instance in DynamoDB",
      callbackFactory: () => {
        // The environment as the container started (read on the first event, see deferUntilFirstEvent).
        const env = { ...process.env };
        const rds = new RDSClient({ endpoint: endpointOverride(env, "RDS"), maxAttempts: 8 });
        const dynamodb = new DynamoDBClient({ endpoint: endpointOverride(env, "DYNAMODB"), maxAttempts: 8 });
        return deferUntilFirstEvent(() => createDetectorHandler({ rds, dynamodb, ...detectorSettings(env) }));
      },
      statements: [
        { Sid: "ListLogFiles", Effect: "Allow", Action: ["rds:DescribeDBLogFiles"], Resource: [rdsArn("db:*")] },
        { Sid: "TrackFiles", Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:UpdateItem"], Resource: [state.table.arn] },
        { Sid: "FindOldestPending", Effect: "Allow", Action: ["dynamodb:Query"], Resource: [indexArn] },
        {
          Sid: "ConsumeInstanceQueue",
          Effect: "Allow",
          // What Lambda's SQS event source mapping calls (AWSLambdaSQSQueueExecutionRole):
          // https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html#events-sqs-permissions
          Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
          Resource: [state.queue.arn],
        },
        keyStatement("sqs", ["kms:Decrypt"], "DecryptQueueMessages"),
        keyStatement("dynamodb", ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "UseTableKey"),
      ],
      environment: { tableName: state.table.name, pipelineName, metricNamespace: METRIC_NAMESPACE },
      timeout: DETECTOR_TIMEOUT,
      memorySize: 256,
      ...common,
    },
    parent,
  );

  const objectsArn = pulumi.interpolate`${args.archiveBucketArn}/${KEY_PREFIX}*`;
  const downloader = new InlineLambda<DynamoDBStreamEvent, DynamoDBBatchResponse>(
    `${name}-downloader`,
    {
      description: "Audit-log pipeline downloader: streams each new or changed audit log file into the archive bucket",
      callbackFactory: () => {
        // The environment as the container started (read on the first event, see deferUntilFirstEvent).
        const env = { ...process.env };
        const s3Endpoint = endpointOverride(env, "S3");
        const rds = new RDSClient({ endpoint: endpointOverride(env, "RDS"), maxAttempts: 8 });
        const s3 = new S3Client({ endpoint: s3Endpoint, forcePathStyle: !!s3Endpoint, maxAttempts: 8 });
        const dynamodb = new DynamoDBClient({ endpoint: endpointOverride(env, "DYNAMODB"), maxAttempts: 8 });
        return deferUntilFirstEvent(() => createDownloaderHandler({ rds, s3, dynamodb, ...downloaderSettings(env) }));
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
        { Sid: "RecordBackups", Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:UpdateItem"], Resource: [state.table.arn] },
        // What Lambda's DynamoDB event source mapping calls (AWSLambdaDynamoDBExecutionRole):
        // https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-create.html#events-dynamodb-permissions
        {
          Sid: "ReadTableStream",
          Effect: "Allow",
          Action: ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"],
          Resource: [state.table.streamArn],
        },
        // ListStreams has no resource-level permission (the service authorization reference lists no resource type).
        { Sid: "ListTableStreams", Effect: "Allow", Action: ["dynamodb:ListStreams"], Resource: "*" },
        keyStatement("dynamodb", ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"], "UseTableKey"),
        { Sid: "SendFailedBatchesToDlq", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [state.deadLetterQueue.arn] },
        keyStatement("sqs", ["kms:GenerateDataKey", "kms:Decrypt"], "EncryptDlqMessages"),
      ],
      environment: {
        tableName: state.table.name,
        archiveBucketName: args.archiveBucketName,
        archiveKmsKeyArn: args.archiveKmsKeyArn,
        keyPrefix: KEY_PREFIX,
        partSizeMb: String(args.partSizeMb ?? 8),
        restPathVersion: args.restPathVersion ?? "v13",
        pipelineName,
        metricNamespace: METRIC_NAMESPACE,
      },
      timeout: args.downloaderTimeoutSeconds ?? 900,
      memorySize: args.downloaderMemoryMb ?? 1024,
      ...common,
    },
    parent,
  );
  return { scanner, detector, downloader };
}
