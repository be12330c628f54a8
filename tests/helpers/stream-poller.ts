/**
 * A Lambda-like poller of a real DynamoDB stream (moto's, through @aws-sdk/client-dynamodb-streams):
 * reads each shard with GetShardIterator/GetRecords and invokes a handler the way a Lambda event
 * source mapping does. Each behaviour and its source:
 *
 * - Records in order per shard, at most `batchSize` per invocation, each one write of the table
 *   with both images, in Lambda's event shape (eventVersion "1.1", eventSourceARN, awsRegion,
 *   ApproximateCreationDateTime in epoch seconds):
 *   https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html (example event, BatchSize).
 * - Filter criteria: records that match no filter are dropped and never reach the function
 *   (https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html: "If an event
 *   doesn't meet any of the filtering criteria, Lambda drops the event"; `prefix`, `exists`, exact
 *   values; a filter on a DynamoDB stream sees the record's `dynamodb` object).
 * - Partial batch responses, only when the mapping's FunctionResponseTypes has
 *   ReportBatchItemFailures ("Lambda doesn't process these responses unless the
 *   ReportBatchItemFailures feature is explicitly turned on"); several failures: the lowest
 *   sequence number is the checkpoint and everything from there is retried; an empty or null
 *   itemIdentifier (or one that is not in the batch) fails the whole batch; with
 *   BisectBatchOnFunctionError the batch is split at the returned sequence number and only the
 *   remaining records are retried:
 *   https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html
 * - A function error (the handler throws) fails the whole batch, which is retried as it was; with BisectBatchOnFunctionError
 *   the batch is split in two and each half retried, and "splitting a batch does not count towards
 *   the retry quota"; after MaximumRetryAttempts retries the records are discarded, a JSON
 *   document with the batch's metadata (DDBStreamBatchInfo: shardId, start/end sequence numbers,
 *   batchSize, streamArn) goes to the on-failure destination, and the shard goes on:
 *   https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html
 *
 * moto 5.2.1 deviates in one place, corrected here: an UpdateItem that creates an item writes two
 * stream records (moto's update_item first put_items the bare key, then records the update, both
 * INSERT), where DynamoDB writes one. The key-only INSERT directly followed by an INSERT of the
 * same key is dropped (`motoDoubleInsert`); tests/helpers/moto.test.ts pins the quirk.
 *
 * Not modelled: ParallelizationFactor (batches of one shard run one after another here, which is
 * also what Lambda guarantees per partition key), MaximumRecordAgeInSeconds, batching windows,
 * shard splits (moto keeps one shard per table). Where the docs leave it open, the stricter
 * reading: the retry count of a checkpoint is kept when a partial response moves it forward, and
 * reset only by a batch that succeeds whole or is discarded; a partial response without bisect is
 * retried as a fresh read from the checkpoint ("retries all records starting from that
 * checkpoint"), so the retry may carry records the failed batch did not have.
 */
import type { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, type _Record } from "@aws-sdk/client-dynamodb-streams";
import type { DynamoDBBatchResponse, DynamoDBRecord } from "aws-lambda";

export interface StreamMapping {
  batchSize: number;
  bisectBatchOnFunctionError?: boolean;
  /** -1 (Lambda's default): retried until the record expires; here that means forever. */
  maximumRetryAttempts?: number;
  functionResponseTypes?: string[];
  /** The `filterCriteria.filters[].pattern` strings of the mapping. */
  filterPatterns?: string[];
}

export interface OnFailureRecord {
  requestContext: { condition: "RetryAttemptsExhausted"; approximateInvokeCount: number };
  DDBStreamBatchInfo: { shardId: string; startSequenceNumber: string; endSequenceNumber: string; batchSize: number; streamArn: string };
}

export interface PollStats {
  invocations: number;
  recordsDelivered: number;
  filteredOut: number;
  discarded: number;
}

type Handler = (event: { Records: DynamoDBRecord[] }) => Promise<DynamoDBBatchResponse | void | undefined>;

/** Matches an event-filtering pattern against a value (only the operators this project uses, plus exact values). */
export function matchesPattern(pattern: unknown, value: unknown): boolean {
  if (Array.isArray(pattern)) {
    return pattern.some((p) => {
      if (p !== null && typeof p === "object") {
        const op = p as { prefix?: string; exists?: boolean };
        if (op.prefix !== undefined) return typeof value === "string" && value.startsWith(op.prefix);
        if (op.exists !== undefined) return (value !== undefined) === op.exists;
        throw new Error(`filter operator not modelled: ${JSON.stringify(p)}`);
      }
      return p === value;
    });
  }
  if (pattern !== null && typeof pattern === "object") {
    if (value === null || typeof value !== "object") return false;
    return Object.entries(pattern as Record<string, unknown>).every(([k, p]) => matchesPattern(p, (value as Record<string, unknown>)[k]));
  }
  throw new Error(`filter pattern leaves must be arrays: ${JSON.stringify(pattern)}`);
}

