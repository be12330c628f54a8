/**
 * Detector: an SQS consumer (one message per DB instance). Lists the instance's `audit/` log files
 * written since the last change it saw (paginated DescribeDBLogFiles with FileLastWritten), and
 * writes a DynamoDB record only for a file that is new or whose size / last-written changed. An
 * unchanged scan writes nothing. The table's stream then drives the downloader.
 *
 * Partial batch responses: a failed message is reported in `batchItemFailures` and comes back
 * through SQS (and lands in the DLQ after the queue's maxReceiveCount).
 */
import { DescribeDBLogFilesCommand, type DescribeDBLogFilesDetails, type RDSClient } from "@aws-sdk/client-rds";
import { type AttributeValue, BatchGetItemCommand, type DynamoDBClient, GetItemCommand, QueryCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { AUDIT_PREFIX, DEFAULT_METRIC_NAMESPACE, type InstanceMessage, mapLimit, PENDING_INDEX, WATERMARK_SORT_KEY } from "./common";
import { describeError } from "../shared/log";
import { emitMetrics } from "../shared/metrics";
import { backoffDelay, DEFAULT_RETRY, type RetrySettings, sleep } from "../shared/retry";

export interface DetectorDeps {
  rds: RDSClient;
  dynamodb: DynamoDBClient;
  tableName: string;
  /** How far before the watermark to list again, for clock skew and late LastWritten updates. */
  overlapMs?: number;
  /** Messages processed in parallel. */
  concurrency?: number;
  retry?: RetrySettings;
  metricNamespace?: string;
  /** Value of the `Pipeline` dimension of the metrics (the alarms select on it). */
  pipelineName?: string;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  log?: (line: string) => void;
}

export interface LogFile {
  LogFileName: string;
  Size: number;
  LastWritten: number;
}

export interface KnownFile {
  Size: number;
  LastWritten: number;
}

export interface InstanceScan {
  listed: number;
  written: number;
  watermarkBefore?: number;
  watermarkAfter?: number;
  oldestPendingAgeSeconds: number;
}

/** Paginated DescribeDBLogFiles for the `audit/` files, optionally only those written since `since`. */
export async function listAuditLogFiles(rds: RDSClient, instanceId: string, since?: number): Promise<LogFile[]> {
  const files: LogFile[] = [];
  let marker: string | undefined;
  do {
    const page = await rds.send(
      new DescribeDBLogFilesCommand({
        DBInstanceIdentifier: instanceId,
        FilenameContains: AUDIT_PREFIX,
        FileLastWritten: since,
        Marker: marker,
        MaxRecords: 1000,
      }),
    );
    for (const f of page.DescribeDBLogFiles ?? ([] as DescribeDBLogFilesDetails[])) {
      if (!f.LogFileName || !f.LogFileName.startsWith(AUDIT_PREFIX)) continue;
      files.push({ LogFileName: f.LogFileName, Size: Number(f.Size ?? 0), LastWritten: Number(f.LastWritten ?? 0) });
    }
    marker = page.Marker;
  } while (marker);
  return files;
}

/** New, or changed so that it must be downloaded again. */
export function needsRecord(file: LogFile, known: KnownFile | undefined): boolean {
  if (!known) return true;
  return file.LastWritten > known.LastWritten || (file.LastWritten === known.LastWritten && file.Size !== known.Size);
}

function key(instanceId: string, logFileName: string): Record<string, AttributeValue> {
  return { DBInstanceIdentifier: { S: instanceId }, LogFileName: { S: logFileName } };
}

/** Consistent reads of the records for `names`, 100 keys a call, unprocessed keys retried. */
export async function getKnownFiles(
  ddb: DynamoDBClient,
  tableName: string,
  instanceId: string,
  names: string[],
  retry: RetrySettings,
  pause: (ms: number) => Promise<void>,
): Promise<Map<string, KnownFile>> {
  const known = new Map<string, KnownFile>();
  for (let start = 0; start < names.length; start += 100) {
    let keys: Record<string, AttributeValue>[] = names.slice(start, start + 100).map((n) => key(instanceId, n));
    for (let attempt = 0; keys.length > 0; attempt++) {
      if (attempt >= retry.maxAttempts * 2) throw new Error(`BatchGetItem left ${keys.length} key(s) unprocessed on ${tableName}`);
      if (attempt > 0) await pause(backoffDelay(attempt, retry));
      const out = await ddb.send(
        new BatchGetItemCommand({
          RequestItems: {
            [tableName]: { Keys: keys, ConsistentRead: true, ProjectionExpression: "LogFileName, #s, LastWritten", ExpressionAttributeNames: { "#s": "Size" } },
          },
        }),
      );
      for (const item of out.Responses?.[tableName] ?? []) {
        known.set(item.LogFileName.S as string, { Size: Number(item.Size?.N ?? -1), LastWritten: Number(item.LastWritten?.N ?? -1) });
      }
      keys = (out.UnprocessedKeys?.[tableName]?.Keys as Record<string, AttributeValue>[] | undefined) ?? [];
    }
  }
  return known;
}

/**
 * Records a new or changed file. The condition makes the write monotonic: a late or duplicate
 * message can never move a record back to an older size / last-written.
 * Returns false when the record already says as much (nothing changed).
 */
export async function recordDetection(ddb: DynamoDBClient, tableName: string, instanceId: string, file: LogFile, now: number): Promise<boolean> {
  try {
    await ddb.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: key(instanceId, file.LogFileName),
        UpdateExpression:
          "SET #s = :size, LastWritten = :lw, DetectedAt = :now, BackupStatus = :pending, PendingSince = if_not_exists(PendingSince, :now), Detections = if_not_exists(Detections, :zero) + :one",
        ConditionExpression: "attribute_not_exists(LogFileName) OR LastWritten < :lw OR (LastWritten = :lw AND #s <> :size)",
        ExpressionAttributeNames: { "#s": "Size" },
        ExpressionAttributeValues: {
          ":size": { N: String(file.Size) },
          ":lw": { N: String(file.LastWritten) },
          ":now": { N: String(now) },
          ":pending": { S: "pending" },
          ":zero": { N: "0" },
          ":one": { N: "1" },
        },
      }),
    );
    return true;
  } catch (err) {
    if ((err as { name?: string }).name === "ConditionalCheckFailedException") return false;
    throw err;
  }
}

