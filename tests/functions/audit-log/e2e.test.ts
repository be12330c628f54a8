/**
 * End to end on loopback: scanner -> (SQS) -> detector -> moto DynamoDB -> (moto's stream, through
 * the Lambda-like poller with the stack's mapping settings) -> downloader -> moto S3 (versioned,
 * SSE-KMS), for 3 Aurora MySQL instances x 20 audit files of mixed sizes up to 64 MB, with random
 * faults (throttling, 5xx, dropped connections, truncated portions, a refused REST endpoint) drawn
 * from a fixed seed. Afterwards every file is byte-identical in S3 and the table says so; a second
 * scan with nothing changed downloads nothing and writes nothing.
 *
 * SQS is an in-memory stand-in (aws-sdk-client-mock) that hands the scanner's messages to the
 * detector; the SQS mapping's semantics are not what this test is about.
 */
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import type { SQSEvent } from "aws-lambda";
import { createScannerHandler } from "../../../functions/audit-log/scanner";
import { createDetectorHandler } from "../../../functions/audit-log/detector";
import { createDownloaderHandler } from "../../../functions/audit-log/downloader";
import { startFakeRds, type FakeRds } from "../../helpers/fake-rds";
import { content, rng, sha256Of, sha256OfStream, type Content } from "../../helpers/log-content";
import { countCommands, rdsClientFor, resetCounts, writes } from "../../helpers/audit-log-clients";
import { scanAll } from "../../helpers/local-servers";
import { describeWithMoto } from "../../helpers/moto";
import { REGION, startAuditMoto, type AuditMoto } from "../../helpers/moto-audit";
import { streamPoller, type StreamMapping } from "../../helpers/stream-poller";

const MB = 1024 * 1024;
const BUCKET = "archive";
const TABLE = "audit-e2e";
const INSTANCES = ["aurora-a-1", "aurora-a-2", "aurora-b-1"];

/** The downloader's mapping as infra/audit-log-pipeline/ declares it (tests/infra checks those inputs). */
const MAPPING: StreamMapping = {
  batchSize: 10,
  bisectBatchOnFunctionError: true,
  maximumRetryAttempts: 5,
  functionResponseTypes: ["ReportBatchItemFailures"],
  filterPatterns: [JSON.stringify({ dynamodb: { Keys: { LogFileName: { S: [{ prefix: "audit/" }] } } } })],
};

let fake: FakeRds;
let aws: AuditMoto;
let streamArn: string;

