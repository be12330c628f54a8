/**
 * The audit-log functions against aws-sdk-client-mock: exact API parameters, conditions and
 * failure handling, without servers (except the fake RDS REST endpoint where a download needs one).
 */
import { DescribeDBClusterParametersCommand, DescribeDBClustersCommand, DescribeDBInstancesCommand, DescribeDBLogFilesCommand, DownloadDBLogFilePortionCommand, RDSClient } from "@aws-sdk/client-rds";
import { BatchGetItemCommand, DynamoDBClient, GetItemCommand, QueryCommand, UpdateItemCommand, ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { CompleteMultipartUploadCommand, CreateMultipartUploadCommand, PutObjectCommand, S3Client, UploadPartCommand, AbortMultipartUploadCommand } from "@aws-sdk/client-s3";
import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { backoffDelay, objectKeyFor, partitionOf, rdsRestEndpointFor } from "../../../functions/audit-log/common";
import { createScannerHandler, isOn } from "../../../functions/audit-log/scanner";
import { createDetectorHandler, needsRecord } from "../../../functions/audit-log/detector";
import { alreadyCovered, completeFilePath, createDownloaderHandler, hasTruncationMarker, jobFromRecord, portionStream, transfer } from "../../../functions/audit-log/downloader";
import { FAKE_CREDENTIALS, startFakeRds } from "../../helpers/fake-rds";
import { content } from "../../helpers/log-content";
import { metricValues } from "../../helpers/cloudwatch-emf";
import { runInLambdaRuntime } from "../../helpers/lambda-runtime-logs";

const quiet = () => undefined;
const noSleep = async () => undefined;
const condFailed = () => new ConditionalCheckFailedException({ message: "The conditional request failed", $metadata: {} });

describe("common", () => {
  test("the REST endpoint host follows the region's partition DNS suffix", () => {
    expect(rdsRestEndpointFor("cn-north-1")).toBe("https://rds.cn-north-1.amazonaws.com.cn");
    expect(rdsRestEndpointFor("cn-northwest-1")).toBe("https://rds.cn-northwest-1.amazonaws.com.cn");
    expect(rdsRestEndpointFor("eu-west-1")).toBe("https://rds.eu-west-1.amazonaws.com");
    expect(partitionOf("cn-northwest-1")).toBe("aws-cn");
    expect(() => rdsRestEndpointFor("evil.example.com/x")).toThrow(/not an AWS region/);
  });
  test("object keys are audit-logs/{instance}/{file} and refuse path tricks", () => {
    expect(objectKeyFor("db-1", "audit/audit.log.0.2026-11-22-00-00.0")).toBe("audit-logs/db-1/audit/audit.log.0.2026-11-22-00-00.0");
    expect(() => objectKeyFor("db-1", "audit/../../x")).toThrow();
    expect(() => objectKeyFor("a/b", "audit/x")).toThrow();
  });
  test("backoff is full jitter under an exponential, capped ceiling", () => {
    const s = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(0, s, () => 0.999)).toBe(99);
    expect(backoffDelay(3, s, () => 0.5)).toBe(400);
    expect(backoffDelay(10, s, () => 0.999)).toBe(999);
    expect(backoffDelay(2, s, () => 0)).toBe(0);
  });
});

describe("scanner", () => {
  test("filters by engine, pages with Marker, and throws when SQS keeps refusing entries (SenderFault is not retried)", async () => {
    const rds = mockClient(RDSClient);
    rds
      .on(DescribeDBInstancesCommand, { Marker: undefined })
      .resolves({ DBInstances: [{ DBInstanceIdentifier: "a", DBClusterIdentifier: "c", Engine: "aurora-mysql", DBInstanceStatus: "available" }], Marker: "p2" })
      .on(DescribeDBInstancesCommand, { Marker: "p2" })
      .resolves({ DBInstances: [{ DBInstanceIdentifier: "b", DBClusterIdentifier: "c", Engine: "aurora-mysql", DBInstanceStatus: "available" }] });
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ DBClusterIdentifier: "c", DBClusterParameterGroup: "g" }] });
    rds.on(DescribeDBClusterParametersCommand).resolves({ Parameters: [{ ParameterName: "server_audit_logging", ParameterValue: "ON" }] });
    const sqs = mockClient(SQSClient);
    sqs.on(SendMessageBatchCommand).callsFake((input) => ({
      Successful: [{ Id: input.Entries[1].Id, MessageId: "1", MD5OfMessageBody: "" }],
      Failed: [{ Id: input.Entries[0].Id, Code: "InvalidParameterValue", SenderFault: true, Message: "bad" }],
    }));
    const handler = createScannerHandler({ rds: new RDSClient({}), sqs: new SQSClient({}), queueUrl: "q", sleep: noSleep, log: quiet });
    await expect(handler({})).rejects.toThrow(/could not queue 1 of 2 .*InvalidParameterValue/);
    expect(rds.commandCalls(DescribeDBInstancesCommand)[0].args[0].input.Filters).toEqual([{ Name: "engine", Values: ["aurora-mysql", "aurora"] }]);
    expect(rds.commandCalls(DescribeDBClusterParametersCommand)[0].args[0].input.DBClusterParameterGroupName).toBe("g");
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(1);
    rds.restore();
    sqs.restore();
  });
  test("isOn reads MySQL booleans", () => {
    expect(["1", "ON", "on", "true"].map(isOn)).toEqual([true, true, true, true]);
    expect(["0", "OFF", "", undefined].map(isOn)).toEqual([false, false, false, false]);
  });
});

