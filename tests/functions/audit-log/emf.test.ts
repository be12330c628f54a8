/**
 * The audit-log functions' custom metrics as CloudWatch sees them: the handlers run with console
 * patched as the nodejs22.x runtime does under `logFormat: JSON` (tests/helpers/lambda-runtime-logs.ts),
 * and the captured log stream is read as CloudWatch's EMF extraction reads it
 * (tests/helpers/cloudwatch-emf.ts). The alarms of infra/audit-log-pipeline/ select on these
 * names, the namespace and the `Pipeline` dimension.
 */
import { BatchGetItemCommand, DynamoDBClient, GetItemCommand, QueryCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { DescribeDBLogFilesCommand, RDSClient } from "@aws-sdk/client-rds";
import { S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import type { DynamoDBRecord } from "aws-lambda";
import { createDetectorHandler } from "../../../functions/audit-log/detector";
import { createDownloaderHandler } from "../../../functions/audit-log/downloader";
import { extractMetrics, metricValues } from "../../helpers/cloudwatch-emf";
import { runInLambdaRuntime } from "../../helpers/lambda-runtime-logs";

const NS = "CnLogBackup/AuditLog";
// A recent time: CloudWatch (and the library) accept metric timestamps from the last two weeks only.
const T0 = Math.floor(Date.now() / 1000) * 1000 - 60_000;

describe("the log stream helpers themselves", () => {
  test("console.log of an EMF document under JSON format is wrapped, and CloudWatch extracts nothing from it", async () => {
    const emf = {
      _aws: { Timestamp: 1, CloudWatchMetrics: [{ Namespace: NS, Dimensions: [["Pipeline"]], Metrics: [{ Name: "MissedFiles", Unit: "Count" }] }] },
      Pipeline: "p",
      MissedFiles: 2,
    };
    const { lines } = await runInLambdaRuntime(async () => {
      console.log(JSON.stringify(emf));
      process.stdout.write(JSON.stringify(emf) + "\n");
    });
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0])).toMatchObject({ level: "INFO", requestId: expect.any(String), message: JSON.stringify(emf) });
    expect(metricsFrom([lines[0]])).toEqual([]);
    expect(metricsFrom([lines[1]])).toEqual([{ name: "MissedFiles", values: [2], dims: [{ Pipeline: "p" }] }]);
  });
  test("a dimension that names a missing member voids the document, as the spec says", () => {
    const bad = { _aws: { Timestamp: 1, CloudWatchMetrics: [{ Namespace: NS, Dimensions: [["Pipeline"]], Metrics: [{ Name: "M" }] }] }, M: 1 };
    expect(extractMetrics([JSON.stringify(bad)])).toEqual([]);
  });
});

function metricsFrom(lines: string[]) {
  return extractMetrics(lines).map((m) => ({ name: m.name, values: m.values, dims: m.dimensions }));
}

describe("detector metrics under the Lambda runtime's JSON log format", () => {
  test("OldestPendingAgeSeconds, FilesListed and FilesDetected are extracted under Pipeline", async () => {
    const rds = mockClient(RDSClient);
    const ddb = mockClient(DynamoDBClient);
    ddb.on(GetItemCommand).resolves({ Item: { Watermark: { N: String(T0) } } });
    rds.on(DescribeDBLogFilesCommand).resolves({ DescribeDBLogFiles: [{ LogFileName: "audit/b", Size: 20, LastWritten: T0 + 500 }] });
    ddb.on(BatchGetItemCommand).resolves({ Responses: { t: [] } });
    ddb.on(UpdateItemCommand).resolves({});
    ddb.on(QueryCommand).resolves({ Items: [{ PendingSince: { N: String(T0) } }] });
    // No `log` dependency: the handler logs as it does when deployed.
    const handler = createDetectorHandler({
      rds: new RDSClient({}),
      dynamodb: new DynamoDBClient({}),
      tableName: "t",
      pipelineName: "audit-cn-north-1",
      now: () => T0 + 30_000,
    });
    const { result, lines } = await runInLambdaRuntime(() =>
      handler({ Records: [{ messageId: "m1", body: JSON.stringify({ DBInstanceIdentifier: "db1", ScannedAt: "x" }) } as never] }),
    );
    expect(result).toEqual({ batchItemFailures: [] });
    expect(metricValues(lines, NS, "OldestPendingAgeSeconds")).toEqual([30]);
    expect(metricValues(lines, NS, "FilesListed")).toEqual([1]);
    expect(metricValues(lines, NS, "FilesDetected")).toEqual([1]);
    for (const m of extractMetrics(lines)) {
      expect(m.dimensions).toEqual([{ Pipeline: "audit-cn-north-1" }]);
      expect(m.timestamp).toBe(T0 + 30_000);
    }
    expect(extractMetrics(lines).find((m) => m.name === "OldestPendingAgeSeconds")!.unit).toBe("Seconds");
    rds.restore();
    ddb.restore();
  });
});

describe("downloader metrics under the Lambda runtime's JSON log format", () => {
  test("a failed download yields DownloadFailures 1 and MissedFiles/FilesBackedUp/BytesBackedUp figures", async () => {
    const ddb = mockClient(DynamoDBClient);
    const denied = Object.assign(new Error("User is not authorized"), { name: "AccessDeniedException", $metadata: { httpStatusCode: 400 } });
    ddb.on(GetItemCommand).rejects(denied);
    const record: DynamoDBRecord = {
      eventID: "e1",
      eventName: "INSERT",
      dynamodb: {
        SequenceNumber: "100",
        Keys: { DBInstanceIdentifier: { S: "db1" }, LogFileName: { S: "audit/audit.log.0" } },
        NewImage: { DBInstanceIdentifier: { S: "db1" }, LogFileName: { S: "audit/audit.log.0" }, Size: { N: "10" }, LastWritten: { N: "5" } },
      },
    };
    const handler = createDownloaderHandler({
      rds: new RDSClient({ region: "cn-north-1" }),
      s3: new S3Client({ region: "cn-north-1" }),
      dynamodb: new DynamoDBClient({ region: "cn-north-1" }),
      tableName: "t",
      archiveBucketName: "archive-bucket",
      region: "cn-north-1",
      pipelineName: "audit-cn-north-1",
      now: () => 777,
    } as never);
    const { result, lines } = await runInLambdaRuntime(() => handler({ Records: [record] }));
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: "100" }]);
    expect(metricValues(lines, NS, "DownloadFailures")).toEqual([1]);
    expect(metricValues(lines, NS, "MissedFiles")).toEqual([0]);
    expect(metricValues(lines, NS, "FilesBackedUp")).toEqual([0]);
    expect(metricValues(lines, NS, "BytesBackedUp")).toEqual([0]);
    expect(new Set(extractMetrics(lines).map((m) => JSON.stringify(m.dimensions)))).toEqual(new Set([JSON.stringify([{ Pipeline: "audit-cn-north-1" }])]));
    ddb.restore();
  });
});
