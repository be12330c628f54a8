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
 *
 * Parts: export-periods.ts (periods, key layout, what is due), export-cursor.ts (the cursor object),
 * export-task-api.ts (DescribeExportTasks lookups); this file is the chain itself.
 */
import { CloudWatchLogsClient, CreateExportTaskCommand } from "@aws-sdk/client-cloudwatch-logs";
import type { S3Client } from "@aws-sdk/client-s3";
import { compilePatterns, listMatchingLogGroups } from "./common";
import { log } from "../shared/log";
import { RetryOptions, sleep as realSleep, withRetry } from "../shared/retry";
import { type CursorState, type InFlight, loadCursor, saveCursor } from "./export-cursor";
import { activeTasks, describeTask, findTask } from "./export-task-api";
import { type ExportPeriod, exportDestinationPrefix, exportTaskName, initialCursor, periodMs, pickNext } from "./export-periods";

export { type CursorState, type InFlight, loadCursor, saveCursor } from "./export-cursor";
export {
  alignDown,
  type ExportPeriod,
  exportDestinationPrefix,
  exportTaskName,
  initialCursor,
  pickNext,
  rangeEnd,
  sanitizeLogGroupName,
} from "./export-periods";

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
          log("info", "export chain: another export task is active; will resume on the next run", {
            logGroupName: intent.logGroupName,
            from: new Date(intent.from).toISOString(),
          });
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
