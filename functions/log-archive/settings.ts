/**
 * The LogArchive functions' settings from their Lambda environment, for the factories in
 * infra/log-archive (which still read them one by one with `requiredEnv`; these readers validate
 * each value and name the variable and what it allows). The variable names are today's: the
 * rename to the config keys (`logGroupPatterns`, `exportPeriod`) belongs with the infra side.
 */
import { type Env, requiredOneOf, requiredString, requiredStringList } from "../shared/env";
import type { ExportDeps } from "./export-tasks";
import type { SubscriberDeps } from "./subscriber";

export function subscriberSettings(env: Env): Pick<SubscriberDeps, "destinationArn" | "roleArn" | "filterName" | "logGroupPatterns"> {
  return {
    destinationArn: requiredString(env, "DESTINATION_ARN"),
    roleArn: requiredString(env, "CWL_ROLE_ARN"),
    filterName: requiredString(env, "FILTER_NAME"),
    logGroupPatterns: requiredStringList(env, "LOG_GROUP_PATTERNS"),
  };
}

export function exportTaskSettings(env: Env): Pick<ExportDeps, "bucket" | "period" | "cursorKey" | "logGroupPatterns"> {
  return {
    bucket: requiredString(env, "ARCHIVE_BUCKET"),
    period: requiredOneOf(env, "EXPORT_PERIOD", ["hour", "day"] as const),
    cursorKey: requiredString(env, "CURSOR_KEY"),
    logGroupPatterns: requiredStringList(env, "LOG_GROUP_PATTERNS"),
  };
}