export async function readWatermark(ddb: DynamoDBClient, tableName: string, instanceId: string): Promise<number | undefined> {
  const out = await ddb.send(new GetItemCommand({ TableName: tableName, Key: key(instanceId, WATERMARK_SORT_KEY), ConsistentRead: true }));
  const n = out.Item?.Watermark?.N;
  return n === undefined ? undefined : Number(n);
}

/** Moves the watermark forward only (a stale message never moves it back). */
export async function advanceWatermark(ddb: DynamoDBClient, tableName: string, instanceId: string, watermark: number, now: number): Promise<boolean> {
  try {
    await ddb.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: key(instanceId, WATERMARK_SORT_KEY),
        UpdateExpression: "SET Watermark = :w, UpdatedAt = :now",
        ConditionExpression: "attribute_not_exists(Watermark) OR Watermark < :w",
        ExpressionAttributeValues: { ":w": { N: String(watermark) }, ":now": { N: String(now) } },
      }),
    );
    return true;
  } catch (err) {
    if ((err as { name?: string }).name === "ConditionalCheckFailedException") return false;
    throw err;
  }
}

/** Age in seconds of the instance's oldest file that is detected but not yet backed up (0 if none). */
export async function oldestPendingAgeSeconds(ddb: DynamoDBClient, tableName: string, instanceId: string, now: number): Promise<number> {
  const out = await ddb.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: PENDING_INDEX,
      KeyConditionExpression: "DBInstanceIdentifier = :id",
      ExpressionAttributeValues: { ":id": { S: instanceId } },
      ScanIndexForward: true,
      Limit: 1,
    }),
  );
  const since = out.Items?.[0]?.PendingSince?.N;
  return since === undefined ? 0 : Math.max(0, Math.round((now - Number(since)) / 1000));
}

