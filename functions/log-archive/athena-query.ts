/**
 * Runs one Athena query to its end and reads every result row: StartQueryExecution, then
 * GetQueryExecution until a final state, then GetQueryResults page by page (NextToken).
 * https://docs.aws.amazon.com/athena/latest/APIReference/API_StartQueryExecution.html
 * https://docs.aws.amazon.com/athena/latest/APIReference/API_GetQueryExecution.html (states QUEUED,
 * RUNNING, SUCCEEDED, FAILED, CANCELLED)
 * https://docs.aws.amazon.com/athena/latest/APIReference/API_GetQueryResults.html (the first row of
 * a SELECT's first page holds the column names; every value is a VarCharValue string; NULL has none)
 *
 * Anything but SUCCEEDED throws (the caller's invocation fails and Lambda retries it): a failed,
 * cancelled or timed-out query never reads as "no rows".
 */
import {
  type AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from "@aws-sdk/client-athena";

export interface AthenaQueryOptions {
  workgroup: string;
  database: string;
  /** How long to wait for the query (ms) before stopping it and failing. */
  maxWaitMs: number;
  pollIntervalMs: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export type ResultRow = Record<string, string | null>;

export interface QueryOutcome {
  queryExecutionId: string;
  rows: ResultRow[];
  bytesScanned: number;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function runAthenaQuery(athena: AthenaClient, sql: string, o: AthenaQueryOptions, opts: { ddl?: boolean } = {}): Promise<QueryOutcome> {
  const sleep = o.sleep ?? defaultSleep;
  const now = o.now ?? Date.now;
  const started = await athena.send(
    new StartQueryExecutionCommand({ QueryString: sql, WorkGroup: o.workgroup, QueryExecutionContext: { Database: o.database } }),
  );
  const id = started.QueryExecutionId;
  if (!id) throw new Error("Athena StartQueryExecution returned no QueryExecutionId");
  const deadline = now() + o.maxWaitMs;
  let bytesScanned = 0;
  for (;;) {
    const q = await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
    const state = q.QueryExecution?.Status?.State;
    bytesScanned = q.QueryExecution?.Statistics?.DataScannedInBytes ?? 0;
    if (state === "SUCCEEDED") break;
    if (state === "FAILED" || state === "CANCELLED") {
      const reason = q.QueryExecution?.Status?.StateChangeReason ?? "no reason given";
      throw new Error(`Athena query ${id} ${state}: ${reason}`);
    }
    if (now() >= deadline) {
      await athena.send(new StopQueryExecutionCommand({ QueryExecutionId: id })).catch(() => undefined);
      throw new Error(`Athena query ${id} still ${state ?? "unknown"} after ${o.maxWaitMs} ms: stopped`);
    }
    await sleep(o.pollIntervalMs);
  }
  if (opts.ddl) return { queryExecutionId: id, rows: [], bytesScanned };
  const rows: ResultRow[] = [];
  let columns: string[] | undefined;
  let token: string | undefined;
  let first = true;
  do {
    const page = await athena.send(new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: token }));
    columns ??= (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => c.Name ?? "");
    if (columns.length === 0) throw new Error(`Athena query ${id}: results without column metadata`);
    const data = page.ResultSet?.Rows ?? [];
    data.forEach((row, i) => {
      if (first && i === 0) return; // the header row
      const values = row.Data ?? [];
      const out: ResultRow = {};
      columns!.forEach((c, j) => (out[c] = values[j]?.VarCharValue ?? null));
      rows.push(out);
    });
    first = false;
    token = page.NextToken;
  } while (token);
  return { queryExecutionId: id, rows, bytesScanned };
}
