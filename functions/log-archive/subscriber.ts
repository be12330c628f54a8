/**
 * Log-group subscriber: keeps every log group that matches the configured patterns subscribed to the
 * LogArchive Firehose delivery stream.
 *
 * Triggers:
 * - EventBridge `AWS API Call via CloudTrail` from `aws.logs` with `eventName: CreateLogGroup`:
 *   the new group is subscribed at once (if it matches).
 * - An EventBridge schedule (`Scheduled Event`): every matching group is re-checked, which also
 *   repairs anything a missed or failed event left behind.
 *
 * Idempotent: a group already holding a filter with our destination is skipped, and the filter has a
 * fixed name, so a redelivered event (or two concurrent runs) never creates a second filter.
 * CloudWatch Logs allows two subscription filters per group: a group that already has two foreign
 * filters is reported with an ERROR log line (and in the result), never silently dropped, and its
 * filters are left alone. Throttling is retried with back-off; anything else transient fails the
 * invocation so EventBridge/Lambda async retries and the on-failure destination keep it.
 */
import { CloudWatchLogsClient, DescribeSubscriptionFiltersCommand, PutSubscriptionFilterCommand, SubscriptionFilter } from "@aws-sdk/client-cloudwatch-logs";
import { compilePatterns, CompiledPattern, listMatchingLogGroups, matchesPatterns } from "./common";
import { log } from "../shared/log";
import { RetryOptions, sleep as realSleep, withRetry } from "../shared/retry";

/** CloudWatch Logs' per-group subscription-filter quota. */
export const MAX_FILTERS_PER_GROUP = 2;

export interface SubscriberDeps {
  logs: CloudWatchLogsClient;
  /** Firehose delivery stream ARN (the filter's destination). */
  destinationArn: string;
  /** Role CloudWatch Logs assumes to put records into the stream. */
  roleArn: string;
  /** Fixed filter name: the idempotency key. */
  filterName: string;
  /** Subscription filter pattern; "" forwards every event. */
  filterPattern?: string;
  /** Log-group patterns (see common.ts for the syntax). */
  logGroupPatterns: readonly string[];
  retry?: Partial<RetryOptions>;
}

export type GroupOutcome = "subscribed" | "alreadySubscribed" | "ignored" | "filterLimit" | "gone" | "failed";

export interface SubscriberResult {
  trigger: "createLogGroup" | "schedule";
  subscribed: string[];
  alreadySubscribed: string[];
  ignored: string[];
  filterLimit: string[];
  gone: string[];
  failed: string[];
}

/** Extract the log-group name from a CloudTrail `CreateLogGroup` event delivered by EventBridge. */
export function createdLogGroupName(event: any): string | undefined {
  const d = event && event.detail;
  // eventSource is `logs.amazonaws.com` (CloudTrail keeps the global name in China too); accept any `logs.` host.
  if (!d || d.eventName !== "CreateLogGroup" || typeof d.eventSource !== "string" || !d.eventSource.startsWith("logs.")) return undefined;
  if (d.errorCode) return undefined; // the call failed: nothing was created
  const name = d.requestParameters && d.requestParameters.logGroupName;
  return typeof name === "string" && name.length > 0 ? name : undefined;
}

/**
 * A CloudTrail `CreateLogGroup` event of a call that failed (`errorCode` set, e.g.
 * ResourceAlreadyExistsException every time the CloudWatch agent restarts): nothing was created.
 * Its group name, for the result; undefined for any other event.
 */
export function failedCreateLogGroupName(event: any): string | undefined {
  const d = event && event.detail;
  if (!d || d.eventName !== "CreateLogGroup" || typeof d.eventSource !== "string" || !d.eventSource.startsWith("logs.") || !d.errorCode) return undefined;
  const name = d.requestParameters && d.requestParameters.logGroupName;
  return typeof name === "string" ? name : "";
}

/** Is this EventBridge event a scheduled tick? */
export function isScheduledEvent(event: any): boolean {
  return !!event && event["detail-type"] === "Scheduled Event" && (event.source === "aws.events" || event.source === "aws.scheduler");
}

function fullRetry(r: Partial<RetryOptions> | undefined): RetryOptions {
  return { attempts: r?.attempts ?? 6, baseDelayMs: r?.baseDelayMs ?? 200, sleep: r?.sleep ?? realSleep };
}

