/**
 * Export-task chain (LogArchive's `exportTask` mode): on a schedule, exports each matching log group
 * period by period (hour or day, UTC) to `exports/{group}/{yyyy}/{mm}/{dd}/{hh}` in the archive
 * bucket with CreateExportTask.
 *
 * CloudWatch Logs runs one export task per account and region at a time, so the chain is strictly
 * sequential: before creating a task it looks for a RUNNING or PENDING one (ours or anyone's) and
 * waits. It keeps a cursor (the next period to export for each group, plus the task in flight) so a
 * run resumes exactly where the previous one stopped:
 * - a period advances only when its task is COMPLETED; a FAILED or CANCELLED task is retried;
 * - `LimitExceededException` from CreateExportTask (another task got in first) leaves the cursor
 *   untouched: the next run tries the same period again, so nothing is skipped;
 * - the intent (group, period, deterministic task name) is saved *before* CreateExportTask and the
 *   task id right after, so a crash in between is recovered by finding the task by its name instead
 *   of creating it twice: no period is exported twice.
 *
 * ## Why the cursor is an S3 object (in the archive bucket) and not an SSM parameter
 * - Size: one entry per log group; a standard SSM parameter holds 4 KB (about 50 groups), an
 *   advanced one 8 KB and costs money. An S3 object has no practical limit.
 * - No new dependency or service: `@aws-sdk/client-s3` is already used, and the bucket (SSE-KMS with
 *   the archive key, versioned, replicated) gives encryption, a history of every cursor version and a
 *   copy in Ningxia for free.
 * - It lives under `state/`, outside the lifecycle-managed log prefixes, so it is never transitioned
 *   to an archive tier that GetObject could not read.
 * Concurrency: the Lambda runs with reserved concurrency 1 (infra), so there is one writer.
 */
import {
  CloudWatchLogsClient,
  CreateExportTaskCommand,
  DescribeExportTasksCommand,
  ExportTask,
  LogGroup,
} from "@aws-sdk/client-cloudwatch-logs";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { compilePatterns, listMatchingLogGroups } from "./common";
import { log } from "../shared/log";
import { RetryOptions, sleep as realSleep, withRetry } from "../shared/retry";

export type ExportPeriod = "hour" | "day";

export interface ExportDeps {
  logs: CloudWatchLogsClient;
  s3: S3Client;
  /** Archive bucket: export destination and home of the cursor object. */
  bucket: string;
  /** Key prefix of the exports, default `exports/`. */
  exportPrefix?: string;
  /** Cursor object key, default `state/log-archive/export-cursor.json`. */
  cursorKey?: string;
  period: ExportPeriod;
  /** How long after a period ends before it is exported (late events), default 15 minutes. */
  settleMs?: number;
  logGroupPatterns: readonly string[];
  /** Export task names start with this, default `cn-log-backup`. */
  taskNamePrefix?: string;
  /** How often to poll the task in flight, default 10 s. */
  pollIntervalMs?: number;
  /** Stop starting or waiting when less than this much invocation time is left, default 60 s. */
  safetyMarginMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  retry?: Partial<RetryOptions>;
}

export interface InFlight {
  logGroupName: string;
  /** Start of the exported range (ms, inclusive). */
  from: number;
  /** End of the exported range (ms, exclusive; the task gets `to - 1`). */
  to: number;
  taskName: string;
  destinationPrefix: string;
  /** Set once CreateExportTask returned. */
  taskId?: string;
}

export interface CursorState {
  version: 1;
  /** Per log group: start (ms) of the next range to export. */
  groups: Record<string, number>;
  inFlight?: InFlight;
}

export interface ExportResult {
  started: { logGroupName: string; from: number; to: number; taskId: string }[];
  completed: { logGroupName: string; from: number; to: number; taskId: string }[];
  /** Tasks that ended FAILED/CANCELLED (their period will be retried). */
  retried: { logGroupName: string; from: number; taskId: string; status: string }[];
  /** CreateExportTask answered LimitExceededException this run. */
  limitExceeded: boolean;
  /** A foreign export task is running: we waited for it. */
  blockedBy?: string;
  /** Our task still running when the run stopped. */
  waitingOn?: string;
  /** Everything due has been exported. */
  upToDate: boolean;
}

