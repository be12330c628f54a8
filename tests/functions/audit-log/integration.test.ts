/**
 * The audit-log functions against servers nobody here wrote, except RDS: the fake RDS log API
 * (Query XML + REST complete-file endpoint, SigV4 checked; moto has no RDS log API), and moto for
 * DynamoDB (conditional writes, the real stream: one record per write, both images) and S3
 * (versioned, SSE-KMS, multipart). The scanner's SQS is an aws-sdk-client-mock (its partial
 * failures of SendMessageBatch are what is tested, which moto does not inject).
 */
import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import type { SQSEvent } from "aws-lambda";
import { createScannerHandler } from "../../../functions/audit-log/scanner";
import { createDetectorHandler } from "../../../functions/audit-log/detector";
import { createDownloaderHandler, recordBackup, type DownloaderDeps } from "../../../functions/audit-log/downloader";
import { startFakeRds, type FakeRds } from "../../helpers/fake-rds";
import { content, sha256Of, sha256OfStream } from "../../helpers/log-content";
import { countCommands, rdsClientFor, resetCounts, writes } from "../../helpers/audit-log-clients";
import { describeWithMoto } from "../../helpers/moto";
import { REGION, startAuditMoto, type AuditMoto } from "../../helpers/moto-audit";
import { streamReader } from "../../helpers/stream-poller";
import { metricValues } from "../../helpers/cloudwatch-emf";
import { runInLambdaRuntime } from "../../helpers/lambda-runtime-logs";

const BUCKET = "archive";
const quiet = () => undefined;
const noSleep = async () => undefined;

let fake: FakeRds;
let aws: AuditMoto;
let tableN = 0;
const streamArns = new Map<string, string>();

