/**
 * Downloader: a DynamoDB stream consumer. For each file the detector recorded as new or changed,
 * streams the whole file from the RDS REST endpoint
 * `GET /v13/downloadCompleteLogFile/{DBInstanceIdentifier}/{LogFileName}` (SigV4, service `rds`)
 * straight into an S3 multipart upload, so memory is bounded by the part size whatever the file's
 * size. Only when that endpoint is refused does it page through DownloadDBLogFilePortion, and then
 * it detects the "[Your log file was truncated]" marker and asks again for fewer lines.
 *
 * It verifies the bytes S3 accepted equal the bytes read and are at least the size RDS reported,
 * then records the object's version id and checksum with a condition, so a stale download never
 * overwrites a newer record. A file RDS no longer has (DBLogFileNotFoundFault) is recorded as
 * missed, counted in a metric, and not retried. Throttling and 5xx: backoff with jitter.
 *
 * Partial batch responses (`batchItemFailures`) report the first record that failed; the stream
 * mapping retries from there (bounded, bisect-on-error, on-failure destination).
 */
import * as http from "http";
import * as https from "https";
import { createHash } from "crypto";
import { PassThrough, Readable, Transform, pipeline } from "stream";
import { DownloadDBLogFilePortionCommand, type RDSClient } from "@aws-sdk/client-rds";
import { type AttributeValue, type DynamoDBClient, GetItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import type { S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { SignatureV4 } from "@smithy/signature-v4";
import { HttpRequest } from "@smithy/protocol-http";
import { Sha256 } from "@aws-crypto/sha256-js";
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import {
  AUDIT_PREFIX,
  backoffDelay,
  DEFAULT_KEY_PREFIX,
  DEFAULT_METRIC_NAMESPACE,
  DEFAULT_RETRY,
  describeError,
  emitMetrics,
  isRetryableError,
  objectKeyFor,
  rdsRestEndpointFor,
  type RetrySettings,
  sleep,
} from "./common";

/** Markers RDS appends to a DownloadDBLogFilePortion page it cut short. */
export const TRUNCATION_MARKERS = ["[Your log file was truncated]", "[Your log message was truncated]"];

export interface DownloaderDeps {
  rds: RDSClient;
  s3: S3Client;
  dynamodb: DynamoDBClient;
  tableName: string;
  bucketName: string;
  /** The archive bucket's KMS key: objects are written with SSE-KMS under it. */
  kmsKeyArn?: string;
  /** Region of the RDS instances (and of the REST endpoint). */
  region: string;
  /** Override of the REST endpoint base URL (tests point it at loopback). Default: `https://rds.{region}.{dnsSuffix}`. */
  rdsRestEndpoint?: string;
  keyPrefix?: string;
  /** Multipart part size; memory stays near partSize x (queueSize + 1). */
  partSize?: number;
  queueSize?: number;
  /** Lines asked for per DownloadDBLogFilePortion call (halved on truncation). */
  portionLines?: number;
  retry?: RetrySettings;
  /** Abort a REST download that sends nothing for this long. */
  idleTimeoutMs?: number;
  metricNamespace?: string;
  /** Value of the `Pipeline` dimension of the metrics (the alarms select on it). */
  pipelineName?: string;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  log?: (line: string) => void;
}

/** What the detector recorded: the file and the size / last-written RDS reported then. */
export interface DownloadJob {
  DBInstanceIdentifier: string;
  LogFileName: string;
  Size: number;
  LastWritten: number;
}

export interface TransferResult {
  method: "complete-file" | "portion";
  bytesRead: number;
  bytesUploaded: number;
  sha256: string;
  versionId?: string;
  eTag?: string;
  s3Checksum?: string;
  apiCalls: number;
}

export type JobOutcome =
  | { status: "backed-up"; transfer: TransferResult; recorded: "complete" | "partial" | "superseded" }
  | { status: "missed"; reason: string }
  | { status: "skipped"; reason: string };

/** A failure that another attempt will not fix. */
function permanent(message: string, name: string): Error {
  const err = new Error(message);
  err.name = name;
  (err as { retryable?: boolean }).retryable = false;
  return err;
}

function retryable(message: string, name: string, extra?: Record<string, unknown>): Error {
  const err = new Error(message);
  err.name = name;
  Object.assign(err, { retryable: true }, extra);
  return err;
}

export function isNotFound(err: unknown): boolean {
  const name = (err as { name?: string })?.name;
  return name === "DBLogFileNotFoundFault" || name === "DBInstanceNotFoundFault" || name === "DBInstanceNotFound";
}

/** Ends with one of RDS's truncation markers (whitespace around it allowed). */
export function hasTruncationMarker(data: string): boolean {
  const tail = data.slice(-200).trimEnd();
  return TRUNCATION_MARKERS.some((m) => tail.endsWith(m));
}

/** The job a stream record asks for, or why there is nothing to do. */
export function jobFromRecord(record: DynamoDBRecord): DownloadJob | { skip: string } {
  const img = record.dynamodb?.NewImage as Record<string, AttributeValue> | undefined;
  const old = record.dynamodb?.OldImage as Record<string, AttributeValue> | undefined;
  if (record.eventName === "REMOVE" || !img) return { skip: "removed" };
  const instance = img.DBInstanceIdentifier?.S;
  const name = img.LogFileName?.S;
  if (!instance || !name) return { skip: "not a log file record" };
  if (!name.startsWith(AUDIT_PREFIX)) return { skip: "bookkeeping record" };
  const size = Number(img.Size?.N);
  const lw = Number(img.LastWritten?.N);
  if (!Number.isFinite(size) || !Number.isFinite(lw)) return { skip: "record without Size/LastWritten" };
  if (old && Number(old.Size?.N) === size && Number(old.LastWritten?.N) === lw) return { skip: "detection unchanged (backup bookkeeping)" };
  return { DBInstanceIdentifier: instance, LogFileName: name, Size: size, LastWritten: lw };
}

/** Whether the item's recorded backup (or miss) already covers this detection. */
export function alreadyCovered(item: Record<string, AttributeValue> | undefined, job: DownloadJob): string | undefined {
  if (!item) return "record gone";
  const bLw = Number(item.BackupLastWritten?.N ?? -1);
  const bSize = Number(item.BackupSize?.N ?? -1);
  if (bLw > job.LastWritten || (bLw === job.LastWritten && bSize >= job.Size)) return "already backed up";
  const mLw = Number(item.MissedLastWritten?.N ?? -1);
  if (mLw >= job.LastWritten) return "already recorded as missed";
  return undefined;
}

/** Path of the complete-file endpoint; the log file name keeps its `/` separators. */
export function completeFilePath(instanceId: string, logFileName: string): string {
  return `/v13/downloadCompleteLogFile/${encodeURIComponent(instanceId)}/${logFileName.split("/").map(encodeURIComponent).join("/")}`;
}

/** Opens the complete-file endpoint, signed with the SDK's SigV4 signer (service `rds`). */
export async function openCompleteFile(
  deps: Pick<DownloaderDeps, "rds" | "region" | "rdsRestEndpoint" | "idleTimeoutMs">,
  job: DownloadJob,
): Promise<{ status: number; body: http.IncomingMessage; headers: http.IncomingHttpHeaders }> {
  const base = new URL(deps.rdsRestEndpoint ?? rdsRestEndpointFor(deps.region));
  const request = new HttpRequest({
    method: "GET",
    protocol: base.protocol,
    hostname: base.hostname,
    port: base.port ? Number(base.port) : undefined,
    path: completeFilePath(job.DBInstanceIdentifier, job.LogFileName),
    headers: { host: base.host },
  });
  const signer = new SignatureV4({ credentials: deps.rds.config.credentials, region: deps.region, service: "rds", sha256: Sha256 });
  const signed = await signer.sign(request);
  const transport = base.protocol === "http:" ? http : https;
  return new Promise((resolve, reject) => {
    const req = transport.request(
      { method: "GET", protocol: base.protocol, hostname: base.hostname, port: base.port || undefined, path: signed.path, headers: signed.headers },
      (res) => resolve({ status: res.statusCode ?? 0, body: res, headers: res.headers }),
    );
    req.setTimeout(deps.idleTimeoutMs ?? 60000, () => req.destroy(retryable("RDS REST endpoint idle", "TimeoutError")));
    req.on("error", reject);
    req.end();
  });
}

async function drain(body: Readable, limit = 4096): Promise<string> {
  let text = "";
  for await (const chunk of body) {
    if (text.length < limit) text += chunk.toString("utf8");
  }
  return text.slice(0, limit);
}

/** Pages through DownloadDBLogFilePortion from marker "0"; halves NumberOfLines on a truncated page. */
export function portionStream(rds: RDSClient, job: DownloadJob, lines: number, counter: { calls: number }): Readable {
  async function* pages(): AsyncGenerator<Buffer> {
    let marker = "0";
    let want = lines;
    for (;;) {
      counter.calls++;
      const page = await rds.send(
        new DownloadDBLogFilePortionCommand({
          DBInstanceIdentifier: job.DBInstanceIdentifier,
          LogFileName: job.LogFileName,
          Marker: marker,
          NumberOfLines: want,
        }),
      );
      const data = page.LogFileData ?? "";
      if (hasTruncationMarker(data)) {
        if (want <= 1) throw permanent(`a single line of ${job.LogFileName} is larger than one portion: RDS truncates it`, "UnrecoverableTruncation");
        want = Math.max(1, Math.floor(want / 2));
        continue;
      }
      if (data.length > 0) yield Buffer.from(data, "utf8");
      if (!page.AdditionalDataPending || !page.Marker) return;
      if (page.Marker === marker && data.length === 0) throw retryable(`portion API made no progress at marker ${marker}`, "PortionStalled");
      marker = page.Marker;
      if (want < lines) want = Math.min(lines, want * 2);
    }
  }
  return Readable.from(pages(), { objectMode: false });
}

/**
 * One attempt: open the source (complete-file endpoint, or the portion API when the endpoint is
 * refused), pipe it through a byte counter + SHA-256 into a multipart upload, and verify.
 */
export async function transferOnce(deps: DownloaderDeps, job: DownloadJob, usePortion: boolean, counter: { calls: number } = { calls: 0 }): Promise<TransferResult> {
  let source: Readable;
  let method: TransferResult["method"] = "complete-file";
  let expectedLength: number | undefined;
  if (!usePortion) {
    counter.calls++;
    const res = await openCompleteFile(deps, job);
    if (res.status === 200) {
      source = res.body;
      const cl = res.headers["content-length"];
      if (cl !== undefined) expectedLength = Number(cl);
    } else {
      const text = await drain(res.body);
      if (res.status === 429 || res.status >= 500 || /Throttl/i.test(text)) {
        throw retryable(`RDS REST endpoint answered ${res.status}: ${text.slice(0, 200)}`, "RestEndpointUnavailable", { $metadata: { httpStatusCode: res.status } });
      }
      throw Object.assign(new Error(`RDS REST endpoint refused (${res.status}): ${text.slice(0, 200)}`), { name: "RestEndpointRefused", status: res.status });
    }
  } else {
    method = "portion";
    source = portionStream(deps.rds, job, deps.portionLines ?? 2000, counter);
  }

  const hash = createHash("sha256");
  let bytesRead = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytesRead += chunk.length;
      hash.update(chunk);
      done(null, chunk);
    },
  });
  const body = new PassThrough();
  let sourceError: Error | undefined;
  pipeline(source, meter, body, (err) => {
    if (err) sourceError = err;
  });

  const partSize = deps.partSize ?? 8 * 1024 * 1024;
  const upload = new Upload({
    client: deps.s3,
    partSize,
    queueSize: deps.queueSize ?? 2,
    leavePartsOnError: false,
    params: {
      Bucket: deps.bucketName,
      Key: objectKeyFor(job.DBInstanceIdentifier, job.LogFileName, deps.keyPrefix ?? DEFAULT_KEY_PREFIX),
      Body: body,
      ContentType: "text/plain; charset=utf-8",
      ...(deps.kmsKeyArn ? { ServerSideEncryption: "aws:kms" as const, SSEKMSKeyId: deps.kmsKeyArn, BucketKeyEnabled: true } : {}),
      Metadata: {
        "db-instance-identifier": job.DBInstanceIdentifier,
        "log-file-name": job.LogFileName,
        "rds-last-written": String(job.LastWritten),
        "rds-size": String(job.Size),
      },
    },
  });
  let bytesUploaded = 0;
  upload.on("httpUploadProgress", (p) => {
    if (typeof p.loaded === "number") bytesUploaded = p.loaded;
  });
  let out;
  try {
    out = await upload.done();
  } catch (err) {
    const cause = sourceError;
    source.destroy();
    throw cause ?? err;
  }
  if (sourceError) throw sourceError;

  if (bytesUploaded !== bytesRead) {
    throw retryable(`S3 accepted ${bytesUploaded} bytes of ${job.LogFileName} but ${bytesRead} were read`, "ByteCountMismatch");
  }
  if (expectedLength !== undefined && bytesRead !== expectedLength) {
    throw retryable(`read ${bytesRead} bytes of ${job.LogFileName}, Content-Length said ${expectedLength}`, "ShortRead");
  }
  if (bytesRead < job.Size) {
    throw retryable(`read ${bytesRead} bytes of ${job.LogFileName}, RDS reported ${job.Size} at detection`, "ShortRead");
  }
  const o = out as { VersionId?: string; ETag?: string; ChecksumCRC32?: string; ChecksumCRC32C?: string; ChecksumSHA256?: string };
  return {
    method,
    bytesRead,
    bytesUploaded,
    sha256: hash.digest("hex"),
    versionId: o.VersionId,
    eTag: o.ETag,
    s3Checksum: o.ChecksumSHA256 ?? o.ChecksumCRC32C ?? o.ChecksumCRC32,
    apiCalls: counter.calls,
  };
}

