/**
 * Shared pieces of the audit-log pipeline's Lambdas (scanner, detector, downloader).
 *
 * Plain TypeScript, no Pulumi, no classes, no module-level mutable state: every handler is
 * serialized by Pulumi's closure serializer (see PREAMBLE / ARCHITECTURE section 6).
 */

/** Sort key of the per-instance bookkeeping item (never a log file name: those start with `audit/`). */
export const WATERMARK_SORT_KEY = "#watermark";
/** Name of the sparse index (DBInstanceIdentifier + PendingSince) that finds un-backed-up files. */
export const PENDING_INDEX = "PendingSince";
/** The audit-log directory Aurora MySQL writes to. */
export const AUDIT_PREFIX = "audit/";
/** Where the files land in the archive bucket. */
export const DEFAULT_KEY_PREFIX = "audit-logs/";
/** CloudWatch namespace of the embedded-metric-format figures the functions print. */
export const DEFAULT_METRIC_NAMESPACE = "CnLogBackup/AuditLog";

/** One instance to look at, as the scanner sends it to the detector (the SQS message body). */
export interface InstanceMessage {
  DBInstanceIdentifier: string;
  DBClusterIdentifier?: string;
  Engine?: string;
  ScannedAt: string;
}

/** Backoff settings for retries the functions do themselves (the SDK retries its own calls too). */
export interface RetrySettings {
  /** Attempts in all, first one included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetrySettings = { maxAttempts: 5, baseDelayMs: 200, maxDelayMs: 20000 };

/** "Full jitter" exponential backoff: a random delay in [0, min(max, base * 2^attempt)). */
export function backoffDelay(attempt: number, settings: RetrySettings, random: () => number = Math.random): number {
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * Math.pow(2, attempt));
  return Math.floor(random() * ceiling);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** `aws-cn` for the China regions, `aws` otherwise (runtime code derives it, never hard-codes it). */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** The partition's DNS suffix: `amazonaws.com.cn` in China. */
export function dnsSuffixOf(region: string): string {
  return partitionOf(region) === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
}

/** Base URL of the RDS REST endpoint that serves `downloadCompleteLogFile` for a region. */
export function rdsRestEndpointFor(region: string): string {
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    throw new Error(`not an AWS region name: ${JSON.stringify(region)}`);
  }
  return `https://rds.${region}.${dnsSuffixOf(region)}`;
}

/** The object key of a log file in the archive bucket: `audit-logs/{db-instance-id}/{log-file-name}`. */
export function objectKeyFor(instanceId: string, logFileName: string, keyPrefix: string = DEFAULT_KEY_PREFIX): string {
  if (!instanceId || instanceId.includes("/")) throw new Error(`bad DB instance identifier ${JSON.stringify(instanceId)}`);
  if (!logFileName || logFileName.startsWith("/") || logFileName.split("/").some((s) => s === ".." || s === "")) {
    throw new Error(`bad log file name ${JSON.stringify(logFileName)}`);
  }
  return `${keyPrefix}${instanceId}/${logFileName}`;
}

/** Error names and HTTP statuses worth another attempt after a pause. */
export function isRetryableError(err: unknown): boolean {
  const e = err as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown; retryable?: boolean };
  if (!e) return false;
  if (e.retryable === true) return true;
  if (e.$retryable) return true;
  const name = e.name || "";
  if (/Throttl|TooManyRequests|RequestLimitExceeded|SlowDown|ServiceUnavailable|InternalFailure|InternalError|RequestTimeout|TimeoutError/i.test(name)) return true;
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === "number" && (status >= 500 || status === 429)) return true;
  const code = e.code || "";
  return ["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "ERR_STREAM_PREMATURE_CLOSE", "EAI_AGAIN"].includes(code);
}

/** CloudWatch EMF figures, written so that CloudWatch extracts them under Lambda's JSON log format. */
export { emitMetrics } from "../metrics";

/** Runs `work` over `items` with at most `limit` in flight; results keep the input order. */
export async function mapLimit<T, R>(items: T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  async function lane(): Promise<void> {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i], i);
    }
  }
  const lanes: Promise<void>[] = [];
  for (let i = 0; i < Math.max(1, Math.min(limit, items.length)); i++) lanes.push(lane());
  await Promise.all(lanes);
  return results;
}

/** A short, JSON-safe description of an error for logs and records. */
export function describeError(err: unknown): string {
  const e = err as { name?: string; message?: string };
  return `${e?.name || "Error"}: ${e?.message || String(err)}`.slice(0, 500);
}
