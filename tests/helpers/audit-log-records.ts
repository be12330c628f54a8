/** Items of the audit-log pipeline's table as its DynamoDB stream carries them (functions/audit-log/backup-records.ts reads them). */

/** The stream image of log file audit/a of instance db1, last written at `lw` with `size` bytes, plus `extra` attributes. */
export const logFileImage = (lw: number, size: number, extra: Record<string, unknown> = {}) => ({
  DBInstanceIdentifier: { S: "db1" },
  LogFileName: { S: "audit/a" },
  LastWritten: { N: String(lw) },
  Size: { N: String(size) },
  ...extra,
});