/**
 * Attempts with backoff and jitter. The complete-file endpoint is tried first; a refusal switches
 * to the portion API for the rest of the job. Not-found and unrecoverable errors are not retried.
 */
export async function transfer(deps: DownloaderDeps, job: DownloadJob): Promise<TransferResult> {
  const retry = deps.retry ?? DEFAULT_RETRY;
  const pause = deps.sleep ?? sleep;
  let usePortion = false;
  const counter = { calls: 0 };
  for (let attempt = 0; ; attempt++) {
    try {
      return await transferOnce(deps, job, usePortion, counter);
    } catch (err) {
      if ((err as { name?: string }).name === "RestEndpointRefused" && !usePortion) {
        usePortion = true;
        attempt--; // a refusal is not a failed attempt
        continue;
      }
      if (isNotFound(err) || !isRetryableError(err) || attempt + 1 >= retry.maxAttempts) throw err;
      await pause(backoffDelay(attempt, retry, deps.random));
    }
  }
}

function jobKey(job: DownloadJob): Record<string, AttributeValue> {
  return { DBInstanceIdentifier: { S: job.DBInstanceIdentifier }, LogFileName: { S: job.LogFileName } };
}

function isConditionFailure(err: unknown): boolean {
  return (err as { name?: string })?.name === "ConditionalCheckFailedException";
}

