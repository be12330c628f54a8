/**
 * The retention rule applied to an original recovery point once its copy has reached the backup
 * region (backup-events-aws's rule, restated here in TypeScript).
 *
 * AWS Backup counts lifecycles in whole days from the recovery point's creation, while the
 * creation date carries a precise time and deletion then happens some hours after the day is up.
 * The rule therefore works in whole UTC days and keeps a full day of margin:
 *
 * - minima for DeleteAfterDays: days-old + 1 (never schedule a deletion in the past or today),
 *   1 (AWS's own floor) and `retainAfterCopyDays` (how long the original is wanted after its copy;
 *   backup-events-aws calls it newDeleteAfterDays);
 * - cold storage: a recovery point that is in cold storage, or will move there within a day, must
 *   stay there 90 days, so the cold move day + 90 becomes another minimum; a cold move that is
 *   still further off is cancelled instead (MoveToColdStorageAfterDays = -1), since a point that
 *   is about to be deleted should not be charged a 90-day cold minimum;
 * - the result is max(minima) + 1 day of margin;
 * - a retention is never extended: when the result is not shorter than the current
 *   DeleteAfterDays, nothing changes (not even a pending cold move);
 * - a deleted or deleting recovery point is left alone.
 *
 * Everything is computed on UTC day numbers (milliseconds since the epoch / 86,400,000), so the
 * result does not depend on the process's time zone.
 */

export const MS_PER_DAY = 86_400_000;
/** AWS Backup's minimum stay in cold storage, in days. */
export const COLD_STORAGE_MINIMUM_DAYS = 90;

/** The lifecycle fields the rule reads and writes (the AWS Backup API's `Lifecycle` shape). */
export interface RetentionLifecycle {
  MoveToColdStorageAfterDays?: number;
  DeleteAfterDays?: number;
  OptInToArchiveForSupportedResources?: boolean;
  /** Output only in AWS Backup: read, never sent back. */
  DeleteAfterEvent?: string;
}

export interface RetentionInput {
  /** The recovery point's CreationDate (a Date, or an ISO-8601 string with any offset). */
  creationDate: Date | string;
  /** The recovery point's current Lifecycle. */
  lifecycle?: RetentionLifecycle;
  /** The recovery point's CalculatedLifecycle, as DescribeRecoveryPoint returns it. */
  calculatedLifecycle?: { MoveToColdStorageAt?: Date | string; DeleteAt?: Date | string };
  /** WARM | COLD | DELETED. */
  storageClass?: string;
  /** COMPLETED | PARTIAL | DELETING | EXPIRED | AVAILABLE | STOPPED | CREATING. */
  status?: string;
  /** Days after creation the original should be kept once copied (an integer >= 1, checked where it is read). */
  retainAfterCopyDays: number;
  /** The current time. */
  now: Date | string;
}

export type RetentionDecision =
  | {
      change: true;
      /** The Lifecycle to pass to UpdateRecoveryPointLifecycle (never carries DeleteAfterEvent). */
      lifecycle: Omit<RetentionLifecycle, "DeleteAfterEvent">;
      deleteAfterDays: number;
      /** Whether a pending cold move was cancelled as part of the change. */
      cancelledColdMove: boolean;
      minima: number[];
    }
  | {
      change: false;
      reason: "deleted" | "not-shorter";
      /** What the rule would have set, when it got that far. */
      proposedDeleteAfterDays?: number;
      currentDeleteAfterDays?: number;
    };

/** Statuses in which a recovery point is gone or going: the rule leaves those alone. */
const GONE_STATUSES = ["DELETING", "EXPIRED"];

/** The UTC day number (days since 1970-01-01 UTC) of an instant. */
export function utcDayNumber(value: Date | string, what: string): number {
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  if (typeof ms !== "number" || !Number.isFinite(ms) || (typeof value === "string" && !isCalendarDate(value))) {
    throw new Error(`retention rule: ${what} is not a valid date: ${String(value)}`);
  }
  return Math.floor(ms / MS_PER_DAY);
}

/** Rejects ISO strings whose date part does not exist (Date.parse turns 2026-02-30 into March 2). */
function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!m) return true;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(y, mo - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === d;
}

/** A lifecycle day count that means something: a non-negative integer (AWS uses -1 for "never"). */
function dayCount(value: number | undefined): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** Applies the rule. Pure: the same input always gives the same decision. */
export function computeRetentionAfterCopy(input: RetentionInput): RetentionDecision {
  const today = utcDayNumber(input.now, "now");
  const created = utcDayNumber(input.creationDate, "creationDate");

  const lifecycle = input.lifecycle ?? {};
  const current = dayCount(lifecycle.DeleteAfterDays);
  if (input.storageClass === "DELETED" || GONE_STATUSES.includes(input.status ?? "")) {
    return { change: false, reason: "deleted", currentDeleteAfterDays: current };
  }

  // Day 1 is the creation day itself, as in backup-events-aws.
  const daysOld = today - created + 1;
  const minima = [daysOld, 1, input.retainAfterCopyDays];

  // When does (or did) the recovery point move to cold storage, as a day count from creation?
  const coldAfterDays = dayCount(lifecycle.MoveToColdStorageAfterDays);
  const coldAt = input.calculatedLifecycle?.MoveToColdStorageAt;
  const coldAtDays = coldAt !== undefined ? utcDayNumber(coldAt, "CalculatedLifecycle.MoveToColdStorageAt") - created : undefined;
  const coldMoveDays = [coldAfterDays, coldAtDays].filter((d): d is number => d !== undefined);
  const earliestColdMove = coldMoveDays.length > 0 ? Math.min(...coldMoveDays) : undefined;

  let cancelColdMove = false;
  if (input.storageClass === "COLD") {
    // Already cold: 90 days from the move, or from today if we do not know when it moved.
    minima.push((earliestColdMove ?? daysOld) + COLD_STORAGE_MINIMUM_DAYS);
  } else if (earliestColdMove !== undefined) {
    if (daysOld < earliestColdMove) {
      // The move is at least a full day away: cancel it rather than pay the cold minimum.
      cancelColdMove = true;
    } else {
      // Moved already, or moving within the day: it will have to stay cold 90 days.
      minima.push(earliestColdMove + COLD_STORAGE_MINIMUM_DAYS);
    }
  }

  const deleteAfterDays = Math.max(...minima) + 1;
  if (current !== undefined && deleteAfterDays >= current) {
    return { change: false, reason: "not-shorter", proposedDeleteAfterDays: deleteAfterDays, currentDeleteAfterDays: current };
  }

  const out: Omit<RetentionLifecycle, "DeleteAfterEvent"> = {};
  if (lifecycle.MoveToColdStorageAfterDays !== undefined) out.MoveToColdStorageAfterDays = lifecycle.MoveToColdStorageAfterDays;
  if (lifecycle.OptInToArchiveForSupportedResources !== undefined) {
    out.OptInToArchiveForSupportedResources = lifecycle.OptInToArchiveForSupportedResources;
  }
  if (cancelColdMove) {
    out.MoveToColdStorageAfterDays = -1;
    out.OptInToArchiveForSupportedResources = false;
  }
  out.DeleteAfterDays = deleteAfterDays;
  return { change: true, lifecycle: out, deleteAfterDays, cancelledColdMove: cancelColdMove, minima };
}
