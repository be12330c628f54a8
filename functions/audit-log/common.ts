/**
 * Shared pieces of the audit-log pipeline's Lambdas (scanner, detector, downloader).
 *
 * Plain TypeScript, no Pulumi, no classes, no module-level mutable state: every handler is
 * serialized by Pulumi's closure serializer (see PREAMBLE / ARCHITECTURE section 6). Retry, logging,
 * metrics and partition helpers are the shared ones (functions/shared/).
 */
import { dnsSuffixOf } from "../shared/partition";

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