/**
 * Records the backup. First try "complete": this download covers the current detection, so the
 * file stops being pending. If a newer detection has arrived since, record it as "partial" (kept
 * pending: the newer stream record downloads again). If a newer backup is recorded already, the
 * write is refused: "superseded".
 */
export async function recordBackup(ddb: DynamoDBClient, tableName: string, job: DownloadJob, t: TransferResult, now: number): Promise<"complete" | "partial" | "superseded"> {
  const values: Record<string, AttributeValue> = {
    ":lw": { N: String(job.LastWritten) },
    ":bytes": { N: String(t.bytesRead) },
    ":now": { N: String(now) },
    ":sha": { S: t.sha256 },
    ":method": { S: t.method },
    ":ok": { S: "backed-up" },
    ":ver": t.versionId ? { S: t.versionId } : { NULL: true },
    ":etag": t.eTag ? { S: t.eTag } : { NULL: true },
    ":ck": t.s3Checksum ? { S: t.s3Checksum } : { NULL: true },
  };
  const set =
    "SET LastBackup = :now, BackupLastWritten = :lw, BackupSize = :bytes, BackupSha256 = :sha, BackupVersionId = :ver, BackupETag = :etag, BackupChecksum = :ck, BackupMethod = :method";
  const newer = "(attribute_not_exists(BackupLastWritten) OR BackupLastWritten < :lw OR (BackupLastWritten = :lw AND BackupSize < :bytes))";
  try {
    await ddb.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: jobKey(job),
        UpdateExpression: `${set}, BackupStatus = :ok REMOVE PendingSince, LastError`,
        ConditionExpression: `attribute_exists(LogFileName) AND LastWritten = :lw AND #s <= :bytes AND ${newer}`,
        ExpressionAttributeNames: { "#s": "Size" },
        ExpressionAttributeValues: values,
      }),
    );
    return "complete";
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
  }
  try {
    const { [":ok"]: _ok, ...partialValues } = values;
    await ddb.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: jobKey(job),
        UpdateExpression: set,
        ConditionExpression: `attribute_exists(LogFileName) AND ${newer}`,
        ExpressionAttributeValues: partialValues,
      }),
    );
    return "partial";
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    return "superseded";
  }
}

