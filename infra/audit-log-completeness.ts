/**
 * AuditLogCompleteness (primary stack, `logArchive.completeness` with the audit-log pipeline on):
 * a daily sibling of the replica's completeness report, written next to the pipeline's table:
 * the audit log files the pipeline recorded as missed and those pending longer than the grace
 * period (functions/audit-log/completeness-report.ts), into the archive's
 * `reports/completeness/audit-logs/` (SSE-KMS with the archive key; replicated to Ningxia).
 * Its own role (Scan of the one table, its key through DynamoDB, PutObject of its prefix), a
 * key-encrypted log group, EventBridge schedule with bounded retries and a dead-letter queue, and
 * an alarm when a report could not be made.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { denyInsecureTransport, policyDocument, PolicyStatement } from "./iam";
import { InlineLambda, LambdaVpcConfig } from "./lambda";
import { servicePrincipal, viaService } from "./partition";
import { AUDIT_REPORT_PREFIX, auditReportSettingsFromEnv, runAuditReport } from "../functions/audit-log/completeness-report";

export interface AuditLogCompletenessArgs {
  readonly tableName: pulumi.Input<string>;
  readonly tableArn: pulumi.Input<string>;
  /** The key the table is encrypted with. */
  readonly tableKeyArn: pulumi.Input<string>;
  readonly pipelineName: pulumi.Input<string>;
  readonly archiveBucketName: pulumi.Input<string>;
  readonly archiveBucketArn: pulumi.Input<string>;
  readonly archiveKeyArn: pulumi.Input<string>;
  readonly region: string;
  readonly graceHours: number;
  readonly schedule: string;
  readonly alarmActions: pulumi.Input<string>[];
  readonly logKeyArn: pulumi.Input<string>;
  readonly logRetentionDays: number;
  readonly vpc?: LambdaVpcConfig;
  readonly tags?: Record<string, string>;
}

export function auditReportStatements(a: {
  tableArn: pulumi.Input<string>;
  tableKeyArn: pulumi.Input<string>;
  bucketArn: pulumi.Input<string>;
  archiveKeyArn: pulumi.Input<string>;
  region: string;
  parent: pulumi.Resource;
}): PolicyStatement[] {
  const p = { parent: a.parent };
  return [
    { Sid: "ScanPipelineTable", Effect: "Allow", Action: ["dynamodb:Scan"], Resource: [a.tableArn] },
    {
      Sid: "TableKeyViaDynamoDB",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: [a.tableKeyArn],
      Condition: { StringEquals: { "kms:ViaService": viaService("dynamodb", a.region, p) } },
    },
    { Sid: "WriteAuditReports", Effect: "Allow", Action: ["s3:PutObject"], Resource: [pulumi.interpolate`${a.bucketArn}/${AUDIT_REPORT_PREFIX}*`] },
    {
      Sid: "ArchiveKeyViaS3",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey"],
      Resource: [a.archiveKeyArn],
      Condition: { StringEquals: { "kms:ViaService": viaService("s3", a.region, p) } },
    },
  ];
}

export class AuditLogCompleteness extends pulumi.ComponentResource {
  readonly reporter: InlineLambda;
  readonly failureQueue: aws.sqs.Queue;
  readonly alarm: aws.cloudwatch.MetricAlarm;

  constructor(name: string, args: AuditLogCompletenessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("cn-log-backup:index:AuditLogCompleteness", name, {}, opts);
    const parent = { parent: this };
    const tags = args.tags;
    this.failureQueue = new aws.sqs.Queue(`${name}-failures`, { messageRetentionSeconds: 1209600, sqsManagedSseEnabled: true, tags }, parent);
    this.reporter = new InlineLambda<unknown, unknown>(
      `${name}-reporter`,
      {
        description: "cn-log-backup: lists missed and overdue audit log files in reports/completeness/audit-logs/",
        callbackFactory: () => {
          const dynamodb = new DynamoDBClient({});
          const s3 = new S3Client({});
          return async () => {
            const r = await runAuditReport({ dynamodb, s3 }, auditReportSettingsFromEnv(process.env));
            return { missed: r.missed.length, pendingTooLong: r.pendingTooLong.length };
          };
        },
        statements: auditReportStatements({
          tableArn: args.tableArn,
          tableKeyArn: args.tableKeyArn,
          bucketArn: args.archiveBucketArn,
          archiveKeyArn: args.archiveKeyArn,
          region: args.region,
          parent: this,
        }),
        environment: {
          TABLE_NAME: args.tableName,
          ARCHIVE_BUCKET: args.archiveBucketName,
          REPORT_KMS_KEY_ARN: args.archiveKeyArn,
          GRACE_HOURS: String(args.graceHours),
          PIPELINE_NAME: args.pipelineName,
        },
        timeout: 300,
        reservedConcurrency: 1,
        asyncFailure: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 21600, onFailureQueueArn: this.failureQueue.arn },
        logKeyArn: args.logKeyArn,
        logRetentionDays: args.logRetentionDays,
        vpc: args.vpc,
        tags,
      },
      parent,
    );
    const rule = new aws.cloudwatch.EventRule(
      `${name}-schedule`,
      { description: "cn-log-backup: daily audit-log completeness report", scheduleExpression: args.schedule, tags },
      parent,
    );
    const permission = this.reporter.allowInvoke(`${name}-invoke`, { service: "events", sourceArn: rule.arn });
    new aws.cloudwatch.EventTarget(
      `${name}-target`,
      {
        rule: rule.name,
        arn: this.reporter.arn,
        retryPolicy: { maximumRetryAttempts: 8, maximumEventAgeInSeconds: 3600 },
        deadLetterConfig: { arn: this.failureQueue.arn },
      },
      { parent: this, dependsOn: [permission] },
    );
    new aws.sqs.QueuePolicy(
      `${name}-failures-policy`,
      {
        queueUrl: this.failureQueue.url,
        policy: policyDocument([
          denyInsecureTransport([this.failureQueue.arn], "sqs:*"),
          {
            // https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
            Sid: "EventBridgeDeadLetters",
            Effect: "Allow",
            Principal: { Service: servicePrincipal("events", parent) },
            Action: ["sqs:SendMessage"],
            Resource: [this.failureQueue.arn],
            Condition: { ArnEquals: { "aws:SourceArn": rule.arn } },
          },
        ]),
      },
      parent,
    );
    this.alarm = new aws.cloudwatch.MetricAlarm(
      `${name}-report-failed`,
      {
        alarmDescription: "Audit-log completeness: the report could not be made (function errors or dead-lettered runs)",
        metricQueries: [
          {
            id: "errors",
            metric: { namespace: "AWS/Lambda", metricName: "Errors", dimensions: { FunctionName: this.reporter.name }, period: 3600, stat: "Sum" },
          },
          {
            id: "dlq",
            metric: {
              namespace: "AWS/SQS",
              metricName: "ApproximateNumberOfMessagesVisible",
              dimensions: { QueueName: this.failureQueue.name },
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
        alarmActions: args.alarmActions,
        okActions: args.alarmActions,
        tags,
      },
      parent,
    );
    this.registerOutputs({ functionName: this.reporter.name });
  }
}
