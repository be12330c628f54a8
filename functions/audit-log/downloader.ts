/**
 * Downloader: a DynamoDB stream consumer. For each file the detector recorded as new or changed,
 * streams the whole file from the RDS REST endpoint (`rds-source.ts`) straight into S3 with the S3
 * client's own multipart commands (`multipart.ts`), so memory is bounded by the part size whatever
 * the file's size. Only when that endpoint is refused does it page through
 * DownloadDBLogFilePortion (truncated pages asked again with fewer lines, stalls bounded, a file
 * rotated while paged detected and read again).
 *
 * Before the object is completed it verifies the bytes read equal the bytes S3 accepted and are at
 * least the size RDS reported; then it records the object's version id and checksum with a
 * condition, so a stale download never overwrites a newer record (`backup-records.ts`).
 *
 * A file RDS answers "not found" for is recorded as missed only once later DescribeDBLogFiles
 * listings confirm it is gone (RDS can stop listing a file for a moment during rotation). A file
 * shorter than its detection because RDS rotated it is confirmed the same way and settled at once,
 * not downloaded again and again. Throttling and 5xx: backoff with jitter.
 *
 * Batches: every record is processed (one failing file does not hold back the others); the lowest
 * sequence number of a failed record goes back in `batchItemFailures`, and Lambda retries from
 * there (https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html:
 * "If the batchItemFailures array contains multiple items, Lambda uses the record with the lowest
 * sequence number as the checkpoint. Lambda then retries all records starting from that
 * checkpoint."). Replayed records that had succeeded find their backup recorded and are skipped.
 */
import { createHash } from "crypto";
import type { Readable } from "stream";
import type { RDSClient } from "@aws-sdk/client-rds";
import { type AttributeValue, type DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import type { S3Client } from "@aws-sdk/client-s3";
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from "aws-lambda";
import { DEFAULT_KEY_PREFIX, DEFAULT_METRIC_NAMESPACE, objectKeyFor } from "./common";
import { describeError } from "../shared/log";
import { emitMetrics } from "../shared/metrics";
import { backoffDelay, DEFAULT_RETRY, isRetryableError, type RetrySettings, sleep } from "../shared/retry";
import { alreadyCovered, type DownloadJob, jobFromRecord, jobKey, newerJob, recordBackup, recordMissed, settleCovered } from "./backup-records";
import { describeLogFile, openCompleteFile, permanent, portionStream, retryable } from "./rds-source";
import { uploadStream } from "./multipart";
import { DOWNLOADER_QUEUE_SIZE } from "./settings";

export { alreadyCovered, jobFromRecord, recordBackup, recordMissed, type DownloadJob } from "./backup-records";
export { completeFilePath, hasTruncationMarker, openCompleteFile, portionStream, TRUNCATION_MARKERS } from "./rds-source";

export interface DownloaderDeps {
  rds: RDSClient;
  s3: S3Client;
  dynamodb: DynamoDBClient;
  tableName: string;
  /** The archive bucket (config `auditLogPipeline.archiveBucketName`, or LogArchive's). */
  archiveBucketName: string;
  /** The archive bucket's KMS key: objects are written with SSE-KMS under it. */
  archiveKmsKeyArn?: string;
  /** Region of the RDS instances (and of the REST endpoint). */
  region: string;
  /** Override of the REST endpoint base URL (tests point it at loopback). Default: `https://rds.{region}.{dnsSuffix}`. */
  rdsRestEndpoint?: string;
  /** Path version of the REST endpoint (default `v13`, see rds-source.ts). */
  restPathVersion?: string;
  keyPrefix?: string;
  /** Multipart part size in MiB (at least 5); memory stays near the part size x (queueSize + 1). */
  partSizeMb?: number;
  queueSize?: number;
  /** Lines asked for per DownloadDBLogFilePortion call (halved on truncation). */
  portionLines?: number;
  retry?: RetrySettings;
  /** DescribeDBLogFiles listings, spaced by the retry backoff, that must all miss a file before it is recorded as missed. */
  goneConfirmations?: number;
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

export function isNotFound(err: unknown): boolean {
  const name = (err as { name?: string })?.name;
  return name === "DBLogFileNotFoundFault" || name === "DBInstanceNotFoundFault" || name === "DBInstanceNotFound";
}

/**
 * One attempt: open the source (complete-file endpoint, or the portion API when the endpoint is
 * refused), stream it into S3 with a byte counter + SHA-256 over every chunk read, and verify
 * before completing.
 */
export async function transferOnce(
  deps: DownloaderDeps,
  job: DownloadJob,
  usePortion: boolean,
  counter: { calls: number } = { calls: 0 },
): Promise<TransferResult> {
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
      const text = res.errorText ?? "";
      const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
      if (res.status === 404 && (code === "DBLogFileNotFoundFault" || code === "DBInstanceNotFound")) {
        throw Object.assign(new Error(`RDS REST endpoint: ${code}`), { name: code });
      }
      if (res.status === 429 || res.status >= 500 || /Throttl/i.test(text)) {
        throw retryable(`RDS REST endpoint answered ${res.status}: ${text.slice(0, 200)}`, "RestEndpointUnavailable", {
          $metadata: { httpStatusCode: res.status },
        });
      }
      throw Object.assign(new Error(`RDS REST endpoint refused (${res.status}): ${text.slice(0, 200)}`), { name: "RestEndpointRefused", status: res.status });
    }
  } else {
    method = "portion";
    source = portionStream(deps.rds, job, deps.portionLines ?? 2000, counter);
  }

  const hash = createHash("sha256");
  let bytesRead = 0;
  const meter = (chunk: Buffer) => {
    bytesRead += chunk.length;
    hash.update(chunk);
  };
  const verify = () => {
    if (expectedLength !== undefined && bytesRead !== expectedLength) {
      throw retryable(`read ${bytesRead} bytes of ${job.LogFileName}, Content-Length said ${expectedLength}`, "ShortRead");
    }
    if (bytesRead < job.Size)
      throw retryable(`read ${bytesRead} bytes of ${job.LogFileName}, RDS reported ${job.Size} at detection`, "ShortRead", { bytesRead });
  };
  let out;
  try {
    out = await uploadStream(
      deps.s3,
      {
        Bucket: deps.archiveBucketName,
        Key: objectKeyFor(job.DBInstanceIdentifier, job.LogFileName, deps.keyPrefix ?? DEFAULT_KEY_PREFIX),
        ContentType: "text/plain; charset=utf-8",
        ...(deps.archiveKmsKeyArn ? { ServerSideEncryption: "aws:kms" as const, SSEKMSKeyId: deps.archiveKmsKeyArn, BucketKeyEnabled: true } : {}),
        Metadata: {
          "db-instance-identifier": job.DBInstanceIdentifier,
          "log-file-name": job.LogFileName,
          "rds-last-written": String(job.LastWritten),
          "rds-size": String(job.Size),
        },
      },
      source,
      { partSize: (deps.partSizeMb ?? 8) * 1024 * 1024, queueSize: deps.queueSize ?? DOWNLOADER_QUEUE_SIZE, beforeComplete: verify, onChunk: meter },
    );
  } finally {
    source.destroy();
  }
  if (out.bytesUploaded !== bytesRead)
    throw retryable(`S3 accepted ${out.bytesUploaded} bytes of ${job.LogFileName} but ${bytesRead} were read`, "ByteCountMismatch");
  return {
    method,
    bytesRead,
    bytesUploaded: out.bytesUploaded,
    sha256: hash.digest("hex"),
    versionId: out.versionId,
    eTag: out.eTag,
    s3Checksum: out.checksum,
    apiCalls: counter.calls,
  };
}