/** Records that RDS no longer has the file: it is lost for good, alarmed, and never retried. */
export async function recordMissed(ddb: DynamoDBClient, tableName: string, job: DownloadJob, reason: string, now: number): Promise<boolean> {
  try {
    await ddb.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: jobKey(job),
        UpdateExpression: "SET BackupStatus = :missed, MissedAt = :now, MissedLastWritten = :lw, LastError = :reason REMOVE PendingSince",
        ConditionExpression: "attribute_exists(LogFileName) AND LastWritten = :lw AND (attribute_not_exists(BackupLastWritten) OR BackupLastWritten < :lw)",
        ExpressionAttributeValues: { ":missed": { S: "missed" }, ":now": { N: String(now) }, ":lw": { N: String(job.LastWritten) }, ":reason": { S: reason.slice(0, 500) } },
      }),
    );
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}

/** Does one job end to end: skip what is covered, transfer, record. */
export async function processJob(deps: DownloaderDeps, job: DownloadJob): Promise<JobOutcome> {
  const now = deps.now ?? Date.now;
  const current = await deps.dynamodb.send(new GetItemCommand({ TableName: deps.tableName, Key: jobKey(job), ConsistentRead: true }));
  const covered = alreadyCovered(current.Item, job);
  if (covered) return { status: "skipped", reason: covered };
  let t: TransferResult;
  try {
    t = await transfer(deps, job);
  } catch (err) {
    if (isNotFound(err)) {
      const reason = describeError(err);
      await recordMissed(deps.dynamodb, deps.tableName, job, reason, now());
      return { status: "missed", reason };
    }
    throw err;
  }
  const recorded = await recordBackup(deps.dynamodb, deps.tableName, job, t, now());
  return { status: "backed-up", transfer: t, recorded };
}