/** moto's extra key-only INSERT before the INSERT of an UpdateItem that created the item. */
export function motoDoubleInsert(r: _Record, next: _Record | undefined): boolean {
  if (!next || r.eventName !== "INSERT" || next.eventName !== "INSERT") return false;
  const keys = Object.keys(r.dynamodb?.Keys ?? {}).sort();
  const image = Object.keys(r.dynamodb?.NewImage ?? {}).sort();
  return (
    JSON.stringify(keys) === JSON.stringify(image) &&
    JSON.stringify(r.dynamodb?.Keys) === JSON.stringify(next.dynamodb?.Keys) &&
    BigInt(next.dynamodb?.SequenceNumber ?? "0") === BigInt(r.dynamodb?.SequenceNumber ?? "0") + 1n
  );
}

function toLambdaRecord(r: _Record, streamArn: string, region: string): DynamoDBRecord {
  const d = r.dynamodb ?? {};
  const at = d.ApproximateCreationDateTime;
  return {
    eventID: r.eventID,
    eventName: r.eventName as DynamoDBRecord["eventName"],
    eventVersion: "1.1",
    eventSource: "aws:dynamodb",
    awsRegion: region, // moto writes "us-east-1" whatever the table's region; Lambda sends the stream's region
    eventSourceARN: streamArn,
    dynamodb: {
      ApproximateCreationDateTime: at instanceof Date ? Math.floor(at.getTime() / 1000) : (at as number | undefined),
      Keys: d.Keys as never,
      NewImage: d.NewImage as never,
      OldImage: d.OldImage as never,
      SequenceNumber: d.SequenceNumber,
      SizeBytes: d.SizeBytes,
      StreamViewType: d.StreamViewType as never,
    },
  };
}