/**
 * Attempts with backoff and jitter. The complete-file endpoint is tried first; a refusal switches
 * to the portion API for the rest of the job. Not-found and unrecoverable errors are not retried.
 * A short read is compared with RDS's listing first: when the file is now smaller than its
 * detection, RDS rotated it and no retry can bring the old bytes back (`FileRotated`).
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
      if ((err as { name?: string }).name === "ShortRead") {
        const listed = await describeLogFile(deps.rds, job.DBInstanceIdentifier, job.LogFileName);
        if (!listed) throw Object.assign(new Error(`${job.LogFileName} ended early and is no longer listed`), { name: "DBLogFileNotFoundFault" });
        if (listed.Size < job.Size)
          throw Object.assign(permanent(`${job.LogFileName} is now ${listed.Size} bytes, ${job.Size} at detection: rotated`, "FileRotated"), { listed });
      }
      if (isNotFound(err) || !isRetryableError(err) || attempt + 1 >= retry.maxAttempts) throw err;
      await pause(backoffDelay(attempt, retry, deps.random));
    }
  }
}

/**
 * After a not-found: whether RDS still lists the file in any of `n` listings spaced by the
 * backoff (a file can drop out of the listing for a moment during rotation).
 */
export async function stillListed(deps: DownloaderDeps, job: DownloadJob, n: number): Promise<boolean> {
  const retry = deps.retry ?? DEFAULT_RETRY;
  const pause = deps.sleep ?? sleep;
  for (let i = 0; i < n; i++) {
    await pause(Math.max(retry.baseDelayMs, backoffDelay(i + 1, retry, deps.random)));
    try {
      const listed = await describeLogFile(deps.rds, job.DBInstanceIdentifier, job.LogFileName);
      if (listed && listed.Size >= job.Size) return true;
      if (listed) return false; // listed, but smaller: another file under the old name
    } catch (err) {
      if (!isNotFound(err)) throw err; // the instance is gone: so is the file
      return false;
    }
  }
  return false;
}

