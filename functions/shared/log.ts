/**
 * Log lines of the Lambda functions. The functions run with Lambda's JSON log format, which keeps
 * each console method's level and wraps the line as its `message`
 * (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-logformat.html).
 */

/** Structured log line: the message and its fields as one JSON object. */
export function log(level: "info" | "warn" | "error", message: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ message, ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

/** Logs one JSON object as an info line. */
export function logJson(entry: Record<string, unknown>): void {
  console.log(JSON.stringify(entry));
}

/** A short, JSON-safe description of an error for logs and records. */
export function describeError(err: unknown): string {
  const e = err as { name?: string; message?: string };
  return `${e?.name || "Error"}: ${e?.message || String(err)}`.slice(0, 500);
}
