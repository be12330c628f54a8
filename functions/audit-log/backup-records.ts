/**
 * The downloader's bookkeeping in the pipeline's table: what a stream record asks for, whether the
 * item already covers it, and the conditional writes that record a backup or a miss. Every write is
 * conditional so that a stale or repeated download (a retried batch replays records that already
 * succeeded) never moves an item back.
 */
import { type AttributeValue, type DynamoDBClient, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import type { DynamoDBRecord } from "aws-lambda";
import { AUDIT_PREFIX } from "./common";

/** What the detector recorded: the file and the size / last-written RDS reported then. */
export interface DownloadJob {
  DBInstanceIdentifier: string;
  LogFileName: string;
  Size: number;
  LastWritten: number;
}

export interface RecordedTransfer {
  method: "complete-file" | "portion";
  bytesRead: number;
  sha256: string;
  versionId?: string;
  eTag?: string;
  s3Checksum?: string;
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

/** Newer detection first: later LastWritten, then larger Size. */
export function newerJob(a: DownloadJob, b: DownloadJob): boolean {
  return a.LastWritten > b.LastWritten || (a.LastWritten === b.LastWritten && a.Size > b.Size);
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

export function jobKey(job: DownloadJob): Record<string, AttributeValue> {
  return { DBInstanceIdentifier: { S: job.DBInstanceIdentifier }, LogFileName: { S: job.LogFileName } };
}

function isConditionFailure(err: unknown): boolean {
  return (err as { name?: string })?.name === "ConditionalCheckFailedException";
}

/**
 * A detection that an earlier (partial) backup already covers: the item is settled, so it stops
 * being pending. Conditional on the item still being that detection and that backup.
 */
export async function settleCovered(ddb: DynamoDBClient, tableName: string, job: DownloadJob): Promise<boolean> {
  try {
    await ddb.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: jobKey(job),
        UpdateExpression: "SET BackupStatus = :ok REMOVE PendingSince, LastError",
        ConditionExpression:
          "LastWritten = :lw AND #s = :size AND BackupStatus = :pending AND (BackupLastWritten > :lw OR (BackupLastWritten = :lw AND BackupSize >= :size))",
        ExpressionAttributeNames: { "#s": "Size" },
        ExpressionAttributeValues: {
          ":ok": { S: "backed-up" },
          ":pending": { S: "pending" },
          ":lw": { N: String(job.LastWritten) },
          ":size": { N: String(job.Size) },
        },
      }),
    );
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}

/**
 * Records the backup. First try "complete": this download covers the current detection, so the
 * file stops being pending. If a newer detection has arrived since, record it as "partial" (kept
 * pending: the newer stream record downloads again). If a newer backup is recorded already, the
 * write is refused: "superseded".
 */
export async function recordBackup(
  ddb: DynamoDBClient,
  tableName: string,
  job: DownloadJob,
  t: RecordedTransfer,
  now: number,
): Promise<"complete" | "partial" | "superseded"> {
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
        ExpressionAttributeValues: {
          ":missed": { S: "missed" },
          ":now": { N: String(now) },
          ":lw": { N: String(job.LastWritten) },
          ":reason": { S: reason.slice(0, 500) },
        },
      }),
    );
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}