export function streamPoller(client: DynamoDBStreamsClient, streamArn: string, region: string, mapping: StreamMapping, handler: Handler) {
  const patterns = (mapping.filterPatterns ?? []).map((p) => JSON.parse(p) as Record<string, unknown>);
  const reportsItems = (mapping.functionResponseTypes ?? []).includes("ReportBatchItemFailures");
  const maxRetries = mapping.maximumRetryAttempts ?? -1;
  const onFailure: OnFailureRecord[] = [];
  const stats: PollStats = { invocations: 0, recordsDelivered: 0, filteredOut: 0, discarded: 0 };
  /** Per shard: the sequence number after which everything is done. */
  const checkpoints = new Map<string, string | undefined>();
  const filtered = new Set<string>();

  async function read(shardId: string, after: string | undefined, at: string | undefined): Promise<DynamoDBRecord[]> {
    const it = await client.send(
      new GetShardIteratorCommand(
        at
          ? { StreamArn: streamArn, ShardId: shardId, ShardIteratorType: "AT_SEQUENCE_NUMBER", SequenceNumber: at }
          : after
            ? { StreamArn: streamArn, ShardId: shardId, ShardIteratorType: "AFTER_SEQUENCE_NUMBER", SequenceNumber: after }
            : { StreamArn: streamArn, ShardId: shardId, ShardIteratorType: "TRIM_HORIZON" },
      ),
    );
    const out = await client.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator, Limit: 1000 }));
    const records = out.Records ?? [];
    return records.filter((r, i) => !motoDoubleInsert(r, records[i + 1])).map((r) => toLambdaRecord(r, streamArn, region));
  }

  /** Invokes once; returns the index in `batch` from which records failed (batch.length: none). */
  async function invoke(batch: DynamoDBRecord[]): Promise<{ failedFrom: number; functionError: boolean }> {
    if (++stats.invocations > 1000) throw new Error("stream poller: more than 1000 invocations, the handler never settles");
    stats.recordsDelivered += batch.length;
    let response: DynamoDBBatchResponse | void | undefined;
    try {
      response = await handler({ Records: batch });
    } catch {
      return { failedFrom: 0, functionError: true };
    }
    const failures = reportsItems ? (response?.batchItemFailures ?? []) : [];
    if (failures.length === 0) return { failedFrom: batch.length, functionError: false };
    let lowest = batch.length;
    for (const f of failures) {
      const i = f?.itemIdentifier ? batch.findIndex((r) => r.dynamodb?.SequenceNumber === f.itemIdentifier) : -1;
      if (i < 0) return { failedFrom: 0, functionError: false }; // empty, null or unknown identifier: the whole batch failed
      lowest = Math.min(lowest, i);
    }
    return { failedFrom: lowest, functionError: false };
  }

  /** Processes every record of the shard that is there now; returns when the shard is drained. */
  async function drainShard(shardId: string): Promise<void> {
    let retries = 0;
    let invokeCount = 0;
    for (;;) {
      const pending = (await read(shardId, checkpoints.get(shardId), undefined)).filter((r) => {
        const keep = patterns.length === 0 || patterns.some((p) => matchesPattern(p, r));
        if (!keep) filtered.add(r.dynamodb!.SequenceNumber!);
        stats.filteredOut = filtered.size;
        return keep;
      });
      if (pending.length === 0) {
        const all = await read(shardId, checkpoints.get(shardId), undefined);
        if (all.length > 0) checkpoints.set(shardId, all[all.length - 1].dynamodb!.SequenceNumber); // filtered out: checkpointed past
        return;
      }
      // Batches to run: the next batchSize records; bisection replaces a failed batch by its parts.
      const queue: DynamoDBRecord[][] = [pending.slice(0, mapping.batchSize)];
      while (queue.length > 0) {
        const batch = queue.shift()!;
        invokeCount++;
        const { failedFrom, functionError } = await invoke(batch);
        if (failedFrom > 0) checkpoints.set(shardId, batch[failedFrom - 1].dynamodb!.SequenceNumber);
        if (failedFrom >= batch.length) {
          if (queue.length === 0) {
            retries = 0;
            invokeCount = 0;
          }
          continue;
        }
        const rest = batch.slice(failedFrom);
        if (functionError && mapping.bisectBatchOnFunctionError && rest.length > 1) {
          const half = Math.ceil(rest.length / 2);
          queue.unshift(rest.slice(0, half), rest.slice(half)); // does not count towards the retry quota
          continue;
        }
        if (maxRetries >= 0 && retries >= maxRetries) {
          onFailure.push({
            requestContext: { condition: "RetryAttemptsExhausted", approximateInvokeCount: invokeCount },
            DDBStreamBatchInfo: {
              shardId,
              startSequenceNumber: rest[0].dynamodb!.SequenceNumber!,
              endSequenceNumber: rest[rest.length - 1].dynamodb!.SequenceNumber!,
              batchSize: rest.length,
              streamArn,
            },
          });
          stats.discarded += rest.length;
          checkpoints.set(shardId, rest[rest.length - 1].dynamodb!.SequenceNumber);
          retries = 0;
          invokeCount = 0;
          continue; // the other half of a bisected batch, if any, still runs
        }
        retries++;
        if (functionError || mapping.bisectBatchOnFunctionError) {
          // A function error retries the same batch; a partial response with bisect is split at the
          // returned sequence number: only the remaining records.
          queue.unshift(rest);
          continue;
        }
        queue.length = 0; // retried from the checkpoint with a fresh read (up to batchSize records)
      }
    }
  }

  return {
    onFailure,
    stats,
    /** Polls every shard until no record is left to deliver. */
    async drain(): Promise<void> {
      const d = await client.send(new DescribeStreamCommand({ StreamArn: streamArn }));
      for (const shard of d.StreamDescription?.Shards ?? []) await drainShard(shard.ShardId!);
    },
  };
}

/**
 * For tests that hand records to a handler themselves: each `next()` returns the records written
 * to the stream since the previous call (all shards, in order, Lambda's record shape, unfiltered).
 */
export function streamReader(client: DynamoDBStreamsClient, streamArn: string, region: string) {
  const after = new Map<string, string>();
  return {
    async next(): Promise<DynamoDBRecord[]> {
      const d = await client.send(new DescribeStreamCommand({ StreamArn: streamArn }));
      const out: DynamoDBRecord[] = [];
      for (const shard of d.StreamDescription?.Shards ?? []) {
        const seq = after.get(shard.ShardId!);
        const it = await client.send(
          new GetShardIteratorCommand(
            seq
              ? { StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: "AFTER_SEQUENCE_NUMBER", SequenceNumber: seq }
              : { StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: "TRIM_HORIZON" },
          ),
        );
        const got = (await client.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator, Limit: 1000 }))).Records ?? [];
        if (got.length > 0) after.set(shard.ShardId!, got[got.length - 1].dynamodb!.SequenceNumber!);
        out.push(...got.filter((r, i) => !motoDoubleInsert(r, got[i + 1])).map((r) => toLambdaRecord(r, streamArn, region)));
      }
      return out;
    },
  };
}
