/**
 * The export-task chain (exportTask mode): one Lambda exports each matching log group, period by
 * period, into `exports/` (the logs service writes there through the archive's bucket and key
 * grants, ./prefixes.ts), keeping its cursor in `state/`. Its logic is
 * functions/log-archive/export-tasks.ts.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { S3Client } from "@aws-sdk/client-s3";
import { eventRuleTarget } from "../event-rule";
import { InlineLambda } from "../lambda";
import { arn, viaService } from "../partition";
import { createExportTaskHandler, ExportPeriod } from "../../functions/log-archive/export-tasks";
import { exportTaskSettings } from "../../functions/log-archive/settings";
import { deferUntilFirstEvent } from "../../functions/shared/env";
import type { LogArchive } from "./archive";
import type { ShippingFunctionArgs } from "./cloudwatch-logs";
import { EXPORT_CURSOR_KEY } from "./prefixes";

export function cloudWatchLogsViaExportTasks(
  archive: LogArchive,
  args: ShippingFunctionArgs & { exportPeriod: ExportPeriod; exportSchedule: string },
): { exporter: InlineLambda; rule: aws.cloudwatch.EventRule } {
  const name = archive.name;
  const parent = { parent: archive };
  const exporter = new InlineLambda<unknown, unknown>(
    `${name}-exporter`,
    {
      description: "cn-log-backup LogArchive: exports each matching log group, period by period, to exports/",
      callbackFactory: () => {
        // The environment as the container started (read on the first event, see deferUntilFirstEvent).
        const env = { ...process.env };
        const logs = new CloudWatchLogsClient({});
        const s3 = new S3Client({});
        return deferUntilFirstEvent(() => createExportTaskHandler({ logs, s3, ...exportTaskSettings(env) }));
      },
      statements: [
        {
          Sid: "ExportLogGroups",
          Effect: "Allow",
          Action: ["logs:DescribeLogGroups", "logs:CreateExportTask"],
          Resource: [arn({ service: "logs", resource: "log-group:*" }, parent)],
        },
        // DescribeExportTasks has no resource-level permission.
        { Sid: "WatchExportTasks", Effect: "Allow", Action: ["logs:DescribeExportTasks"], Resource: "*" },
        {
          Sid: "ReadWriteCursor",
          Effect: "Allow",
          Action: ["s3:GetObject", "s3:PutObject"],
          Resource: [pulumi.interpolate`${archive.bucketArn}/${EXPORT_CURSOR_KEY}`],
        },
        {
          Sid: "CursorEncryption",
          Effect: "Allow",
          Action: ["kms:GenerateDataKey", "kms:Decrypt"],
          Resource: [archive.key.arn],
          Condition: { StringEquals: { "kms:ViaService": viaService("s3", archive.region, parent) } },
        },
      ],
      // Named as the config keys / Args fields they carry; functions/log-archive/settings.ts reads them.
      environment: {
        archiveBucketName: archive.bucketName,
        exportPeriod: args.exportPeriod,
        cursorKey: EXPORT_CURSOR_KEY,
        logGroupPatterns: JSON.stringify(args.patterns),
      },
      timeout: 900,
      // One writer of the cursor, one export chain. (Needs one unit of the account's concurrency
      // beyond the unreserved minimum of 10; new accounts with a limit of 10 must raise it.)
      reservedConcurrency: 1,
      asyncFailure: { maximumRetryAttempts: 0, maximumEventAgeInSeconds: 3600, onFailureQueueArn: args.failureQueue.arn },
      ...args.lambda,
    },
    parent,
  );
  const { rule } = eventRuleTarget(
    `${name}-export-schedule`,
    {
      rule: { description: "cn-log-backup: continue the CloudWatch Logs export-task chain", scheduleExpression: args.exportSchedule, tags: args.lambda.tags },
      targetArn: exporter.arn,
      invoke: exporter,
      retryPolicy: args.targetRetry,
      deadLetterQueue: args.deadLetters,
      targetName: `${name}-exporter-target-0`,
      permissionName: `${name}-exporter-invoke-0`,
    },
    parent,
  );
  return { exporter, rule };
}