const PERIOD_MS: Record<ExportPeriod, number> = { hour: 3_600_000, day: 86_400_000 };

function periodMs(p: ExportPeriod): number {
  const ms = PERIOD_MS[p];
  if (!ms) throw new Error(`export period ${JSON.stringify(p)} is not one of "hour", "day"`);
  return ms;
}

/** Start of the UTC period containing `t`. */
export function alignDown(t: number, period: ExportPeriod): number {
  const ms = periodMs(period);
  return t - (((t % ms) + ms) % ms);
}

/** Log-group name as one key segment: leading `/` dropped, anything outside `[A-Za-z0-9._-]` -> `_`. */
export function sanitizeLogGroupName(name: string): string {
  return name.replace(/^\/+/, "").replace(/[^A-Za-z0-9._-]/g, "_");
}

function pad(n: number): string {
  return n < 10 ? "0" + n : String(n);
}

/** `exports/{sanitized}/{yyyy}/{mm}/{dd}/{hh}` for a range starting at `from`. */
export function exportDestinationPrefix(exportPrefix: string, logGroupName: string, from: number): string {
  const d = new Date(from);
  const base = exportPrefix.endsWith("/") ? exportPrefix : exportPrefix + "/";
  return `${base}${sanitizeLogGroupName(logGroupName)}/${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${pad(d.getUTCHours())}`;
}

/** Deterministic task name: the idempotency key used to recover a task created before a crash. */
export function exportTaskName(prefix: string, logGroupName: string, from: number): string {
  const d = new Date(from);
  const stamp = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}`;
  return `${prefix}-${sanitizeLogGroupName(logGroupName)}-${stamp}`.slice(0, 512);
}

/**
 * Where a group seen for the first time starts: the last complete period (ended before `cutoff`),
 * but never before the period the group was created in.
 */
export function initialCursor(group: LogGroup, cutoff: number, period: ExportPeriod): number {
  const lastComplete = alignDown(cutoff, period) - periodMs(period);
  const created = group.creationTime !== undefined ? alignDown(group.creationTime, period) : lastComplete;
  return Math.max(lastComplete, created);
}

/** End of the range starting at `from`: the next period boundary (a partial range after a period change). */
export function rangeEnd(from: number, period: ExportPeriod): number {
  return alignDown(from, period) + periodMs(period);
}

/** The due range with the oldest start (name order breaks ties), or undefined when all are current. */
export function pickNext(state: CursorState, cutoff: number, period: ExportPeriod): { logGroupName: string; from: number; to: number } | undefined {
  let best: { logGroupName: string; from: number; to: number } | undefined;
  for (const name of Object.keys(state.groups).sort()) {
    const from = state.groups[name];
    const to = rangeEnd(from, period);
    if (to > cutoff) continue;
    if (!best || from < best.from) best = { logGroupName: name, from, to };
  }
  return best;
}

async function readBody(body: any): Promise<string> {
  if (!body) return "";
  if (typeof body.transformToString === "function") return body.transformToString();
  if (typeof body === "string") return body;
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks).toString("utf8");
}

export async function loadCursor(s3: S3Client, bucket: string, key: string): Promise<CursorState> {
  try {
    const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const parsed = JSON.parse(await readBody(res.Body));
    if (!parsed || parsed.version !== 1 || typeof parsed.groups !== "object") {
      throw new Error(`export cursor s3://${bucket}/${key} has an unknown shape; fix or delete it`);
    }
    return parsed as CursorState;
  } catch (err: any) {
    if (err?.name === "NoSuchKey" || err?.name === "NotFound" || err?.$metadata?.httpStatusCode === 404) {
      return { version: 1, groups: {} };
    }
    throw err;
  }
}

export async function saveCursor(s3: S3Client, bucket: string, key: string, state: CursorState): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: JSON.stringify(state),
      ContentType: "application/json",
    }),
  );
}

async function describeTask(logs: CloudWatchLogsClient, retry: RetryOptions, taskId: string): Promise<ExportTask | undefined> {
  try {
    const res = await withRetry(() => logs.send(new DescribeExportTasksCommand({ taskId })), retry);
    return (res.exportTasks ?? []).find((t) => t.taskId === taskId);
  } catch (err: any) {
    if (err?.name === "ResourceNotFoundException") return undefined;
    throw err;
  }
}

