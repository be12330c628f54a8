/** functions/audit-log/detector.ts against aws-sdk-client-mock: exact API parameters, conditions and failure handling. */
import { DescribeDBLogFilesCommand, RDSClient } from "@aws-sdk/client-rds";
import {
  BatchGetItemCommand,
  DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  UpdateItemCommand,
  ConditionalCheckFailedException,
} from "@aws-sdk/client-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { createDetectorHandler, needsRecord } from "../../../functions/audit-log/detector";
import { metricValues } from "../../helpers/cloudwatch-emf";
import { runInLambdaRuntime } from "../../helpers/lambda-runtime-logs";

const quiet = () => undefined;
const condFailed = () => new ConditionalCheckFailedException({ message: "The conditional request failed", $metadata: {} });

describe("detector", () => {
  test("lists audit/ files since watermark - overlap, writes only changed files with a monotonic condition, no write when unchanged", async () => {
    const rds = mockClient(RDSClient);
    const ddb = mockClient(DynamoDBClient);
    ddb.on(GetItemCommand).resolves({ Item: { Watermark: { N: "1000000" } } });
    rds
      .on(DescribeDBLogFilesCommand, { Marker: undefined })
      .resolves({ DescribeDBLogFiles: [{ LogFileName: "audit/a", Size: 10, LastWritten: 999_000 }], Marker: "m" })
      .on(DescribeDBLogFilesCommand, { Marker: "m" })
      .resolves({
        DescribeDBLogFiles: [
          { LogFileName: "audit/b", Size: 20, LastWritten: 1_000_500 },
          { LogFileName: "slowquery/x", Size: 1, LastWritten: 1_000_600 },
        ],
      });
    ddb.on(BatchGetItemCommand).resolves({ Responses: { t: [{ LogFileName: { S: "audit/a" }, Size: { N: "10" }, LastWritten: { N: "999000" } }] } });
    ddb.on(UpdateItemCommand).resolves({});
    ddb.on(QueryCommand).resolves({ Items: [{ PendingSince: { N: "1000000" } }] });
    const lines: string[] = [];
    const handler = createDetectorHandler({
      rds: new RDSClient({}),
      dynamodb: new DynamoDBClient({}),
      tableName: "t",
      overlapMs: 60_000,
      now: () => 1_030_000,
      log: (l) => lines.push(l),
    });
    const { result: out, lines: stream } = await runInLambdaRuntime(() =>
      handler({ Records: [{ messageId: "m1", body: JSON.stringify({ DBInstanceIdentifier: "db1", ScannedAt: "x" }) } as never] }),
    );
    expect(out).toEqual({ batchItemFailures: [] });
    const list = rds.commandCalls(DescribeDBLogFilesCommand)[0].args[0].input;
    expect(list).toMatchObject({ DBInstanceIdentifier: "db1", FilenameContains: "audit/", FileLastWritten: 940_000 });
    const updates = ddb.commandCalls(UpdateItemCommand).map((c) => c.args[0].input);
    expect(updates).toHaveLength(2); // audit/b and the watermark; audit/a unchanged; slowquery ignored
    expect(updates[0].Key).toEqual({ DBInstanceIdentifier: { S: "db1" }, LogFileName: { S: "audit/b" } });
    expect(updates[0].ConditionExpression).toBe("attribute_not_exists(LogFileName) OR LastWritten < :lw OR (LastWritten = :lw AND #s <> :size)");
    expect(updates[0].ExpressionAttributeValues).toMatchObject({ ":size": { N: "20" }, ":lw": { N: "1000500" } });
    expect(updates[1]).toMatchObject({
      Key: { LogFileName: { S: "#watermark" } },
      ConditionExpression: "attribute_not_exists(Watermark) OR Watermark < :w",
      ExpressionAttributeValues: { ":w": { N: "1000500" } },
    });
    const batchGet = ddb.commandCalls(BatchGetItemCommand)[0].args[0].input.RequestItems!.t;
    expect(batchGet.ConsistentRead).toBe(true);
    const query = ddb.commandCalls(QueryCommand)[0].args[0].input;
    expect(query).toMatchObject({ IndexName: "PendingSince", ScanIndexForward: true, Limit: 1 });
    // The metric as CloudWatch extracts it from the log stream (emf.test.ts covers the rest).
    expect(metricValues(stream, "CnLogBackup/AuditLog", "OldestPendingAgeSeconds")).toEqual([30]);
    rds.restore();
    ddb.restore();
  });
  test("a concurrent newer detection makes the write a no-op, not a failure", async () => {
    const rds = mockClient(RDSClient);
    const ddb = mockClient(DynamoDBClient);
    ddb.on(GetItemCommand).resolves({});
    rds.on(DescribeDBLogFilesCommand).resolves({ DescribeDBLogFiles: [{ LogFileName: "audit/a", Size: 10, LastWritten: 5 }] });
    ddb.on(BatchGetItemCommand).resolves({ Responses: { t: [] } });
    ddb.on(UpdateItemCommand).rejects(condFailed());
    ddb.on(QueryCommand).resolves({ Items: [] });
    const handler = createDetectorHandler({ rds: new RDSClient({}), dynamodb: new DynamoDBClient({}), tableName: "t", log: quiet });
    expect(await handler({ Records: [{ messageId: "m1", body: JSON.stringify({ DBInstanceIdentifier: "db1" }) } as never] })).toEqual({
      batchItemFailures: [],
    });
    expect(await handler({ Records: [{ messageId: "bad", body: "{}" } as never] })).toEqual({ batchItemFailures: [{ itemIdentifier: "bad" }] });
    rds.restore();
    ddb.restore();
  });
  test("needsRecord: new, grown, rewritten; not unchanged or older", () => {
    expect(needsRecord({ LogFileName: "a", Size: 1, LastWritten: 1 }, undefined)).toBe(true);
    expect(needsRecord({ LogFileName: "a", Size: 2, LastWritten: 1 }, { Size: 1, LastWritten: 1 })).toBe(true);
    expect(needsRecord({ LogFileName: "a", Size: 1, LastWritten: 2 }, { Size: 1, LastWritten: 1 })).toBe(true);
    expect(needsRecord({ LogFileName: "a", Size: 1, LastWritten: 1 }, { Size: 1, LastWritten: 1 })).toBe(false);
    expect(needsRecord({ LogFileName: "a", Size: 5, LastWritten: 1 }, { Size: 1, LastWritten: 2 })).toBe(false);
  });
});
