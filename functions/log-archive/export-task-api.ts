/** The CloudWatch Logs export-task lookups the chain makes (DescribeExportTasks, retried on throttling). */
import { CloudWatchLogsClient, DescribeExportTasksCommand, ExportTask } from "@aws-sdk/client-cloudwatch-logs";
import { RetryOptions, withRetry } from "../shared/retry";
import type { InFlight } from "./export-cursor";

export async function describeTask(logs: CloudWatchLogsClient, retry: RetryOptions, taskId: string): Promise<ExportTask | undefined> {
  try {
    const res = await withRetry(() => logs.send(new DescribeExportTasksCommand({ taskId })), retry);
    return (res.exportTasks ?? []).find((t) => t.taskId === taskId);
  } catch (err: any) {
    if (err?.name === "ResourceNotFoundException") return undefined;
    throw err;
  }
}

/** RUNNING and PENDING tasks in the account/region (anyone's). */
export async function activeTasks(logs: CloudWatchLogsClient, retry: RetryOptions): Promise<ExportTask[]> {
  const out: ExportTask[] = [];
  for (const statusCode of ["RUNNING", "PENDING"] as const) {
    let nextToken: string | undefined;
    do {
      const input: { statusCode: typeof statusCode; nextToken?: string } = { statusCode };
      if (nextToken !== undefined) input.nextToken = nextToken;
      const res = await withRetry(() => logs.send(new DescribeExportTasksCommand(input)), retry);
      out.push(...(res.exportTasks ?? []));
      nextToken = res.nextToken;
    } while (nextToken);
  }
  return out;
}

/** Find a task by its (deterministic) name and range, in any status. */
export async function findTask(logs: CloudWatchLogsClient, retry: RetryOptions, f: InFlight): Promise<ExportTask | undefined> {
  let nextToken: string | undefined;
  do {
    const input: { nextToken?: string } = {};
    if (nextToken !== undefined) input.nextToken = nextToken;
    const res = await withRetry(() => logs.send(new DescribeExportTasksCommand(input)), retry);
    const hit = (res.exportTasks ?? []).find((t) => t.taskName === f.taskName && t.logGroupName === f.logGroupName && t.from === f.from);
    if (hit) return hit;
    nextToken = res.nextToken;
  } while (nextToken);
  return undefined;
}