/** RUNNING and PENDING tasks in the account/region (anyone's). */
async function activeTasks(logs: CloudWatchLogsClient, retry: RetryOptions): Promise<ExportTask[]> {
  const out: ExportTask[] = [];
  for (const statusCode of ["RUNNING", "PENDING"] as const) {
    let nextToken: string | undefined;
    do {
      const input: { statusCode: typeof statusCode; nextToken?: string } = { statusCode };
      if (nextToken !== undefined) input.nextToken = nextToken;
      const res = await withRetry(() => logs.send(new DescribeExportTasksCommand(input)), retry);
      out.push(...(res.exportTasks ?? []));
      nextToken = res.nextToken;
    } while (nextToken);
  }
  return out;
}

/** Find a task by its (deterministic) name and range, in any status. */
async function findTask(logs: CloudWatchLogsClient, retry: RetryOptions, f: InFlight): Promise<ExportTask | undefined> {
  let nextToken: string | undefined;
  do {
    const input: { nextToken?: string } = {};
    if (nextToken !== undefined) input.nextToken = nextToken;
    const res = await withRetry(() => logs.send(new DescribeExportTasksCommand(input)), retry);
    const hit = (res.exportTasks ?? []).find((t) => t.taskName === f.taskName && t.logGroupName === f.logGroupName && t.from === f.from);
    if (hit) return hit;
    nextToken = res.nextToken;
  } while (nextToken);
  return undefined;
}