describeWithMoto("audit-log functions on fake RDS + moto", () => {
  beforeAll(async () => {
    [fake, aws] = await Promise.all([startFakeRds({ seed: 7 }), startAuditMoto()]);
    await aws.newBucket(BUCKET);
  }, 90000);
  afterAll(async () => {
    await Promise.all([fake?.stop(), aws?.stop()]);
  });
  beforeEach(() => {
    fake.instances.clear();
    fake.clusters.clear();
    fake.parameterGroups.clear();
    Object.assign(fake.faults, { throttleRate: 0, serverErrorRate: 0, dropRate: 0, truncate: false, portionLimit: 1024 * 1024 });
    fake.faults.refuseRest.clear();
    fake.faults.rotateMidDownload.clear();
    fake.resetCounters();
  });

  async function newTable(): Promise<string> {
    const name = `audit-${++tableN}`;
    streamArns.set(name, await aws.newTable(name));
    return name;
  }
  /** moto's stream of the table, read from its start. */
  const streamOf = (table: string) => streamReader(aws.streams, streamArns.get(table)!, REGION);

  function sqsEvent(ids: string[]): SQSEvent {
    return {
      Records: ids.map((id, i) => ({
        messageId: `msg-${i}`,
        receiptHandle: "rh",
        body: JSON.stringify({ DBInstanceIdentifier: id, ScannedAt: "2026-11-22T00:00:00Z" }),
        attributes: {} as never,
        messageAttributes: {},
        md5OfBody: "",
        eventSource: "aws:sqs",
        eventSourceARN: "arn:aws-cn:sqs:cn-north-1:111122223333:q",
        awsRegion: "cn-north-1",
      })),
    };
  }

  async function objectSha(key: string): Promise<{ sha256: string; bytes: number }> {
    const o = await aws.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return sha256OfStream(o.Body as AsyncIterable<Uint8Array>);
  }

  function downloaderDeps(tableName: string, extra: Partial<DownloaderDeps> = {}): DownloaderDeps {
    return {
      rds: rdsClientFor(fake.url),
      s3: aws.s3,
      dynamodb: aws.dynamodb,
      tableName,
      archiveBucketName: BUCKET,
      region: "cn-north-1",
      rdsRestEndpoint: fake.url,
      partSizeMb: 5,
      retry: { maxAttempts: 6, baseDelayMs: 1, maxDelayMs: 5 },
      log: quiet,
      ...extra,
    };
  }

  describe("scanner against the fake RDS Query API", () => {
    test("pages through instances, clusters and parameters; queues only Aurora MySQL with server_audit_logging on; retries failed entries", async () => {
      const params = (audit: string) => {
        const p: Record<string, string> = {};
        for (let i = 0; i < 230; i++) p[`param_${String(i).padStart(3, "0")}`] = String(i);
        p.server_audit_logging = audit; // on the third page
        return p;
      };
      fake.parameterGroups.set("audit-on", params("1"));
      fake.parameterGroups.set("audit-off", params("0"));
      fake.clusters.set("c-on", { engine: "aurora-mysql", parameterGroup: "audit-on" });
      fake.clusters.set("c-off", { engine: "aurora-mysql", parameterGroup: "audit-off" });
      fake.clusters.set("c-pg", { engine: "aurora-postgresql", parameterGroup: "audit-on" });
      const expected: string[] = [];
      for (let i = 0; i < 105; i++) {
        fake.addInstance(`on-${i}`, "c-on");
        expected.push(`on-${i}`);
      }
      fake.addInstance("off-0", "c-off");
      fake.addInstance("pg-0", "c-pg", "aurora-postgresql");
      fake.addInstance("stopped-0", "c-on").status = "stopped";

      const sqs = new SQSClient({ region: "cn-north-1" });
      const sqsMock = mockClient(sqs);
      let first = true;
      sqsMock.on(SendMessageBatchCommand).callsFake((input) => {
        if (first) {
          first = false;
          return {
            Successful: input.Entries.slice(1).map((e: { Id: string }) => ({ Id: e.Id, MessageId: "x", MD5OfMessageBody: "" })),
            Failed: [{ Id: input.Entries[0].Id, Code: "InternalError", SenderFault: false, Message: "try again" }],
          };
        }
        return { Successful: input.Entries.map((e: { Id: string }) => ({ Id: e.Id, MessageId: "x", MD5OfMessageBody: "" })), Failed: [] };
      });
      const handler = createScannerHandler({
        rds: rdsClientFor(fake.url),
        sqs,
        queueUrl: "https://sqs.cn-north-1.amazonaws.com.cn/111122223333/q",
        sleep: noSleep,
        log: quiet,
      });
      const result = await handler({});
      expect(result).toEqual({ instances: 105, sent: 105, failed: [] });
      const sent = sqsMock
        .commandCalls(SendMessageBatchCommand)
        .flatMap((c) => c.args[0].input.Entries!.map((e) => JSON.parse(e.MessageBody!).DBInstanceIdentifier));
      // 105 once each, plus the one entry that failed and was sent again.
      expect(new Set(sent)).toEqual(new Set(expected));
      expect(sent).toHaveLength(106);
      expect(sqsMock.commandCalls(SendMessageBatchCommand).every((c) => c.args[0].input.Entries!.length <= 10)).toBe(true);
      expect(fake.calls.DescribeDBInstances).toBe(2); // 108 instances, 100 a page
      expect(fake.calls.DescribeDBClusterParameters).toBe(2 * 3); // two groups, 231 parameters each
      expect(fake.signatureFailures).toBe(0);
    });
  });

  describe("detector against fake RDS + moto DynamoDB", () => {
    test("writes new files once, nothing for an unchanged scan, and only the changed file after a change", async () => {
      const table = await newTable();
      fake.addInstance("db1", "c1");
      for (let i = 0; i < 12; i++) fake.setFile("db1", `audit/audit.log.${i}`, { content: content(i, 1000 + i), lastWritten: 1_700_000_000_000 + i * 1000 });
      fake.setFile("db1", "error/mysql-error.log", { content: content(99, 10), lastWritten: 1_700_000_100_000 });
      const dynamodb = aws.dynamodb;
      const counts = countCommands(dynamodb);
      const deps = { rds: rdsClientFor(fake.url), dynamodb, tableName: table, log: quiet, now: () => 1_700_000_200_000 };
      const handler = createDetectorHandler(deps);

      expect(await handler(sqsEvent(["db1"]))).toEqual({ batchItemFailures: [] });
      expect(counts.UpdateItemCommand).toBe(13); // 12 files + watermark
      const item = await dynamodb.send(
        new GetItemCommand({ TableName: table, Key: { DBInstanceIdentifier: { S: "db1" }, LogFileName: { S: "audit/audit.log.3" } } }),
      );
      expect(item.Item).toMatchObject({
        Size: { N: "1003" },
        LastWritten: { N: String(1_700_000_003_000) },
        BackupStatus: { S: "pending" },
        PendingSince: { N: "1700000200000" },
      });
      const error = await dynamodb.send(
        new GetItemCommand({ TableName: table, Key: { DBInstanceIdentifier: { S: "db1" }, LogFileName: { S: "error/mysql-error.log" } } }),
      );
      expect(error.Item).toBeUndefined();

      resetCounts(counts);
      fake.resetCounters();
      expect(await handler(sqsEvent(["db1"]))).toEqual({ batchItemFailures: [] });
      expect(writes(counts)).toBe(0);

      // The newest file grows; an old one is listed again but unchanged.
      fake.setFile("db1", "audit/audit.log.11", { content: content(11, 5000), lastWritten: 1_700_000_050_000 });
      resetCounts(counts);
      await handler(sqsEvent(["db1"]));
      expect(counts.UpdateItemCommand).toBe(2); // the file and the watermark
      const grown = await dynamodb.send(
        new GetItemCommand({ TableName: table, Key: { DBInstanceIdentifier: { S: "db1" }, LogFileName: { S: "audit/audit.log.11" } } }),
      );
      expect(grown.Item).toMatchObject({ Size: { N: "5000" }, Detections: { N: "2" } });
    });

    test("a failing instance is reported as a partial batch failure; the others succeed", async () => {
      const table = await newTable();
      fake.addInstance("db1", "c1");
      fake.setFile("db1", "audit/audit.log.0", { content: content(1, 10), lastWritten: 1 });
      const handler = createDetectorHandler({ rds: rdsClientFor(fake.url, "cn-north-1", 2), dynamodb: aws.dynamodb, tableName: table, log: quiet });
      const out = await handler(sqsEvent(["db1", "gone-db"]));
      expect(out).toEqual({ batchItemFailures: [{ itemIdentifier: "msg-1" }] });
    });
  });

  describe("downloader against fake RDS + moto DynamoDB, its stream and S3", () => {
    async function detectAndStream(table: string, ids: string[]) {
      const detector = createDetectorHandler({ rds: rdsClientFor(fake.url), dynamodb: aws.dynamodb, tableName: table, log: quiet });
      const stream = streamOf(table);
      await detector(sqsEvent(ids));
      return { stream, detector };
    }

    test("streams from the complete-file endpoint into a multipart upload and records size, checksum and LastBackup", async () => {
      const table = await newTable();
      fake.addInstance("db1", "c1");
      const c = content(42, 12 * 1024 * 1024 + 17);
      fake.setFile("db1", "audit/audit.log.0", { content: c, lastWritten: 5000 });
      const { stream } = await detectAndStream(table, ["db1"]);
      const handler = createDownloaderHandler(downloaderDeps(table, { now: () => 9000 }));
      const records = await stream.next();
      expect(records.map((r) => r.eventName)).toEqual(["INSERT", "INSERT"]); // the file, then the watermark
      expect(await handler({ Records: records })).toEqual({ batchItemFailures: [] });
      expect(fake.calls.REST).toBe(1);
      expect(fake.calls.DownloadDBLogFilePortion).toBeUndefined();
      expect(fake.signatureFailures).toBe(0);
      const want = await sha256Of(c);
      expect(await objectSha("audit-logs/db1/audit/audit.log.0")).toEqual({ sha256: want, bytes: c.size });
      const item = (
        await aws.dynamodb.send(new GetItemCommand({ TableName: table, Key: { DBInstanceIdentifier: { S: "db1" }, LogFileName: { S: "audit/audit.log.0" } } }))
      ).Item!;
      expect(item).toMatchObject({
        BackupSha256: { S: want },
        BackupSize: { N: String(c.size) },
        BackupLastWritten: { N: "5000" },
        LastBackup: { N: "9000" },
        BackupStatus: { S: "backed-up" },
        BackupMethod: { S: "complete-file" },
      });
      expect(item.PendingSince).toBeUndefined();

      // The downloader's own write comes back on the stream: it must not download again.
      fake.resetCounters();
      const again = await stream.next();
      expect(again.map((r) => r.eventName)).toEqual(["MODIFY"]);
      expect(await handler({ Records: again })).toEqual({ batchItemFailures: [] });
      expect(fake.calls.REST).toBeUndefined();
    });

    test("falls back to DownloadDBLogFilePortion when the endpoint is refused, and survives truncated pages", async () => {
      const table = await newTable();
      fake.addInstance("db1", "c1");
      fake.faults.refuseRest.add("db1");
      fake.faults.truncate = true;
      fake.faults.portionLimit = 64 * 1024;
      const c = content(43, 3 * 1024 * 1024 + 5);
      fake.setFile("db1", "audit/audit.log.0", { content: c, lastWritten: 5000 });
      const { stream } = await detectAndStream(table, ["db1"]);
      const handler = createDownloaderHandler(downloaderDeps(table, { portionLines: 2000 }));
      expect(await handler({ Records: await stream.next() })).toEqual({ batchItemFailures: [] });
      expect(fake.injected.restRefused).toBe(1);
      expect(fake.injected.truncated).toBeGreaterThan(0);
      expect(await objectSha("audit-logs/db1/audit/audit.log.0")).toEqual({ sha256: await sha256Of(c), bytes: c.size });
      const item = (
        await aws.dynamodb.send(new GetItemCommand({ TableName: table, Key: { DBInstanceIdentifier: { S: "db1" }, LogFileName: { S: "audit/audit.log.0" } } }))
      ).Item!;
      expect(item.BackupMethod).toEqual({ S: "portion" });
    });

    test("a file rotated away mid-download is recorded as missed, alarmable, and not retried", async () => {
      const table = await newTable();
      fake.addInstance("db1", "c1");
      fake.setFile("db1", "audit/audit.log.0", { content: content(44, 2 * 1024 * 1024), lastWritten: 5000 });
      fake.faults.rotateMidDownload.add("db1/audit/audit.log.0");
      const { stream } = await detectAndStream(table, ["db1"]);
      const handler = createDownloaderHandler(downloaderDeps(table));
      const run = await runInLambdaRuntime(async () => handler({ Records: await stream.next() }));
      expect(run.result).toEqual({ batchItemFailures: [] });
      expect(fake.injected.rotated).toBe(1);
      const item = (
        await aws.dynamodb.send(new GetItemCommand({ TableName: table, Key: { DBInstanceIdentifier: { S: "db1" }, LogFileName: { S: "audit/audit.log.0" } } }))
      ).Item!;
      expect(item.BackupStatus).toEqual({ S: "missed" });
      expect(item.MissedLastWritten).toEqual({ N: "5000" });
      expect(item.PendingSince).toBeUndefined();
      // As CloudWatch extracts it from the log stream under the runtime's JSON log format.
      expect(metricValues(run.lines, "CnLogBackup/AuditLog", "MissedFiles")).toEqual([1]);
      // Its own MODIFY record does not start another attempt.
      fake.resetCounters();
      await handler({ Records: await stream.next() });
      expect(fake.calls.REST).toBeUndefined();
      expect(fake.calls.DownloadDBLogFilePortion).toBeUndefined();
    });

    test("throttling, 5xx and dropped connections are retried with backoff until the file is whole", async () => {
      const table = await newTable();
      fake.addInstance("db1", "c1");
      const files = [0, 1, 2, 3].map((i) => content(50 + i, (i + 1) * 1024 * 1024 + i));
      files.forEach((c, i) => fake.setFile("db1", `audit/audit.log.${i}`, { content: c, lastWritten: 5000 + i }));
      const { stream } = await detectAndStream(table, ["db1"]);
      Object.assign(fake.faults, { throttleRate: 0.25, serverErrorRate: 0.25, dropRate: 0.5 });
      const sleeps: number[] = [];
      const handler = createDownloaderHandler(
        downloaderDeps(table, { retry: { maxAttempts: 30, baseDelayMs: 4, maxDelayMs: 50 }, sleep: async (ms) => void sleeps.push(ms) }),
      );
      expect(await handler({ Records: await stream.next() })).toEqual({ batchItemFailures: [] });
      expect((fake.injected.restThrottled ?? 0) + (fake.injected.rest5xx ?? 0) + (fake.injected.dropped ?? 0)).toBeGreaterThan(0);
      expect(sleeps.length).toBeGreaterThan(0);
      expect(sleeps.every((ms) => ms >= 0 && ms < 50)).toBe(true);
      for (let i = 0; i < files.length; i++) {
        expect(await objectSha(`audit-logs/db1/audit/audit.log.${i}`)).toEqual({ sha256: await sha256Of(files[i]), bytes: files[i].size });
      }
    });

    test("a download that keeps failing is reported at its sequence number, with the records after it", async () => {
      const table = await newTable();
      fake.addInstance("db1", "c1");
      fake.setFile("db1", "audit/audit.log.0", { content: content(60, 1000), lastWritten: 1 });
      fake.setFile("db1", "audit/audit.log.1", { content: content(61, 1000), lastWritten: 2 });
      const { stream } = await detectAndStream(table, ["db1"]);
      fake.faults.serverErrorRate = 1;
      const handler = createDownloaderHandler(downloaderDeps(table, { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } }));
      const records = await stream.next();
      const firstFile = records.find((r) => r.dynamodb?.NewImage?.LogFileName.S?.startsWith("audit/"))!;
      expect(await handler({ Records: records })).toEqual({ batchItemFailures: [{ itemIdentifier: firstFile.dynamodb!.SequenceNumber }] });
    });

    test("a stale download never overwrites a newer record (conditions enforced by moto)", async () => {
      const table = await newTable();
      fake.addInstance("db1", "c1");
      fake.setFile("db1", "audit/audit.log.0", { content: content(70, 100), lastWritten: 1000 });
      const detector = createDetectorHandler({ rds: rdsClientFor(fake.url), dynamodb: aws.dynamodb, tableName: table, log: quiet });
      await detector(sqsEvent(["db1"]));
      fake.setFile("db1", "audit/audit.log.0", { content: content(70, 300), lastWritten: 2000 });
      await detector(sqsEvent(["db1"]));
      const older = { DBInstanceIdentifier: "db1", LogFileName: "audit/audit.log.0", Size: 100, LastWritten: 1000 };
      const newer = { ...older, Size: 300, LastWritten: 2000 };
      const t = (bytes: number, sha: string) => ({
        method: "complete-file" as const,
        bytesRead: bytes,
        bytesUploaded: bytes,
        sha256: sha,
        versionId: `v-${sha}`,
        apiCalls: 1,
      });
      expect(await recordBackup(aws.dynamodb, table, newer, t(300, "new"), 3)).toBe("complete");
      expect(await recordBackup(aws.dynamodb, table, older, t(100, "old"), 4)).toBe("superseded");
      const item = (
        await aws.dynamodb.send(new GetItemCommand({ TableName: table, Key: { DBInstanceIdentifier: { S: "db1" }, LogFileName: { S: "audit/audit.log.0" } } }))
      ).Item!;
      expect(item).toMatchObject({ BackupSha256: { S: "new" }, BackupVersionId: { S: "v-new" }, BackupSize: { N: "300" }, LastBackup: { N: "3" } });
      expect(item.PendingSince).toBeUndefined();

      // The other order: the old download finishes first (partial: the file stays pending), then the new one.
      const table2 = await newTable();
      await createDetectorHandler({ rds: rdsClientFor(fake.url), dynamodb: aws.dynamodb, tableName: table2, log: quiet })(sqsEvent(["db1"]));
      expect(await recordBackup(aws.dynamodb, table2, older, t(100, "old"), 3)).toBe("partial");
      const mid = (
        await aws.dynamodb.send(new GetItemCommand({ TableName: table2, Key: { DBInstanceIdentifier: { S: "db1" }, LogFileName: { S: "audit/audit.log.0" } } }))
      ).Item!;
      expect(mid.PendingSince).toBeDefined();
      expect(await recordBackup(aws.dynamodb, table2, newer, t(300, "new"), 4)).toBe("complete");
    });
  });
});