async function describeFilters(deps: SubscriberDeps, retry: RetryOptions, logGroupName: string): Promise<SubscriptionFilter[]> {
  const out: SubscriptionFilter[] = [];
  let nextToken: string | undefined;
  do {
    const input: { logGroupName: string; nextToken?: string } = { logGroupName };
    if (nextToken !== undefined) input.nextToken = nextToken;
    const page = await withRetry(() => deps.logs.send(new DescribeSubscriptionFiltersCommand(input)), retry);
    out.push(...(page.subscriptionFilters ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

/** Subscribe one (matching) log group, idempotently. Never throws for per-group permanent conditions. */
export async function ensureSubscribed(deps: SubscriberDeps, retry: RetryOptions, logGroupName: string): Promise<GroupOutcome> {
  let filters: SubscriptionFilter[];
  try {
    filters = await describeFilters(deps, retry, logGroupName);
  } catch (err: any) {
    if (err?.name === "ResourceNotFoundException") {
      log("warn", "log group vanished before it could be subscribed", { logGroupName });
      return "gone";
    }
    throw err;
  }
  if (filters.some((f) => f.destinationArn === deps.destinationArn)) return "alreadySubscribed";
  const ours = filters.some((f) => f.filterName === deps.filterName);
  if (!ours && filters.length >= MAX_FILTERS_PER_GROUP) {
    log("error", "cannot subscribe log group to the log archive: it already has the maximum number of subscription filters", {
      logGroupName,
      limit: MAX_FILTERS_PER_GROUP,
      existingFilters: filters.map((f) => ({ filterName: f.filterName, destinationArn: f.destinationArn })),
      remedy: "remove one of the existing filters; the next scheduled run subscribes the group",
    });
    return "filterLimit";
  }
  try {
    await withRetry(
      () =>
        deps.logs.send(
          new PutSubscriptionFilterCommand({
            logGroupName,
            filterName: deps.filterName,
            filterPattern: deps.filterPattern ?? "",
            destinationArn: deps.destinationArn,
            roleArn: deps.roleArn,
          }),
        ),
      retry,
    );
  } catch (err: any) {
    if (err?.name === "LimitExceededException") {
      // A foreign filter was added between Describe and Put.
      log("error", "cannot subscribe log group to the log archive: subscription filter limit reached", {
        logGroupName,
        limit: MAX_FILTERS_PER_GROUP,
        error: err.message,
      });
      return "filterLimit";
    }
    if (err?.name === "ResourceNotFoundException") {
      log("warn", "log group vanished before it could be subscribed", { logGroupName });
      return "gone";
    }
    throw err;
  }
  log("info", "subscribed log group to the log archive", { logGroupName, filterName: deps.filterName });
  return "subscribed";
}

function emptyResult(trigger: SubscriberResult["trigger"]): SubscriberResult {
  return { trigger, subscribed: [], alreadySubscribed: [], ignored: [], filterLimit: [], gone: [], failed: [] };
}

/** Build the Lambda handler. */
export function createSubscriberHandler(deps: SubscriberDeps): (event: any) => Promise<SubscriberResult> {
  const patterns: CompiledPattern[] = compilePatterns(deps.logGroupPatterns);
  const retry = fullRetry(deps.retry);
  return async function handler(event: any): Promise<SubscriberResult> {
    const created = createdLogGroupName(event);
    if (created !== undefined) {
      const result = emptyResult("createLogGroup");
      if (!matchesPatterns(patterns, created)) {
        result.ignored.push(created);
        return result;
      }
      // Errors other than the per-group permanent ones propagate: the async invoke is retried.
      result[await ensureSubscribed(deps, retry, created)].push(created);
      return result;
    }
    const failedCall = failedCreateLogGroupName(event);
    if (failedCall !== undefined) {
      // Not an error of ours: the call failed, so there is nothing to subscribe and nothing to retry.
      log("info", "ignored a CreateLogGroup call that failed", { logGroupName: failedCall, errorCode: event.detail.errorCode });
      const result = emptyResult("createLogGroup");
      result.ignored.push(failedCall);
      return result;
    }
    if (!isScheduledEvent(event)) {
      // Unknown shapes are a wiring error: fail loudly so the event lands in the on-failure destination.
      throw new Error(`unexpected event: detail-type ${JSON.stringify(event?.["detail-type"])}, source ${JSON.stringify(event?.source)}`);
    }
    const result = emptyResult("schedule");
    const groups = await listMatchingLogGroups(deps.logs, patterns, retry);
    let firstError: any;
    for (const g of groups) {
      const name = g.logGroupName!;
      try {
        result[await ensureSubscribed(deps, retry, name)].push(name);
      } catch (err: any) {
        log("error", "failed to subscribe log group", { logGroupName: name, error: err?.name, detail: err?.message });
        result.failed.push(name);
        firstError = firstError ?? err;
      }
    }
    log("info", "subscription re-check done", {
      matching: groups.length,
      subscribed: result.subscribed.length,
      alreadySubscribed: result.alreadySubscribed.length,
      filterLimit: result.filterLimit,
      failed: result.failed,
    });
    if (firstError) {
      // Every group was attempted; fail the run so it is retried and the failure is visible.
      throw new Error(
        `failed to subscribe ${result.failed.length} log group(s): ${result.failed.join(", ")}; first error: ${firstError?.name}: ${firstError?.message}`,
      );
    }
    return result;
  };
}