describeWithMoto("audit-log pipeline end to end on fake RDS + moto", () => {
  beforeAll(async () => {
    [fake, aws] = await Promise.all([startFakeRds({ seed: 20261122 }), startAuditMoto()]);
    streamArn = await aws.newTable(TABLE);
    await aws.newBucket(BUCKET);
  }, 90000);
  afterAll(async () => {
    await Promise.all([fake?.stop(), aws?.stop()]);
  });

  /** Sizes for 20 files: one 64 MB file on the first instance, a few of several MB, the rest small (0 B included). */
  function sizes(r: () => number, instance: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < 20; i++) {
      if (instance === 0 && i === 19) out.push(64 * MB);
      else if (i % 7 === 6) out.push(Math.floor((4 + r() * 12) * MB));
      else if (i === 0) out.push(0);
      else out.push(Math.floor(r() * 600 * 1024));
    }
    return out;
  }

  test("3 instances x 20 files with random faults: all byte-identical in S3 and recorded; an unchanged rescan does nothing", async () => {
    const r = rng(424242);
    fake.parameterGroups.set("audit-on", { server_audit_logging: "1", server_audit_events: "CONNECT,QUERY" });
    fake.parameterGroups.set("audit-off", { server_audit_logging: "0" });
    fake.clusters.set("cluster-a", { engine: "aurora-mysql", parameterGroup: "audit-on" });
    fake.clusters.set("cluster-b", { engine: "aurora-mysql", parameterGroup: "audit-on" });
    fake.clusters.set("cluster-off", { engine: "aurora-mysql", parameterGroup: "audit-off" });
    fake.addInstance("aurora-a-1", "cluster-a");
    fake.addInstance("aurora-a-2", "cluster-a");
    fake.addInstance("aurora-b-1", "cluster-b");
    fake.addInstance("not-audited", "cluster-off").files.set("audit/audit.log.0", { content: content(1, 100), lastWritten: 1 });
    const expected = new Map<string, Content>();
    INSTANCES.forEach((id, n) => {
      sizes(r, n).forEach((size, i) => {
        const name = `audit/audit.log.${i}.2026-11-22-${String(i).padStart(2, "0")}-00.0`;
        const c = content(n * 100 + i, size);
        fake.setFile(id, name, { content: c, lastWritten: 1_795_000_000_000 + i * 60_000 + n });
        expected.set(`${id}/${name}`, c);
      });
    });
    // The third instance's account may not use the complete-file endpoint: it goes through the portion API.
    fake.faults.refuseRest.add("aurora-b-1");
    Object.assign(fake.faults, { throttleRate: 0.05, serverErrorRate: 0.05, dropRate: 0.1, truncate: true, portionLimit: 256 * 1024 });

    const rds = rdsClientFor(fake.url, "cn-north-1", 10);
    const dynamodb = aws.dynamodb;
    const s3client: S3Client = aws.s3;
    const ddbCalls = countCommands(dynamodb);
    const s3Calls = countCommands(s3client);
    const quiet = () => undefined;

    // SQS stand-in: the scanner's messages become the detector's next batch.
    const sqs = new SQSClient({ region: "cn-north-1" });
    const queue: string[] = [];
    mockClient(sqs)
      .on(SendMessageBatchCommand)
      .callsFake((input) => {
        for (const e of input.Entries) queue.push(e.MessageBody);
        return { Successful: input.Entries.map((e: { Id: string }) => ({ Id: e.Id, MessageId: e.Id, MD5OfMessageBody: "" })), Failed: [] };
      });

    const scanner = createScannerHandler({ rds, sqs, queueUrl: "https://sqs.cn-north-1.amazonaws.com.cn/111122223333/audit", log: quiet });
    const detector = createDetectorHandler({ rds, dynamodb, tableName: TABLE, log: quiet });
    const downloader = createDownloaderHandler({
      rds,
      s3: s3client,
      dynamodb,
      tableName: TABLE,
      archiveBucketName: BUCKET,
      archiveKmsKeyArn: aws.kmsKeyArn,
      region: REGION,
      rdsRestEndpoint: fake.url,
      partSizeMb: 5,
      retry: { maxAttempts: 10, baseDelayMs: 2, maxDelayMs: 20 },
      log: quiet,
    });
    const poller = streamPoller(aws.streams, streamArn, REGION, MAPPING, downloader as never);

    async function drainQueue(): Promise<void> {
      for (let round = 0; queue.length > 0; round++) {
        if (round > 20) throw new Error("detector keeps failing");
        const bodies = queue.splice(0, queue.length);
        const event: SQSEvent = { Records: bodies.map((body, i) => ({ messageId: `m${round}-${i}`, body }) as never) };
        const out = await detector(event);
        for (const f of out.batchItemFailures) queue.push(bodies[Number(f.itemIdentifier.split("-")[1])]);
      }
    }

    /** Lets the poller deliver everything on the stream; returns how many records reached the downloader. */
    async function drainStream(): Promise<number> {
      const before = poller.stats.recordsDelivered;
      await poller.drain();
      expect(poller.onFailure).toEqual([]);
      return poller.stats.recordsDelivered - before;
    }

    // First run.
    await scanner({});
    expect(queue.map((b) => JSON.parse(b).DBInstanceIdentifier).sort()).toEqual([...INSTANCES].sort());
    await drainQueue();
    await drainStream();

    const injected = fake.injected;
    expect(injected.throttled ?? 0).toBeGreaterThan(0);
    expect((injected.dropped ?? 0) + (injected.rest5xx ?? 0) + (injected.restThrottled ?? 0)).toBeGreaterThan(0);
    expect(injected.truncated ?? 0).toBeGreaterThan(0);
    expect(injected.restRefused ?? 0).toBeGreaterThan(0);
    expect(fake.signatureFailures).toBe(0);

    const items = new Map((await scanAll(dynamodb, TABLE)).map((i) => [`${i.DBInstanceIdentifier.S}/${i.LogFileName.S}`, i]));
    for (const [key, c] of expected) {
      const want = await sha256Of(c);
      const [instance, ...rest] = key.split("/");
      const obj = await s3client.send(new GetObjectCommand({ Bucket: BUCKET, Key: `audit-logs/${instance}/${rest.join("/")}` }));
      expect({ key, ...(await sha256OfStream(obj.Body as AsyncIterable<Uint8Array>)) }).toEqual({ key, sha256: want, bytes: c.size });
      const item = items.get(key)!;
      expect({ key, status: item.BackupStatus?.S, sha: item.BackupSha256?.S, size: item.BackupSize?.N, pending: item.PendingSince }).toEqual({
        key,
        status: "backed-up",
        sha: want,
        size: String(c.size),
        pending: undefined,
      });
      expect(item.BackupMethod?.S).toBe(instance === "aurora-b-1" ? "portion" : "complete-file");
      // The recorded version is the object's current version, encrypted under the archive key.
      expect({ key, version: obj.VersionId, sse: obj.ServerSideEncryption, kms: obj.SSEKMSKeyId }).toEqual({
        key,
        version: item.BackupVersionId?.S,
        sse: "aws:kms",
        kms: aws.kmsKeyArn,
      });
    }
    expect([...items.keys()].filter((k) => !k.includes("#watermark")).sort()).toEqual([...expected.keys()].sort());

    // Second run: nothing changed.
    fake.resetCounters();
    resetCounts(ddbCalls);
    resetCounts(s3Calls);
    await scanner({});
    await drainQueue();
    const delivered = await drainStream();
    expect(delivered).toBe(0);
    expect(writes(ddbCalls)).toBe(0);
    expect(fake.calls.REST).toBeUndefined();
    expect(fake.calls.DownloadDBLogFilePortion).toBeUndefined();
    expect(fake.calls.DescribeDBLogFiles).toBeGreaterThanOrEqual(3);
    expect(Object.keys(s3Calls).filter((k) => k !== "GetObjectCommand")).toEqual([]);
  });
});
