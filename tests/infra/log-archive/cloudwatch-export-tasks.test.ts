/** CloudWatch Logs via export tasks (infra/log-archive/cloudwatch-export-tasks.ts). */
import { ACCOUNT_ID, ofType, one, runStack } from "../../helpers/pulumi";
import type { StackRun } from "../../../tools/harness";
import { stmt, primaryStacks } from "./helpers";

describe("LogArchive CloudWatch Logs via export tasks: variants", () => {
  test("exportTask mode: no Firehose, an exporter Lambda (concurrency 1), logs may write exports/ only", async () => {
    const run = await runStack("cn-north-1", {
      config: { logArchive: { cloudWatchLogsMode: "exportTask", exportPeriod: "day", exportSchedule: "rate(30 minutes)" } },
    });
    expect(ofType(run, "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream")).toHaveLength(0);
    expect(ofType(run, "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter")).toHaveLength(0);
    const fn = one(run, "aws:lambda/function:Function", "log-archive-exporter");
    expect(fn.inputs.reservedConcurrentExecutions).toBe(1);
    expect(fn.inputs.timeout).toBe(900);
    const bucket = one(run, "aws:s3/bucket:Bucket", "log-archive-archive");
    expect(fn.inputs.environment.variables).toMatchObject({
      archiveBucketName: bucket.state.bucket,
      exportPeriod: "day",
      cursorKey: "state/log-archive/export-cursor.json",
    });
    expect(one(run, "aws:cloudwatch/eventRule:EventRule", "log-archive-export-schedule").inputs.scheduleExpression).toBe("rate(30 minutes)");
    const p = one(run, "aws:s3/bucketPolicy:BucketPolicy", "log-archive-archive-policy");
    expect(stmt(p, "CloudWatchLogsExportWrites")).toEqual({
      Sid: "CloudWatchLogsExportWrites",
      Effect: "Allow",
      Principal: { Service: "logs.cn-north-1.amazonaws.com.cn" },
      Action: ["s3:PutObject"],
      Resource: [`${bucket.state.arn}/exports/*`],
      Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID }, ArnLike: { "aws:SourceArn": `arn:aws-cn:logs:cn-north-1:${ACCOUNT_ID}:*` } },
    });
    expect(stmt(one(run, "aws:kms/key:Key", "log-archive-archive-key"), "CloudWatchLogsExportsIntoTheArchive")).toMatchObject({
      Principal: { Service: "logs.cn-north-1.amazonaws.com.cn" },
      Action: ["kms:Encrypt", "kms:GenerateDataKey"],
      Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID }, ArnLike: { "aws:SourceArn": `arn:aws-cn:logs:cn-north-1:${ACCOUNT_ID}:*` } },
    });
    const pol = one(run, "aws:iam/rolePolicy:RolePolicy", "log-archive-exporter-policy");
    expect(stmt(pol, "ReadWriteCursor").Resource).toEqual([`${bucket.state.arn}/state/log-archive/export-cursor.json`]);
  });
});
