/**
 * The LogArchive functions' settings from their Lambda environment, read once per container on the
 * first event (infra/log-archive/cloudwatch-subscriber.ts, cloudwatch-export-tasks.ts). Each
 * variable is named exactly as the config key or Args/deps field it comes from
 * (`logArchive.logGroupPatterns` -> variable `logGroupPatterns` -> `SubscriberDeps.logGroupPatterns`,
 * `logArchive.exportPeriod` -> `exportPeriod`); a missing or bad value fails the invocation with a
 * message naming the variable and what it allows.
 */
import { type Env, requiredOneOf, requiredString, requiredStringList } from "../shared/env";
import type { ExportDeps } from "./export-tasks";
import type { ExportPeriod } from "./export-periods";
import type { SubscriberDeps } from "./subscriber";

/** `logArchive.exportPeriod`'s values (functions/log-archive/export-periods.ts). */
export const EXPORT_PERIODS: readonly ExportPeriod[] = ["hour", "day"];

export function subscriberSettings(env: Env): Pick<SubscriberDeps, "destinationArn" | "roleArn" | "filterName" | "logGroupPatterns"> {
  return {
    destinationArn: requiredString(env, "destinationArn"),
    roleArn: requiredString(env, "roleArn"),
    filterName: requiredString(env, "filterName"),
    logGroupPatterns: requiredStringList(env, "logGroupPatterns"),
  };
}

export function exportTaskSettings(env: Env): Pick<ExportDeps, "bucket" | "period" | "cursorKey" | "logGroupPatterns"> {
  return {
    bucket: requiredString(env, "archiveBucketName"),
    period: requiredOneOf(env, "exportPeriod", EXPORT_PERIODS),
    cursorKey: requiredString(env, "cursorKey"),
    logGroupPatterns: requiredStringList(env, "logGroupPatterns"),
  };
}