export function createDownloaderHandler(deps: DownloaderDeps): (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse> {
  const log = deps.log ?? ((line: string) => console.log(line));
  const namespace = deps.metricNamespace ?? DEFAULT_METRIC_NAMESPACE;
  const now = deps.now ?? Date.now;
  return async function downloaderHandler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
    const records = event.Records ?? [];
    // Only the last record per file in a batch matters: it carries the newest detection.
    const lastIndex = new Map<string, number>();
    records.forEach((r, i) => {
      const keys = r.dynamodb?.Keys as Record<string, AttributeValue> | undefined;
      lastIndex.set(`${keys?.DBInstanceIdentifier?.S}\u0000${keys?.LogFileName?.S}`, i);
    });
    let missed = 0;
    let backedUp = 0;
    let bytes = 0;
    for (let i = 0; i < records.length; i++) {
      const record = records[i];
      const keys = record.dynamodb?.Keys as Record<string, AttributeValue> | undefined;
      if (lastIndex.get(`${keys?.DBInstanceIdentifier?.S}\u0000${keys?.LogFileName?.S}`) !== i) continue;
      const job = jobFromRecord(record);
      if ("skip" in job) continue;
      try {
        const outcome = await processJob(deps, job);
        if (outcome.status === "missed") missed++;
        if (outcome.status === "backed-up") {
          backedUp++;
          bytes += outcome.transfer.bytesRead;
        }
        log(JSON.stringify({ msg: "downloader", file: `${job.DBInstanceIdentifier}/${job.LogFileName}`, ...outcome }));
      } catch (err) {
        log(JSON.stringify({ msg: "download failed", file: `${job.DBInstanceIdentifier}/${job.LogFileName}`, error: describeError(err) }));
        await emitMetrics(namespace, { Pipeline: deps.pipelineName ?? "AuditLog" }, { MissedFiles: { value: missed, unit: "Count" }, FilesBackedUp: { value: backedUp, unit: "Count" }, BytesBackedUp: { value: bytes, unit: "Bytes" }, DownloadFailures: { value: 1, unit: "Count" } }, now());
        // Stream semantics: everything from this record on is retried.
        return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? record.eventID ?? "" }] };
      }
    }
    await emitMetrics(namespace, { Pipeline: deps.pipelineName ?? "AuditLog" }, { MissedFiles: { value: missed, unit: "Count" }, FilesBackedUp: { value: backedUp, unit: "Count" }, BytesBackedUp: { value: bytes, unit: "Bytes" }, DownloadFailures: { value: 0, unit: "Count" } }, now());
    return { batchItemFailures: [] };
  };
}