/** Build the Lambda handler. `context.getRemainingTimeInMillis` bounds how long one run waits. */
export function createExportTaskHandler(deps: ExportDeps): (event: any, context?: any) => Promise<ExportResult> {
  const patterns = compilePatterns(deps.logGroupPatterns);
  periodMs(deps.period); // validate early
  const exportPrefix = deps.exportPrefix ?? "exports/";
  const cursorKey = deps.cursorKey ?? "state/log-archive/export-cursor.json";
  const settleMs = deps.settleMs ?? 15 * 60_000;
  const taskNamePrefix = deps.taskNamePrefix ?? "cn-log-backup";
  const pollIntervalMs = deps.pollIntervalMs ?? 10_000;
  const safetyMarginMs = deps.safetyMarginMs ?? 60_000;
  const now = deps.now ?? (() => Date.now());
  const sleep = deps.sleep ?? realSleep;
  const retry: RetryOptions = { attempts: deps.retry?.attempts ?? 6, baseDelayMs: deps.retry?.baseDelayMs ?? 200, sleep: deps.retry?.sleep ?? sleep };

  return async function handler(_event: any, context?: any): Promise<ExportResult> {
    const remaining = (): number =>
      context && typeof context.getRemainingTimeInMillis === "function" ? context.getRemainingTimeInMillis() : Number.MAX_SAFE_INTEGER;
    const result: ExportResult = { started: [], completed: [], retried: [], limitExceeded: false, upToDate: false };
    const state = await loadCursor(deps.s3, deps.bucket, cursorKey);
    const save = (): Promise<void> => saveCursor(deps.s3, deps.bucket, cursorKey, state);

    // Reconcile the cursor with the groups that match now.
    const cutoff = now() - settleMs;
    const groups = await listMatchingLogGroups(deps.logs, patterns, retry);
    let dirty = false;
    const current = new Set<string>();
    for (const g of groups) {
      const name = g.logGroupName!;
      current.add(name);
      if (state.groups[name] === undefined) {
        state.groups[name] = initialCursor(g, cutoff, deps.period);
        dirty = true;
        log("info", "export chain: new log group", { logGroupName: name, startsAt: new Date(state.groups[name]).toISOString() });
      }
    }
    for (const name of Object.keys(state.groups)) {
      if (!current.has(name) && state.inFlight?.logGroupName !== name) {
        delete state.groups[name];
        dirty = true;
        log("info", "export chain: log group no longer matches or exists; dropped from the cursor", { logGroupName: name });
      }
    }
    if (dirty) await save();

    const failedThisRun = new Set<string>();
    for (;;) {
      const f = state.inFlight;
      if (f) {
        if (!f.taskId) {
          // Saved intent, unknown outcome (crash or error right after CreateExportTask): look it up by name.
          const found = await findTask(deps.logs, retry, f);
          if (found?.taskId) {
            f.taskId = found.taskId;
            log("info", "export chain: recovered task created by an interrupted run", { taskName: f.taskName, taskId: f.taskId });
          } else {
            state.inFlight = undefined;
          }
          await save();
          continue;
        }
        const task = await describeTask(deps.logs, retry, f.taskId);
        const code = task?.status?.code ?? "MISSING";
        if (code === "COMPLETED") {
          if (state.groups[f.logGroupName] === undefined || state.groups[f.logGroupName] < f.to) state.groups[f.logGroupName] = f.to;
          if (!current.has(f.logGroupName)) delete state.groups[f.logGroupName];
          state.inFlight = undefined;
          await save();
          result.completed.push({ logGroupName: f.logGroupName, from: f.from, to: f.to, taskId: f.taskId });
          continue;
        }
        if (code === "FAILED" || code === "CANCELLED" || code === "MISSING") {
          log("warn", "export task did not complete; its period will be exported again", {
            taskId: f.taskId,
            status: code,
            reason: task?.status?.message,
            logGroupName: f.logGroupName,
            from: new Date(f.from).toISOString(),
          });
          result.retried.push({ logGroupName: f.logGroupName, from: f.from, taskId: f.taskId, status: code });
          state.inFlight = undefined;
          await save();
          const key = `${f.logGroupName}@${f.from}`;
          if (failedThisRun.has(key)) return result; // failed twice in one run: leave it for the next run
          failedThisRun.add(key);
          continue;
        }
        // PENDING / RUNNING / PENDING_CANCEL
        if (remaining() - pollIntervalMs > safetyMarginMs) {
          await sleep(pollIntervalMs);
          continue;
        }
        result.waitingOn = f.taskId;
        return result;
      }

      const next = pickNext(state, cutoff, deps.period);
      if (!next) {
        result.upToDate = true;
        return result;
      }
      if (remaining() <= safetyMarginMs) return result;

      const active = await activeTasks(deps.logs, retry);
      if (active.length > 0) {
        if (remaining() - pollIntervalMs > safetyMarginMs) {
          await sleep(pollIntervalMs);
          continue;
        }
        result.blockedBy = active[0].taskId;
        return result;
      }

      const intent: InFlight = {
        logGroupName: next.logGroupName,
        from: next.from,
        to: next.to,
        taskName: exportTaskName(taskNamePrefix, next.logGroupName, next.from),
        destinationPrefix: exportDestinationPrefix(exportPrefix, next.logGroupName, next.from),
      };
      state.inFlight = intent;
      await save();
      let taskId: string | undefined;
      try {
        const res = await withRetry(
          () =>
            deps.logs.send(
              new CreateExportTaskCommand({
                taskName: intent.taskName,
                logGroupName: intent.logGroupName,
                from: intent.from,
                to: intent.to - 1,
                destination: deps.bucket,
                destinationPrefix: intent.destinationPrefix,
              }),
            ),
          retry,
        );
        taskId = res.taskId;
      } catch (err: any) {
        if (err?.name === "LimitExceededException") {
          // Another export task got in first. Nothing was created: forget the intent, keep the cursor.
          state.inFlight = undefined;
          await save();
          result.limitExceeded = true;
          log("info", "export chain: another export task is active; will resume on the next run", { logGroupName: intent.logGroupName, from: new Date(intent.from).toISOString() });
          return result;
        }
        if (err?.name === "ResourceNotFoundException") {
          state.inFlight = undefined;
          delete state.groups[intent.logGroupName];
          await save();
          log("warn", "export chain: log group deleted; dropped from the cursor", { logGroupName: intent.logGroupName });
          continue;
        }
        if (err?.name === "InvalidParameterException" || err?.name === "ValidationException") {
          // Definitely not created: forget the intent, fail the run so the error is seen (cursor kept).
          state.inFlight = undefined;
          await save();
        }
        // Otherwise the outcome is unknown: the saved intent lets the next run find the task by name.
        throw err;
      }
      if (!taskId) throw new Error(`CreateExportTask returned no taskId for ${intent.taskName}`);
      intent.taskId = taskId;
      await save();
      result.started.push({ logGroupName: intent.logGroupName, from: intent.from, to: intent.to, taskId });
      log("info", "export task started", { taskId, taskName: intent.taskName, logGroupName: intent.logGroupName, destinationPrefix: intent.destinationPrefix });
    }
  };
}
