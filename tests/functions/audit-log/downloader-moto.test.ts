/**
 * The downloader fed by moto's real DynamoDB stream (one record per write, both images) through a
 * Lambda-like poller (tests/helpers/stream-poller.ts) with the stack's mapping settings, writing to
 * moto's versioned, SSE-KMS S3; the RDS log API is the project's fake (moto has none).
 * Each of issue 12's items 11-15 has its case here.
 */
import { GetItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand, ListObjectVersionsCommand, S3Client } from "@aws-sdk/client-s3";
import type { DynamoDBBatchResponse, DynamoDBStreamEvent, SQSEvent } from "aws-lambda";
import { createDetectorHandler } from "../../../functions/audit-log/detector";
import { createDownloaderHandler, recordBackup, type DownloaderDeps } from "../../../functions/audit-log/downloader";
import { startFakeRds, type FakeRds } from "../../helpers/fake-rds";
import { content, sha256Of, sha256OfStream, type Content } from "../../helpers/log-content";
import { rdsClientFor } from "../../helpers/audit-log-clients";
import { describeWithMoto } from "../../helpers/moto";
import { REGION, startAuditMoto, type AuditMoto } from "../../helpers/moto-audit";
import { streamPoller, type StreamMapping } from "../../helpers/stream-poller";

const MB = 1024 * 1024;
const quiet = () => undefined;
const noSleep = async () => undefined;
/** As infra/audit-log-pipeline/ declares the downloader's mapping (tests/infra checks those inputs). */
const MAPPING: StreamMapping = {
  batchSize: 10,
  bisectBatchOnFunctionError: true,
  maximumRetryAttempts: 5,
  functionResponseTypes: ["ReportBatchItemFailures"],
  filterPatterns: [JSON.stringify({ dynamodb: { Keys: { LogFileName: { S: [{ prefix: "audit/" }] } } } })],
};

function sqsEvent(ids: string[]): SQSEvent {
  return {
    Records: ids.map((id, i) => ({ messageId: `m${i}`, body: JSON.stringify({ DBInstanceIdentifier: id, ScannedAt: "2026-11-22T00:00:00Z" }) }) as never),
  };
}