describe("detector", () => {
  test("lists audit/ files since watermark - overlap, writes only changed files with a monotonic condition, no write when unchanged", async () => {
    const rds = mockClient(RDSClient);
    const ddb = mockClient(DynamoDBClient);
    ddb.on(GetItemCommand).resolves({ Item: { Watermark: { N: "1000000" } } });
    rds
      .on(DescribeDBLogFilesCommand, { Marker: undefined })
      .resolves({ DescribeDBLogFiles: [{ LogFileName: "audit/a", Size: 10, LastWritten: 999_000 }], Marker: "m" })
      .on(DescribeDBLogFilesCommand, { Marker: "m" })
      .resolves({ DescribeDBLogFiles: [{ LogFileName: "audit/b", Size: 20, LastWritten: 1_000_500 }, { LogFileName: "slowquery/x", Size: 1, LastWritten: 1_000_600 }] });
    ddb.on(BatchGetItemCommand).resolves({ Responses: { t: [{ LogFileName: { S: "audit/a" }, Size: { N: "10" }, LastWritten: { N: "999000" } }] } });
    ddb.on(UpdateItemCommand).resolves({});
    ddb.on(QueryCommand).resolves({ Items: [{ PendingSince: { N: "1000000" } }] });
    const lines: string[] = [];
    const handler = createDetectorHandler({ rds: new RDSClient({}), dynamodb: new DynamoDBClient({}), tableName: "t", overlapMs: 60_000, now: () => 1_030_000, log: (l) => lines.push(l) });
    const { result: out, lines: stream } = await runInLambdaRuntime(() => handler({ Records: [{ messageId: "m1", body: JSON.stringify({ DBInstanceIdentifier: "db1", ScannedAt: "x" }) } as never] }));
    expect(out).toEqual({ batchItemFailures: [] });
    const list = rds.commandCalls(DescribeDBLogFilesCommand)[0].args[0].input;
    expect(list).toMatchObject({ DBInstanceIdentifier: "db1", FilenameContains: "audit/", FileLastWritten: 940_000 });
    const updates = ddb.commandCalls(UpdateItemCommand).map((c) => c.args[0].input);
    expect(updates).toHaveLength(2); // audit/b and the watermark; audit/a unchanged; slowquery ignored
    expect(updates[0].Key).toEqual({ DBInstanceIdentifier: { S: "db1" }, LogFileName: { S: "audit/b" } });
    expect(updates[0].ConditionExpression).toBe("attribute_not_exists(LogFileName) OR LastWritten < :lw OR (LastWritten = :lw AND #s <> :size)");
    expect(updates[0].ExpressionAttributeValues).toMatchObject({ ":size": { N: "20" }, ":lw": { N: "1000500" } });
    expect(updates[1]).toMatchObject({ Key: { LogFileName: { S: "#watermark" } }, ConditionExpression: "attribute_not_exists(Watermark) OR Watermark < :w", ExpressionAttributeValues: { ":w": { N: "1000500" } } });
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
    expect(await handler({ Records: [{ messageId: "m1", body: JSON.stringify({ DBInstanceIdentifier: "db1" }) } as never] })).toEqual({ batchItemFailures: [] });
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

describe("downloader", () => {
  const img = (lw: number, size: number, extra: Record<string, unknown> = {}) => ({
    DBInstanceIdentifier: { S: "db1" },
    LogFileName: { S: "audit/a" },
    LastWritten: { N: String(lw) },
    Size: { N: String(size) },
    ...extra,
  });
  test("jobFromRecord skips removes, bookkeeping items and the downloader's own writes", () => {
    expect(jobFromRecord({ eventName: "INSERT", dynamodb: { NewImage: img(1, 2) as never } })).toEqual({ DBInstanceIdentifier: "db1", LogFileName: "audit/a", Size: 2, LastWritten: 1 });
    expect(jobFromRecord({ eventName: "MODIFY", dynamodb: { NewImage: img(1, 2, { LastBackup: { N: "9" } }) as never, OldImage: img(1, 2) as never } })).toEqual({ skip: expect.any(String) });
    expect(jobFromRecord({ eventName: "MODIFY", dynamodb: { NewImage: img(2, 3) as never, OldImage: img(1, 2) as never } })).toMatchObject({ Size: 3, LastWritten: 2 });
    expect(jobFromRecord({ eventName: "REMOVE", dynamodb: { OldImage: img(1, 2) as never } })).toEqual({ skip: "removed" });
    expect(jobFromRecord({ eventName: "INSERT", dynamodb: { NewImage: { DBInstanceIdentifier: { S: "db1" }, LogFileName: { S: "#watermark" } } as never } })).toEqual({ skip: "bookkeeping record" });
  });
  test("alreadyCovered compares the recorded backup with the detection", () => {
    const job = { DBInstanceIdentifier: "db1", LogFileName: "audit/a", Size: 10, LastWritten: 5 };
    expect(alreadyCovered(undefined, job)).toBe("record gone");
    expect(alreadyCovered({ BackupLastWritten: { N: "5" }, BackupSize: { N: "10" } }, job)).toBe("already backed up");
    expect(alreadyCovered({ BackupLastWritten: { N: "5" }, BackupSize: { N: "9" } }, job)).toBeUndefined();
    expect(alreadyCovered({ MissedLastWritten: { N: "5" } }, job)).toBe("already recorded as missed");
  });
  test("truncation markers and the REST path", () => {
    expect(hasTruncationMarker("line\n [Your log file was truncated]\n")).toBe(true);
    expect(hasTruncationMarker("line\n[Your log message was truncated]")).toBe(true);
    expect(hasTruncationMarker("a line that mentions [Your log file was truncated] then goes on\n")).toBe(false);
    expect(completeFilePath("db-1", "audit/audit.log.0")).toBe("/v13/downloadCompleteLogFile/db-1/audit/audit.log.0");
  });
  test("portion paging: Marker chaining, halving NumberOfLines on truncation, stopping when no data is pending", async () => {
    const rds = mockClient(RDSClient);
    rds
      .on(DownloadDBLogFilePortionCommand, { Marker: "0", NumberOfLines: 100 })
      .resolves({ LogFileData: "aaaa\n [Your log file was truncated]\n", Marker: "9", AdditionalDataPending: true })
      .on(DownloadDBLogFilePortionCommand, { Marker: "0", NumberOfLines: 50 })
      .resolves({ LogFileData: "one\n", Marker: "4", AdditionalDataPending: true })
      .on(DownloadDBLogFilePortionCommand, { Marker: "4", NumberOfLines: 100 })
      .resolves({ LogFileData: "two\n", Marker: "8", AdditionalDataPending: false });
    const counter = { calls: 0 };
    const chunks: string[] = [];
    for await (const c of portionStream(new RDSClient({}), { DBInstanceIdentifier: "db1", LogFileName: "audit/a", Size: 8, LastWritten: 1 }, 100, counter)) chunks.push(String(c));
    expect(chunks.join("")).toBe("one\ntwo\n");
    // 3 pages, then the first page again (50 lines, as it was read) to check the file was not rotated meanwhile.
    expect(counter.calls).toBe(4);
    expect(rds.commandCalls(DownloadDBLogFilePortionCommand)[3].args[0].input).toMatchObject({ Marker: "0", NumberOfLines: 50 });
    rds.restore();
  });
  test("upload: SSE-KMS with the archive key, the exact key, the S3 version id recorded with conditions", async () => {
    const fake = await startFakeRds();
    try {
      fake.addInstance("db1", "c1");
      const c = content(5, 12 * 1024 * 1024);
      fake.setFile("db1", "audit/a", { content: c, lastWritten: 5 });
      const s3 = mockClient(S3Client);
      s3.on(CreateMultipartUploadCommand).resolves({ UploadId: "u1" });
      s3.on(UploadPartCommand).resolves({ ETag: '"p"' });
      s3.on(CompleteMultipartUploadCommand).resolves({ VersionId: "ver-123", ETag: '"e-3"', ChecksumCRC32: "AAAA-3" });
      const ddb = mockClient(DynamoDBClient);
      ddb.on(GetItemCommand).resolves({ Item: img(5, c.size) as never });
      ddb.on(UpdateItemCommand).resolves({});
      const { RDSClient: R } = await import("@aws-sdk/client-rds");
      const handler = createDownloaderHandler({
        rds: new R({ region: "cn-north-1", endpoint: fake.url, credentials: FAKE_CREDENTIALS }),
        s3: new S3Client({ region: "cn-north-1" }),
        dynamodb: new DynamoDBClient({ region: "cn-north-1" }),
        tableName: "t",
        bucketName: "archive-bucket",
        kmsKeyArn: "arn:aws-cn:kms:cn-north-1:111122223333:key/k",
        region: "cn-north-1",
        rdsRestEndpoint: fake.url,
        partSize: 5 * 1024 * 1024,
        now: () => 777,
        log: quiet,
      });
      const out = await handler({ Records: [{ eventName: "INSERT", dynamodb: { Keys: { DBInstanceIdentifier: { S: "db1" }, LogFileName: { S: "audit/a" } }, NewImage: img(5, c.size) as never, SequenceNumber: "1" } }] });
      expect(out).toEqual({ batchItemFailures: [] });
      const create = s3.commandCalls(CreateMultipartUploadCommand)[0].args[0].input;
      expect(create).toMatchObject({ Bucket: "archive-bucket", Key: "audit-logs/db1/audit/a", ServerSideEncryption: "aws:kms", SSEKMSKeyId: "arn:aws-cn:kms:cn-north-1:111122223333:key/k" });
      expect(s3.commandCalls(UploadPartCommand)).toHaveLength(3);
      const update = ddb.commandCalls(UpdateItemCommand)[0].args[0].input;
      expect(update.ConditionExpression).toBe(
        "attribute_exists(LogFileName) AND LastWritten = :lw AND #s <= :bytes AND (attribute_not_exists(BackupLastWritten) OR BackupLastWritten < :lw OR (BackupLastWritten = :lw AND BackupSize < :bytes))",
      );
      expect(update.ExpressionAttributeValues).toMatchObject({ ":ver": { S: "ver-123" }, ":ck": { S: "AAAA-3" }, ":bytes": { N: String(c.size) }, ":now": { N: "777" } });
      expect(update.UpdateExpression).toContain("REMOVE PendingSince");
      s3.restore();
      ddb.restore();
    } finally {
      await fake.stop();
    }
  });
  test("an S3 failure aborts the multipart upload and the record is reported, never marked backed up", async () => {
    const fake = await startFakeRds();
    try {
      fake.addInstance("db1", "c1");
      fake.setFile("db1", "audit/a", { content: content(6, 11 * 1024 * 1024), lastWritten: 5 });
      const s3 = mockClient(S3Client);
      s3.on(CreateMultipartUploadCommand).resolves({ UploadId: "u1" });
      s3.on(UploadPartCommand).rejects(Object.assign(new Error("denied"), { name: "AccessDenied", $metadata: { httpStatusCode: 403 } }));
      s3.on(AbortMultipartUploadCommand).resolves({});
      const err = await transfer(
        { rds: new RDSClient({ region: "cn-north-1", credentials: FAKE_CREDENTIALS }), s3: new S3Client({ region: "cn-north-1" }), dynamodb: new DynamoDBClient({}), tableName: "t", bucketName: "b", region: "cn-north-1", rdsRestEndpoint: fake.url, partSize: 5 * 1024 * 1024 },
        { DBInstanceIdentifier: "db1", LogFileName: "audit/a", Size: 11 * 1024 * 1024, LastWritten: 5 },
      ).catch((e) => e);
      expect(err.name).toBe("AccessDenied");
      expect(s3.commandCalls(AbortMultipartUploadCommand)[0].args[0].input).toMatchObject({ UploadId: "u1", Key: "audit-logs/db1/audit/a" });
      expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
      s3.restore();
    } finally {
      await fake.stop();
    }
  });
});
