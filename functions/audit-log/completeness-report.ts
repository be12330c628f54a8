/**
 * The audit-log part of the completeness report (issue 17 item 1), written by the primary stack
 * next to the pipeline's table: every audit log file the pipeline recorded as missed (rotated away
 * by RDS before it was copied: functions/audit-log/backup-records.ts `recordMissed`) and every file
 * still pending longer than the grace period (detected by functions/audit-log/detector.ts
 * `recordDetection`, PendingSince in epoch ms, never backed up). Sibling of the S3 report, which
 * the backup stack writes in Ningxia: `reports/completeness/audit-logs/<yyyy-mm-dd>.json` in the
 * archive (SSE-KMS), replicated to Ningxia like every object.
 *
 * A consistent Scan with pagination (LastEvaluatedKey): a failed page fails the run, which Lambda
 * retries; a partial list is never written.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html
 */
import { type AttributeValue, type DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { deferUntilFirstEvent, type Env, requiredInteger, requiredString } from "../shared/env";
import { emitMetrics } from "../shared/metrics";
import { AUDIT_PREFIX } from "./common";

export const AUDIT_REPORT_PREFIX = "reports/completeness/audit-logs/";
export const AUDIT_REPORT_METRICS_NAMESPACE = "cn-log-backup/Completeness";

export interface AuditFileEntry {
  dbInstanceIdentifier: string;
  logFileName: string;
  size: number;
  lastWritten: string;
  /** missed: when it was recorded; pending: since when. */
  since: string;
  reason?: string;
}

export interface AuditCompletenessReport {
  generatedAt: string;
  tableName: string;
  graceHours: number;
  missed: AuditFileEntry[];
  pendingTooLong: AuditFileEntry[];
  filesTracked: number;
}

export interface AuditReportDeps {
  dynamodb: DynamoDBClient;
  s3: S3Client;
  now?: () => number;
  emit?: typeof emitMetrics;
}

export interface AuditReportSettings {
  tableName: string;
  bucket: string;
  kmsKeyArn: string;
  graceHours: number;
  pipelineName: string;
}

const iso = (ms: number) => new Date(ms).toISOString();
const num = (v?: AttributeValue) => Number(v?.N ?? NaN);

export async function runAuditReport(deps: AuditReportDeps, s: AuditReportSettings): Promise<AuditCompletenessReport> {
  const now = (deps.now ?? Date.now)();
  const overdueBefore = now - s.graceHours * 3_600_000;
  const missed: AuditFileEntry[] = [];
  const pendingTooLong: AuditFileEntry[] = [];
  let filesTracked = 0;
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await deps.dynamodb.send(
      new ScanCommand({
        TableName: s.tableName,
        ConsistentRead: true,
        ExclusiveStartKey: start,
        ProjectionExpression: "DBInstanceIdentifier, LogFileName, #s, LastWritten, BackupStatus, PendingSince, MissedAt, LastError",
        ExpressionAttributeNames: { "#s": "Size" },
      }),
    );
    for (const item of page.Items ?? []) {
      const name = item.LogFileName?.S ?? "";
      if (!name.startsWith(AUDIT_PREFIX)) continue; // the detector's per-instance bookkeeping items
      filesTracked++;
      const base = {
        dbInstanceIdentifier: item.DBInstanceIdentifier?.S ?? "",
        logFileName: name,
        size: num(item.Size),
        lastWritten: iso(num(item.LastWritten)),
      };
      const status = item.BackupStatus?.S;
      if (status === "missed") missed.push({ ...base, since: iso(num(item.MissedAt)), reason: item.LastError?.S });
      else if (status === "pending" && num(item.PendingSince) < overdueBefore) pendingTooLong.push({ ...base, since: iso(num(item.PendingSince)) });
    }
    start = page.LastEvaluatedKey;
  } while (start);
  const order = (a: AuditFileEntry, b: AuditFileEntry) =>
    a.dbInstanceIdentifier.localeCompare(b.dbInstanceIdentifier) || a.logFileName.localeCompare(b.logFileName);
  const report: AuditCompletenessReport = {
    generatedAt: iso(now),
    tableName: s.tableName,
    graceHours: s.graceHours,
    missed: missed.sort(order),
    pendingTooLong: pendingTooLong.sort(order),
    filesTracked,
  };
  await deps.s3.send(
    new PutObjectCommand({
      Bucket: s.bucket,
      Key: `${AUDIT_REPORT_PREFIX}${report.generatedAt.slice(0, 10)}.json`,
      Body: JSON.stringify(report, null, 2),
      ContentType: "application/json",
      ServerSideEncryption: "aws:kms",
      SSEKMSKeyId: s.kmsKeyArn,
    }),
  );
  await (deps.emit ?? emitMetrics)(
    AUDIT_REPORT_METRICS_NAMESPACE,
    { Pipeline: s.pipelineName },
    { AuditLogFilesMissed: { value: missed.length, unit: "Count" }, AuditLogFilesPendingTooLong: { value: pendingTooLong.length, unit: "Count" } },
    now,
  );
  return report;
}

/**
 * Settings from the function's environment, read once per container on the first event
 * (infra/audit-log-completeness.ts); each variable is named as the AuditLogCompletenessArgs field it
 * carries, and a missing or bad value fails the invocation naming the variable and what it allows.
 */
export function auditReportSettingsFromEnv(env: Env): AuditReportSettings {
  return {
    tableName: requiredString(env, "tableName"),
    bucket: requiredString(env, "archiveBucketName"),
    kmsKeyArn: requiredString(env, "archiveKeyArn"),
    graceHours: requiredInteger(env, "graceHours", { min: 1 }),
    pipelineName: requiredString(env, "pipelineName"),
  };
}

/** The reporter's handler (infra/audit-log-completeness.ts): settings from `env` on the first event; a run returns its counts. */
export function createAuditReportHandler(deps: AuditReportDeps, env: Env): (event?: unknown) => Promise<{ missed: number; pendingTooLong: number }> {
  return deferUntilFirstEvent(() => {
    const settings = auditReportSettingsFromEnv(env);
    return async () => {
      const r = await runAuditReport(deps, settings);
      return { missed: r.missed.length, pendingTooLong: r.pendingTooLong.length };
    };
  });
}