describeWithMoto("downloader on moto's DynamoDB stream and S3", () => {
  let aws: AuditMoto;
  let fake: FakeRds;
  let n = 0;
  let table: string;
  let bucket: string;
  let streamArn: string;

  beforeAll(async () => {
    [aws, fake] = await Promise.all([startAuditMoto(), startFakeRds({ seed: 12 })]);
  }, 90000);
  afterAll(async () => {
    await Promise.all([aws?.stop(), fake?.stop()]);
  });
  beforeEach(async () => {
    n++;
    table = `audit-${n}`;
    bucket = `archive-${n}`;
    streamArn = await aws.newTable(table);
    await aws.newBucket(bucket);
    fake.instances.clear();
    fake.faults.refuseRest.clear();
    fake.faults.replaceMidDownload.clear();
    fake.faults.hideFor.clear();
    fake.faults.stallPortion.clear();
    fake.faults.failFiles.clear();
    Object.assign(fake.faults, { throttleRate: 0, serverErrorRate: 0, dropRate: 0, truncate: false, portionLimit: MB, clockSkewMs: 0 });
    fake.resetCounters();
    fake.addInstance("db1", "c1");
  });

  const detector = () => createDetectorHandler({ rds: rdsClientFor(fake.url), dynamodb: aws.dynamodb, tableName: table, log: quiet });
  function deps(extra: Partial<DownloaderDeps> = {}): DownloaderDeps {
    return {
      rds: rdsClientFor(fake.url),
      s3: aws.s3,
      dynamodb: aws.dynamodb,
      tableName: table,
      archiveBucketName: bucket,
      archiveKmsKeyArn: aws.kmsKeyArn,
      region: REGION,
      rdsRestEndpoint: fake.url,
      partSizeMb: 5,
      portionLines: 2000,
      retry: { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 2 },
      sleep: noSleep,
      log: quiet,
      ...extra,
    };
  }
  /** The poller in front of a downloader; every response is kept. */
  function poll(d: DownloaderDeps) {
    const handler = createDownloaderHandler(d);
    const responses: DynamoDBBatchResponse[] = [];
    const batches: DynamoDBStreamEvent[] = [];
    const poller = streamPoller(aws.streams, streamArn, REGION, MAPPING, async (event) => {
      batches.push(event as DynamoDBStreamEvent);
      const out = await handler(event as DynamoDBStreamEvent);
      responses.push(out);
      return out;
    });
    return { poller, responses, batches };
  }
  async function item(name: string) {
    return (
      await aws.dynamodb.send(
        new GetItemCommand({ TableName: table, Key: { DBInstanceIdentifier: { S: "db1" }, LogFileName: { S: name } }, ConsistentRead: true }),
      )
    ).Item!;
  }
  async function object(name: string) {
    const o = await aws.s3.send(new GetObjectCommand({ Bucket: bucket, Key: `audit-logs/db1/${name}` }));
    return { ...(await sha256OfStream(o.Body as AsyncIterable<Uint8Array>)), versionId: o.VersionId, sse: o.ServerSideEncryption, key: o.SSEKMSKeyId };
  }
  const file = (name: string, c: Content, lastWritten: number) => fake.setFile("db1", name, { content: c, lastWritten });

  test("a multipart download lands byte-identical, SSE-KMS under the archive key, with the version id S3 gave; its own bookkeeping record downloads nothing", async () => {
    const c = content(1, 12 * MB + 5);
    file("audit/audit.log.0", c, 5000);
    await detector()(sqsEvent(["db1"]));
    const { poller, batches } = poll(deps());
    await poller.drain();
    // The file's INSERT (the watermark item is filtered out), then the downloader's own MODIFY.
    expect(batches.map((b) => b.Records.map((r) => r.eventName))).toEqual([["INSERT"], ["MODIFY"]]);
    expect(batches[1].Records[0].dynamodb?.OldImage?.LastWritten).toEqual({ N: "5000" });
    const o = await object("audit/audit.log.0");
    expect(o).toMatchObject({ sha256: await sha256Of(c), bytes: c.size, sse: "aws:kms", key: aws.kmsKeyArn });
    expect(await item("audit/audit.log.0")).toMatchObject({
      BackupStatus: { S: "backed-up" },
      BackupVersionId: { S: o.versionId },
      BackupSize: { N: String(c.size) },
    });
    await poller.drain();
    expect(batches).toHaveLength(2);
    expect(fake.calls.REST).toBe(1);
    expect(poller.onFailure).toEqual([]);
  });

  test("item 11: a detection followed in the same batch by the downloader's own bookkeeping write is still downloaded", async () => {
    const old = content(2, 100_000);
    const grown = content(2, 300_000); // the same file, grown: same first bytes
    file("audit/audit.log.0", old, 1000);
    await detector()(sqsEvent(["db1"]));
    // A download of the first detection finishes late: the detector has seen the file grow meanwhile.
    file("audit/audit.log.0", grown, 2000);
    await detector()(sqsEvent(["db1"]));
    const late = { DBInstanceIdentifier: "db1", LogFileName: "audit/audit.log.0", Size: old.size, LastWritten: 1000 };
    expect(await recordBackup(aws.dynamodb, table, late, { method: "complete-file", bytesRead: old.size, sha256: await sha256Of(old) }, 1)).toBe("partial");

    const { poller, batches } = poll(deps());
    await poller.drain();
    // One batch: INSERT (first detection), MODIFY (the grown file), MODIFY (the late bookkeeping write).
    expect(batches[0].Records.map((r) => [r.eventName, r.dynamodb?.NewImage?.LastWritten?.N, r.dynamodb?.OldImage?.LastWritten?.N])).toEqual([
      ["INSERT", "1000", undefined],
      ["MODIFY", "2000", "1000"],
      ["MODIFY", "2000", "2000"],
    ]);
    expect(await object("audit/audit.log.0")).toMatchObject({ sha256: await sha256Of(grown), bytes: grown.size });
    const it = await item("audit/audit.log.0");
    expect({ status: it.BackupStatus?.S, size: it.BackupSize?.N, lw: it.BackupLastWritten?.N, pending: it.PendingSince }).toEqual({
      status: "backed-up",
      size: String(grown.size),
      lw: "2000",
      pending: undefined,
    });
  });

  test("item 12: a failing file does not hold back the records after it; Lambda retries from its sequence number and the replayed successes download nothing", async () => {
    const a = content(3, 50_000);
    const b = content(4, 60_000);
    file("audit/audit.log.0", a, 1000);
    file("audit/audit.log.1", b, 2000);
    await detector()(sqsEvent(["db1"]));
    fake.faults.failFiles.add("db1/audit/audit.log.0");
    const { poller, responses, batches } = poll(deps({ retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } }));
    await poller.drain();
    const first = batches[0].Records;
    expect(first.map((r) => r.dynamodb?.Keys?.LogFileName.S)).toEqual(["audit/audit.log.0", "audit/audit.log.1"]);
    expect(responses[0]).toEqual({ batchItemFailures: [{ itemIdentifier: first[0].dynamodb!.SequenceNumber }] });
    // The second file was backed up in the first invocation, and only once.
    expect(await object("audit/audit.log.1")).toMatchObject({ sha256: await sha256Of(b), bytes: b.size });
    expect((await item("audit/audit.log.1")).BackupStatus).toEqual({ S: "backed-up" });
    expect(fake.calls.REST - (fake.injected.failed ?? 0)).toBe(1);
    // The failing file: 1 + 5 retries (bisected at the returned sequence number), then the on-failure destination, with the first file's record only.
    expect(responses.slice(0, 6)).toEqual(Array(6).fill({ batchItemFailures: [{ itemIdentifier: first[0].dynamodb!.SequenceNumber }] }));
    // Then only the second file's bookkeeping write is left on the stream.
    expect(batches.slice(6).map((b) => b.Records.map((r) => [r.eventName, r.dynamodb?.Keys?.LogFileName.S]))).toEqual([[["MODIFY", "audit/audit.log.1"]]]);
    expect(poller.onFailure.map((f) => [f.DDBStreamBatchInfo.startSequenceNumber, f.DDBStreamBatchInfo.batchSize])).toEqual([
      [first[0].dynamodb!.SequenceNumber, 2],
    ]);
    expect((await item("audit/audit.log.0")).BackupStatus).toEqual({ S: "pending" });
  });

  test("item 13: a file RDS answers not-found for, and stops listing for a moment, is backed up, not recorded as missed", async () => {
    const c = content(5, 80_000);
    file("audit/audit.log.0", c, 1000);
    await detector()(sqsEvent(["db1"]));
    fake.faults.hideFor.set("db1/audit/audit.log.0", 2); // the download's 404, then one listing without it
    const { poller } = poll(deps());
    await poller.drain();
    expect(fake.injected.hidden).toBe(2);
    expect(await object("audit/audit.log.0")).toMatchObject({ sha256: await sha256Of(c), bytes: c.size });
    expect((await item("audit/audit.log.0")).BackupStatus).toEqual({ S: "backed-up" });
  });

  test("item 13: a file that stays gone is recorded as missed after the listings confirm it", async () => {
    file("audit/audit.log.0", content(6, 80_000), 1000);
    await detector()(sqsEvent(["db1"]));
    fake.instances.get("db1")!.files.delete("audit/audit.log.0");
    const { poller } = poll(deps({ goneConfirmations: 3 }));
    await poller.drain();
    expect(fake.calls.DescribeDBLogFiles).toBe(1 + 3); // the detector's, then three confirmations
    expect(await item("audit/audit.log.0")).toMatchObject({ BackupStatus: { S: "missed" }, MissedLastWritten: { N: "1000" } });
    expect(poller.onFailure).toEqual([]);
  });

  test("item 14: a rotation while the portions are read is detected; the file recorded is one file, never old start + new rest", async () => {
    const old = content(7, 2 * MB);
    const rotated = content(8, 3 * MB); // a different file under the same name, larger than the old one
    file("audit/audit.log.0", old, 1000);
    await detector()(sqsEvent(["db1"]));
    fake.faults.refuseRest.add("db1");
    fake.faults.portionLimit = 256 * 1024;
    fake.faults.replaceMidDownload.set("db1/audit/audit.log.0", { content: rotated, lastWritten: 1500 });
    const { poller } = poll(deps({ portionLines: 1000 }));
    await poller.drain();
    expect(fake.injected.rotated).toBe(1);
    const it = await item("audit/audit.log.0");
    const o = await object("audit/audit.log.0");
    expect(o.sha256).toBe(it.BackupSha256?.S);
    expect([await sha256Of(old), await sha256Of(rotated)]).toContain(o.sha256);
    expect(it.BackupMethod).toEqual({ S: "portion" });
  });

  test("item 15: a rotation during a REST download costs one more request and a listing, not ~30 downloads and a dead letter; nothing half-written stays in S3", async () => {
    const old = content(9, 2 * MB);
    const rotated = content(10, 1 * MB); // the new file under the old name is smaller
    file("audit/audit.log.0", old, 1000);
    await detector()(sqsEvent(["db1"]));
    fake.faults.replaceMidDownload.set("db1/audit/audit.log.0", { content: rotated, lastWritten: 1500 });
    const { poller, responses } = poll(deps());
    await poller.drain();
    expect(fake.calls.REST).toBeLessThanOrEqual(2);
    expect(responses.every((r) => r.batchItemFailures.length === 0)).toBe(true);
    expect(poller.onFailure).toEqual([]);
    expect(await item("audit/audit.log.0")).toMatchObject({ BackupStatus: { S: "missed" }, LastError: { S: expect.stringContaining("rotated") } });
    const versions = await aws.s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: "audit-logs/" }));
    expect(versions.Versions ?? []).toEqual([]);
    expect((await aws.s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads ?? []).toEqual([]);
    // The next scan detects the new file, which is then backed up.
    await detector()(sqsEvent(["db1"]));
    await poller.drain();
    expect(await object("audit/audit.log.0")).toMatchObject({ sha256: await sha256Of(rotated), bytes: rotated.size });
  });

  test("item 15: with RDS's clock 20 minutes ahead, the REST endpoint is still used (the signer follows the client's clock offset)", async () => {
    const c = content(11, 300_000);
    file("audit/audit.log.0", c, 1000);
    await detector()(sqsEvent(["db1"]));
    fake.faults.clockSkewMs = 20 * 60 * 1000;
    const rds = rdsClientFor(fake.url);
    const { poller } = poll(deps({ rds }));
    await poller.drain();
    expect(fake.injected.skewRefused).toBe(1); // the first REST request, before the offset was known
    expect(Math.abs((rds.config as unknown as { systemClockOffset: number }).systemClockOffset - 20 * 60 * 1000)).toBeLessThan(5000);
    expect((await item("audit/audit.log.0")).BackupMethod).toEqual({ S: "complete-file" });
    expect(fake.calls.DownloadDBLogFilePortion).toBeUndefined();
    expect(await object("audit/audit.log.0")).toMatchObject({ sha256: await sha256Of(c) });
    // A client whose offset the SDK corrected already signs right the first time.
    file("audit/audit.log.1", content(12, 1000), 2000);
    await detector()(sqsEvent(["db1"]));
    fake.resetCounters(); // the detector's own (fresh) client was refused once too
    await poller.drain();
    expect(fake.calls.REST).toBe(1);
    expect(fake.injected.skewRefused).toBeUndefined();
  });

  test("item 15: a portion marker that does not move is a bounded, retried stall; no repeated bytes are recorded", async () => {
    const c = content(13, 200_000);
    file("audit/audit.log.0", c, 1000);
    await detector()(sqsEvent(["db1"]));
    fake.faults.refuseRest.add("db1");
    fake.faults.stallPortion.set("db1/audit/audit.log.0", 3);
    const { poller } = poll(deps());
    await poller.drain();
    expect(fake.injected.stalled).toBe(3);
    expect(fake.calls.DownloadDBLogFilePortion).toBeLessThan(20);
    expect(await object("audit/audit.log.0")).toMatchObject({ sha256: await sha256Of(c), bytes: c.size });
  });

  test("a pending detection an earlier backup already covers is settled (not pending forever), without a download", async () => {
    file("audit/audit.log.0", content(15, 1000), 1000);
    await detector()(sqsEvent(["db1"]));
    // As left by a backup recorded while the item still waited for it (e.g. a partial write that a replay then found covering).
    await aws.dynamodb.send(
      new UpdateItemCommand({
        TableName: table,
        Key: { DBInstanceIdentifier: { S: "db1" }, LogFileName: { S: "audit/audit.log.0" } },
        UpdateExpression: "SET BackupLastWritten = :lw, BackupSize = :size",
        ExpressionAttributeValues: { ":lw": { N: "1000" }, ":size": { N: "1000" } },
      }),
    );
    await poll(deps()).poller.drain();
    expect(fake.calls.REST).toBeUndefined();
    const it = await item("audit/audit.log.0");
    expect({ status: it.BackupStatus?.S, pending: it.PendingSince }).toEqual({ status: "backed-up", pending: undefined });
  });

  test("HeadObject of the recorded version answers SSE-KMS with the archive key (moto S3 versioned)", async () => {
    file("audit/audit.log.0", content(14, 1000), 1000);
    await detector()(sqsEvent(["db1"]));
    await poll(deps()).poller.drain();
    const it = await item("audit/audit.log.0");
    const head = await (aws.s3 as S3Client).send(
      new HeadObjectCommand({ Bucket: bucket, Key: "audit-logs/db1/audit/audit.log.0", VersionId: it.BackupVersionId?.S }),
    );
    expect({ sse: head.ServerSideEncryption, key: head.SSEKMSKeyId, length: head.ContentLength }).toEqual({ sse: "aws:kms", key: aws.kmsKeyArn, length: 1000 });
  });
});
