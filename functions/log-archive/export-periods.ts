/**
 * The export chain's periods (hour or day, UTC), the exports' key layout and task names, and which
 * range is due next. Pure functions.
 */
import type { LogGroup } from "@aws-sdk/client-cloudwatch-logs";
import type { CursorState } from "./export-cursor";

export type ExportPeriod = "hour" | "day";

const PERIOD_MS: Record<ExportPeriod, number> = { hour: 3_600_000, day: 86_400_000 };

export function periodMs(p: ExportPeriod): number {
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