/** Does one job end to end: skip what is covered, transfer, confirm a disappearance, record. */
export async function processJob(deps: DownloaderDeps, job: DownloadJob): Promise<JobOutcome> {
  const now = deps.now ?? Date.now;
  const current = await deps.dynamodb.send(new GetItemCommand({ TableName: deps.tableName, Key: jobKey(job), ConsistentRead: true }));
  const covered = alreadyCovered(current.Item as Record<string, AttributeValue> | undefined, job);
  if (covered) {
    if (covered === "already backed up") await settleCovered(deps.dynamodb, deps.tableName, job);
    return { status: "skipped", reason: covered };
  }
  const confirmations = deps.goneConfirmations ?? 3;
  for (let round = 0; ; round++) {
    let t: TransferResult;
    try {
      t = await transfer(deps, job);
    } catch (err) {
      const rotated = (err as { name?: string }).name === "FileRotated";
      if (!isNotFound(err) && !rotated) throw err;
      if (!rotated && (await stillListed(deps, job, confirmations))) {
        if (round + 1 >= confirmations) throw retryable(`${job.LogFileName}: RDS answers not found but still lists it`, "LogFileFlapping");
        continue;
      }
      const reason = describeError(err);
      await recordMissed(deps.dynamodb, deps.tableName, job, reason, now());
      return { status: "missed", reason };
    }
    const recorded = await recordBackup(deps.dynamodb, deps.tableName, job, t, now());
    return { status: "backed-up", transfer: t, recorded };
  }
}

/**
 * The jobs of a batch: per file, the newest detection among its records (the downloader's own
 * bookkeeping writes carry none), with the lowest sequence number of the file's records that asked
 * for work, which is where Lambda must retry from if the file fails.
 */
export function jobsOfBatch(records: DynamoDBStreamEvent["Records"]): { job: DownloadJob; sequenceNumber: string; order: number }[] {
  const byFile = new Map<string, { job: DownloadJob; sequenceNumber: string; order: number }>();
  records.forEach((record, order) => {
    const job = jobFromRecord(record);
    if ("skip" in job) return;
    const k = `${job.DBInstanceIdentifier}\u0000${job.LogFileName}`;
    const seen = byFile.get(k);
    if (!seen) byFile.set(k, { job, sequenceNumber: record.dynamodb?.SequenceNumber ?? record.eventID ?? "", order });
    else if (newerJob(job, seen.job)) seen.job = job;
  });
  return [...byFile.values()].sort((a, b) => a.order - b.order);
}

export function createDownloaderHandler(deps: DownloaderDeps): (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse> {
  const log = deps.log ?? ((line: string) => console.log(line));
  const namespace = deps.metricNamespace ?? DEFAULT_METRIC_NAMESPACE;
  const now = deps.now ?? Date.now;
  return async function downloaderHandler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
    let missed = 0;
    let backedUp = 0;
    let bytes = 0;
    let failures = 0;
    let firstFailure: { sequenceNumber: string; order: number } | undefined;
    for (const { job, sequenceNumber, order } of jobsOfBatch(event.Records ?? [])) {
      const file = `${job.DBInstanceIdentifier}/${job.LogFileName}`;
      try {
        const outcome = await processJob(deps, job);
        if (outcome.status === "missed") missed++;
        if (outcome.status === "backed-up") {
          backedUp++;
          bytes += outcome.transfer.bytesRead;
        }
        log(JSON.stringify({ msg: "downloader", file, ...outcome }));
      } catch (err) {
        failures++;
        if (!firstFailure || order < firstFailure.order) firstFailure = { sequenceNumber, order };
        log(JSON.stringify({ msg: "download failed", file, sequenceNumber, error: describeError(err) }));
      }
    }
    await emitMetrics(
      namespace,
      { Pipeline: deps.pipelineName ?? "AuditLog" },
      {
        MissedFiles: { value: missed, unit: "Count" },
        FilesBackedUp: { value: backedUp, unit: "Count" },
        BytesBackedUp: { value: bytes, unit: "Bytes" },
        DownloadFailures: { value: failures, unit: "Count" },
      },
      now(),
    );
    return { batchItemFailures: firstFailure ? [{ itemIdentifier: firstFailure.sequenceNumber }] : [] };
  };
}