/** One instance: list, compare, write what changed, then move the watermark. */
export async function detectInstance(deps: DetectorDeps, instanceId: string): Promise<InstanceScan> {
  const now = deps.now ?? Date.now;
  const retry = deps.retry ?? DEFAULT_RETRY;
  const pause = deps.sleep ?? sleep;
  const overlap = deps.overlapMs ?? 10 * 60 * 1000;
  const watermark = await readWatermark(deps.dynamodb, deps.tableName, instanceId);
  const since = watermark === undefined ? undefined : Math.max(0, watermark - overlap);
  const files = await listAuditLogFiles(deps.rds, instanceId, since);
  const known = await getKnownFiles(
    deps.dynamodb,
    deps.tableName,
    instanceId,
    files.map((f) => f.LogFileName),
    retry,
    pause,
  );
  let written = 0;
  for (const f of files) {
    if (!needsRecord(f, known.get(f.LogFileName))) continue;
    if (await recordDetection(deps.dynamodb, deps.tableName, instanceId, f, now())) written++;
  }
  let watermarkAfter = watermark;
  const newest = files.reduce((m, f) => Math.max(m, f.LastWritten), 0);
  if (files.length > 0 && (watermark === undefined || newest > watermark)) {
    await advanceWatermark(deps.dynamodb, deps.tableName, instanceId, newest, now());
    watermarkAfter = newest;
  }
  const age = await oldestPendingAgeSeconds(deps.dynamodb, deps.tableName, instanceId, now());
  return { listed: files.length, written, watermarkBefore: watermark, watermarkAfter, oldestPendingAgeSeconds: age };
}

export function parseInstanceMessage(body: string): InstanceMessage {
  const parsed = JSON.parse(body) as Partial<InstanceMessage>;
  if (!parsed || typeof parsed.DBInstanceIdentifier !== "string" || !/^[A-Za-z][A-Za-z0-9-]{0,62}$/.test(parsed.DBInstanceIdentifier)) {
    throw new Error(`message has no valid DBInstanceIdentifier: ${body.slice(0, 200)}`);
  }
  return parsed as InstanceMessage;
}

export function createDetectorHandler(deps: DetectorDeps): (event: SQSEvent) => Promise<SQSBatchResponse> {
  const log = deps.log ?? ((line: string) => console.log(line));
  const namespace = deps.metricNamespace ?? DEFAULT_METRIC_NAMESPACE;
  const now = deps.now ?? Date.now;
  return async function detectorHandler(event: SQSEvent): Promise<SQSBatchResponse> {
    const records = event.Records ?? [];
    const outcomes = await mapLimit(records, deps.concurrency ?? 4, async (record) => {
      try {
        const msg = parseInstanceMessage(record.body);
        const scan = await detectInstance(deps, msg.DBInstanceIdentifier);
        log(JSON.stringify({ msg: "detected", instance: msg.DBInstanceIdentifier, ...scan }));
        await emitMetrics(
          namespace,
          { Pipeline: deps.pipelineName ?? "AuditLog" },
          {
            FilesListed: { value: scan.listed, unit: "Count" },
            FilesDetected: { value: scan.written, unit: "Count" },
            OldestPendingAgeSeconds: { value: scan.oldestPendingAgeSeconds, unit: "Seconds" },
          },
          now(),
        );
        return undefined;
      } catch (err) {
        log(JSON.stringify({ msg: "detector failed", messageId: record.messageId, error: describeError(err) }));
        return record.messageId;
      }
    });
    return { batchItemFailures: outcomes.filter((id): id is string => !!id).map((id) => ({ itemIdentifier: id })) };
  };
}
