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
import { PolicyStatement } from "./iam";
import type { InlineLambda, LambdaVpcConfig } from "./lambda";
import { viaService } from "./partition";
import { type CompletenessReportArgs, scheduledReporter } from "./scheduled-report";
import { AUDIT_REPORT_PREFIX, createAuditReportHandler } from "../functions/audit-log/completeness-report";

export interface AuditLogCompletenessArgs extends CompletenessReportArgs {
  /** The audit-log pipeline's table, and the key it is encrypted with. */
  readonly tableName: pulumi.Input<string>;
  readonly tableArn: pulumi.Input<string>;
  readonly tableKeyArn: pulumi.Input<string>;
  readonly pipelineName: pulumi.Input<string>;
  /** The archive the report is written into (reports/completeness/audit-logs/), and its key. */
  readonly archiveBucketName: pulumi.Input<string>;
  readonly archiveBucketArn: pulumi.Input<string>;
  readonly archiveKeyArn: pulumi.Input<string>;
  /** The stack's Lambda log key, and where its functions run. */
  readonly logKeyArn: pulumi.Input<string>;
  readonly vpc?: LambdaVpcConfig;
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
    const statements = auditReportStatements({
      tableArn: args.tableArn,
      tableKeyArn: args.tableKeyArn,
      bucketArn: args.archiveBucketArn,
      archiveKeyArn: args.archiveKeyArn,
      region: args.region,
      parent: this,
    });
    const reporting = scheduledReporter(
      name,
      args,
      {
        scheduleDescription: "cn-log-backup: daily audit-log completeness report",
        alarmDescription: "Audit-log completeness: the report could not be made (function errors or dead-lettered runs)",
        callbackFactory: () => createAuditReportHandler({ dynamodb: new DynamoDBClient({}), s3: new S3Client({}) }, { ...process.env }),
        description: "cn-log-backup: lists missed and overdue audit log files in reports/completeness/audit-logs/",
        statements,
        timeout: 300,
        logKeyArn: args.logKeyArn,
        vpc: args.vpc,
        // Named as the Args fields they carry; functions/audit-log/completeness-report.ts auditReportSettingsFromEnv reads them.
        environment: {
          tableName: args.tableName,
          archiveBucketName: args.archiveBucketName,
          archiveKeyArn: args.archiveKeyArn,
          graceHours: String(args.graceHours),
          pipelineName: args.pipelineName,
        },
      },
      parent,
    );
    this.reporter = reporting.reporter;
    this.failureQueue = reporting.failureQueue;
    this.alarm = reporting.alarm;
    this.registerOutputs({ functionName: this.reporter.name });
  }
}
