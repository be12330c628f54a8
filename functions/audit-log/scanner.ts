/**
 * Scanner: finds the Aurora MySQL instances whose cluster parameter group has
 * `server_audit_logging` on and sends one SQS message per instance to the detector's queue.
 *
 * Invoked by EventBridge Scheduler. Failures that remain after retrying are thrown, so the
 * schedule's retry policy and dead-letter queue see them.
 */
import { DescribeDBClusterParametersCommand, DescribeDBClustersCommand, DescribeDBInstancesCommand, type RDSClient } from "@aws-sdk/client-rds";
import { SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { InstanceMessage } from "./common";
import { describeError } from "../shared/log";
import { backoffDelay, DEFAULT_RETRY, RetrySettings, sleep } from "../shared/retry";

/** Engines whose audit plugin writes `audit/` files (`aurora` is Aurora MySQL 5.6). */
export const AURORA_MYSQL_ENGINES = ["aurora-mysql", "aurora"];
/** Instance states in which the instance has no log files to list. */
const SKIPPED_STATES = ["creating", "stopped", "stopping", "starting", "deleting"];

export interface ScannerDeps {
  rds: RDSClient;
  sqs: SQSClient;
  queueUrl: string;
  /** Retries of entries SendMessageBatch reports as failed. */
  retry?: RetrySettings;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  log?: (line: string) => void;
}

export interface AuditedInstance {
  DBInstanceIdentifier: string;
  DBClusterIdentifier: string;
  Engine: string;
}

export interface ScanResult {
  instances: number;
  sent: number;
  failed: { id: string; reason: string }[];
}

/** True when a parameter value turns a boolean MySQL setting on. */
export function isOn(value: string | undefined): boolean {
  return value !== undefined && ["1", "on", "true"].includes(value.trim().toLowerCase());
}

/** Every Aurora MySQL instance (paginated DescribeDBInstances, filtered by engine). */
export async function listAuroraMysqlInstances(rds: RDSClient): Promise<AuditedInstance[]> {
  const found: AuditedInstance[] = [];
  let marker: string | undefined;
  do {
    const page = await rds.send(
      new DescribeDBInstancesCommand({ Filters: [{ Name: "engine", Values: AURORA_MYSQL_ENGINES }], Marker: marker, MaxRecords: 100 }),
    );
    for (const db of page.DBInstances ?? []) {
      if (!db.DBInstanceIdentifier || !db.DBClusterIdentifier) continue;
      if (!AURORA_MYSQL_ENGINES.includes(db.Engine ?? "")) continue;
      if (SKIPPED_STATES.includes(db.DBInstanceStatus ?? "")) continue;
      found.push({ DBInstanceIdentifier: db.DBInstanceIdentifier, DBClusterIdentifier: db.DBClusterIdentifier, Engine: db.Engine ?? "" });
    }
    marker = page.Marker;
  } while (marker);
  return found;
}

/** Cluster identifier -> its cluster parameter group name, for the given clusters. */
export async function clusterParameterGroups(rds: RDSClient, clusterIds: string[]): Promise<Map<string, string>> {
  const wanted = new Set(clusterIds);
  const groups = new Map<string, string>();
  if (wanted.size === 0) return groups;
  let marker: string | undefined;
  do {
    const page = await rds.send(
      new DescribeDBClustersCommand({ Filters: [{ Name: "engine", Values: AURORA_MYSQL_ENGINES }], Marker: marker, MaxRecords: 100 }),
    );
    for (const c of page.DBClusters ?? []) {
      if (c.DBClusterIdentifier && wanted.has(c.DBClusterIdentifier) && c.DBClusterParameterGroup) {
        groups.set(c.DBClusterIdentifier, c.DBClusterParameterGroup);
      }
    }
    marker = page.Marker;
  } while (marker);
  return groups;
}

/** Whether a cluster parameter group sets `server_audit_logging` on (paginated DescribeDBClusterParameters). */
export async function auditLoggingOn(rds: RDSClient, groupName: string): Promise<boolean> {
  let marker: string | undefined;
  do {
    const page = await rds.send(new DescribeDBClusterParametersCommand({ DBClusterParameterGroupName: groupName, Marker: marker, MaxRecords: 100 }));
    for (const p of page.Parameters ?? []) {
      if (p.ParameterName === "server_audit_logging") return isOn(p.ParameterValue);
    }
    marker = page.Marker;
  } while (marker);
  return false;
}

/** The instances to back up: Aurora MySQL, in a cluster whose parameter group has audit logging on. */
export async function findAuditedInstances(rds: RDSClient): Promise<AuditedInstance[]> {
  const instances = await listAuroraMysqlInstances(rds);
  const groups = await clusterParameterGroups(rds, [...new Set(instances.map((i) => i.DBClusterIdentifier))]);
  const onByGroup = new Map<string, boolean>();
  for (const group of new Set(groups.values())) onByGroup.set(group, await auditLoggingOn(rds, group));
  return instances.filter((i) => {
    const group = groups.get(i.DBClusterIdentifier);
    return group !== undefined && onByGroup.get(group) === true;
  });
}

/**
 * Sends one message per instance in batches of ten. Entries SQS reports as failed are retried
 * with backoff when SQS says they may be (not SenderFault), up to `retry.maxAttempts`; what is
 * left is returned so the caller can fail loudly.
 */
export async function sendInstanceMessages(
  sqs: SQSClient,
  queueUrl: string,
  messages: InstanceMessage[],
  retry: RetrySettings,
  pause: (ms: number) => Promise<void>,
): Promise<{ sent: number; failed: { id: string; reason: string }[] }> {
  let sent = 0;
  const failed: { id: string; reason: string }[] = [];
  for (let start = 0; start < messages.length; start += 10) {
    let pending = messages.slice(start, start + 10).map((m, i) => ({ Id: `m${start + i}`, MessageBody: JSON.stringify(m) }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await pause(backoffDelay(attempt, retry));
      let out;
      try {
        out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: pending }));
      } catch (err) {
        if (attempt + 1 >= retry.maxAttempts) {
          for (const p of pending) failed.push({ id: p.Id, reason: describeError(err) });
          break;
        }
        continue;
      }
      const ok = new Set((out.Successful ?? []).map((s) => s.Id));
      sent += pending.filter((p) => ok.has(p.Id)).length;
      const again: typeof pending = [];
      for (const f of out.Failed ?? []) {
        const entry = pending.find((p) => p.Id === f.Id);
        if (!entry) continue;
        if (f.SenderFault || attempt + 1 >= retry.maxAttempts) failed.push({ id: entry.Id, reason: `${f.Code}: ${f.Message ?? ""}` });
        else again.push(entry);
      }
      // An entry in neither list is not acknowledged: send it again.
      const failedIds = new Set((out.Failed ?? []).map((f) => f.Id));
      for (const p of pending) if (!ok.has(p.Id) && !failedIds.has(p.Id)) again.push(p);
      pending = again;
    }
  }
  return { sent, failed };
}

export function createScannerHandler(deps: ScannerDeps): (event?: unknown) => Promise<ScanResult> {
  const retry = deps.retry ?? DEFAULT_RETRY;
  const pause = deps.sleep ?? sleep;
  const now = deps.now ?? Date.now;
  const log = deps.log ?? ((line: string) => console.log(line));
  return async function scannerHandler(): Promise<ScanResult> {
    const instances = await findAuditedInstances(deps.rds);
    const scannedAt = new Date(now()).toISOString();
    const messages: InstanceMessage[] = instances.map((i) => ({
      DBInstanceIdentifier: i.DBInstanceIdentifier,
      DBClusterIdentifier: i.DBClusterIdentifier,
      Engine: i.Engine,
      ScannedAt: scannedAt,
    }));
    const { sent, failed } = await sendInstanceMessages(deps.sqs, deps.queueUrl, messages, retry, pause);
    log(JSON.stringify({ msg: "scan done", instances: instances.map((i) => i.DBInstanceIdentifier), sent, failed }));
    if (failed.length > 0) {
      throw new Error(`scanner could not queue ${failed.length} of ${messages.length} instance message(s): ${failed.map((f) => f.reason).join("; ")}`);
    }
    return { instances: instances.length, sent, failed };
  };
}
