/**
 * SDK clients for the audit-log tests, pointed at loopback servers, with a fast retry strategy
 * (same decisions as the SDK's: retry throttling, transient and server errors; tiny delays).
 */
import { RDSClient } from "@aws-sdk/client-rds";
import { FAKE_CREDENTIALS } from "./fake-rds";

export function fastRetry(maxAttempts = 8) {
  const token = (n: number) => ({ getRetryCount: () => n, getRetryDelay: () => 2 * n });
  return {
    mode: "standard",
    acquireInitialRetryToken: async () => token(0),
    refreshRetryTokenForRetry: async (t: { getRetryCount(): number }, info: { errorType: string }) => {
      const n = t.getRetryCount() + 1;
      if (n >= maxAttempts || info.errorType === "CLIENT_ERROR") throw new Error("no more retries");
      return token(n);
    },
    recordSuccess: () => undefined,
  };
}

export function rdsClientFor(url: string, region = "cn-north-1", maxAttempts = 8): RDSClient {
  return new RDSClient({ endpoint: url, region, credentials: FAKE_CREDENTIALS, retryStrategy: fastRetry(maxAttempts) as never });
}

/** Counts the commands a client sends, by command name (only those that reach the wire). */
export function countCommands(client: { middlewareStack: any }): Record<string, number> {
  const counts: Record<string, number> = {};
  (client as { middlewareStack: any }).middlewareStack.add(
    (next: any, context: any) => async (args: any) => {
      counts[context.commandName] = (counts[context.commandName] ?? 0) + 1;
      return next(args);
    },
    { step: "initialize", name: `countCommands${Math.random()}` },
  );
  return counts;
}

/** DynamoDB commands that write. */
export const DDB_WRITES = ["PutItemCommand", "UpdateItemCommand", "DeleteItemCommand", "BatchWriteItemCommand", "TransactWriteItemsCommand"];

export function writes(counts: Record<string, number>): number {
  return DDB_WRITES.reduce((n, c) => n + (counts[c] ?? 0), 0);
}

export function resetCounts(counts: Record<string, number>): void {
  for (const k of Object.keys(counts)) delete counts[k];
}
