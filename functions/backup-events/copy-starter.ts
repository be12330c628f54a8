/**
 * Copy starter: on `Backup Job State Change` COMPLETED in the source vault, start a copy job of the
 * new recovery point to the backup-region vault.
 *
 * Duplicates are harmless: the idempotency token is derived from the recovery point, the
 * destination vault and the number of earlier copies of them that failed, so AWS Backup answers a
 * repeated StartCopyJob with the existing job; and before starting, the handler looks for a copy
 * job of the same recovery point to the same vault that is not failed (ListCopyJobs), which also
 * covers a redelivery after the token's idempotency window. After a failed copy the next event
 * (a redelivery or a retry) starts a new copy under the next attempt's token, instead of getting
 * the failed job back for the old token. Errors are thrown, so the Lambda's async retries and on-failure destination
 * (or the EventBridge target's DLQ) keep the event.
 */
import { ListCopyJobsCommand, StartCopyJobCommand } from "@aws-sdk/client-backup";
import type { BackupClient } from "@aws-sdk/client-backup";
import { BackupEvent, BackupJobDetail, HandlerOutcome, copyIdempotencyToken, logJson, recoveryPointArnOf, vaultNameFromArn } from "./events";

export interface CopyStarterDeps {
  backup: Pick<BackupClient, "send">;
  /** The source vault's ARN (Beijing). Events from any other vault are ignored. */
  sourceVaultArn: string;
  /** The destination vault's ARN (Ningxia), from the backup stack. */
  destinationVaultArn: string;
  /** The role AWS Backup assumes for the copy. */
  copyRoleArn: string;
  /** Lifecycle of the copy in the destination vault: days until deleted, and until moved to cold storage. */
  copyDeleteAfterDays?: number;
  copyColdStorageAfterDays?: number;
  /** Copy backups that no plan created (on-demand backups). Default true. */
  copyOnDemandBackups?: boolean;
  /** How far back ListCopyJobs looks for an earlier copy of the same point. Default 7 days. */
  lookbackDays?: number;
  now?: () => Date;
  log?: (entry: Record<string, unknown>) => void;
}

/** Copy job states that mean a copy exists or is on its way. */
const LIVE_COPY_STATES = ["CREATED", "RUNNING", "COMPLETED", "PARTIAL"];

export function createCopyStarterHandler(deps: CopyStarterDeps): (event: BackupEvent<BackupJobDetail>) => Promise<HandlerOutcome> {
  const sourceVaultName = vaultNameFromArn(deps.sourceVaultArn);
  vaultNameFromArn(deps.destinationVaultArn);
  if (!deps.copyRoleArn) throw new Error("copy starter: copyRoleArn is required");
  const log = deps.log ?? logJson;
  const lookbackDays = deps.lookbackDays ?? 7;
  const lifecycle: { DeleteAfterDays?: number; MoveToColdStorageAfterDays?: number } = {};
  if (deps.copyDeleteAfterDays !== undefined) lifecycle.DeleteAfterDays = deps.copyDeleteAfterDays;
  if (deps.copyColdStorageAfterDays !== undefined) lifecycle.MoveToColdStorageAfterDays = deps.copyColdStorageAfterDays;
  const copyLifecycle = Object.keys(lifecycle).length > 0 ? lifecycle : undefined;

  return async function copyStarter(event: BackupEvent<BackupJobDetail>): Promise<HandlerOutcome> {
    const ignore = (reason: string): HandlerOutcome => {
      const outcome = { action: "ignored", reason, eventId: event?.id };
      log(outcome);
      return outcome;
    };
    if (!event || event.source !== "aws.backup" || event["detail-type"] !== "Backup Job State Change") {
      return ignore("not a Backup Job State Change event");
    }
    const detail = event.detail ?? {};
    if (detail.state !== "COMPLETED") return ignore(`state ${String(detail.state)}`);
    if (detail.backupVaultArn !== deps.sourceVaultArn) return ignore(`vault ${String(detail.backupVaultArn)}`);
    if (deps.copyOnDemandBackups === false && !detail.createdBy?.backupPlanId) return ignore("on-demand backup");

    const recoveryPointArn = recoveryPointArnOf(event);
    const now = deps.now ? deps.now() : new Date();

    const { live: existing, failed } = await copyJobsOf(deps.backup, {
      recoveryPointArn,
      destinationVaultArn: deps.destinationVaultArn,
      resourceArn: detail.resourceArn,
      createdAfter: new Date(now.getTime() - lookbackDays * 86_400_000),
    });
    if (existing) {
      const outcome = { action: "already-copied", recoveryPointArn, copyJobId: existing.CopyJobId, state: existing.State };
      log(outcome);
      return outcome;
    }

    const input = {
      RecoveryPointArn: recoveryPointArn,
      SourceBackupVaultName: sourceVaultName,
      DestinationBackupVaultArn: deps.destinationVaultArn,
      IamRoleArn: deps.copyRoleArn,
      IdempotencyToken: copyIdempotencyToken(recoveryPointArn, deps.destinationVaultArn, failed),
      ...(copyLifecycle ? { Lifecycle: { ...copyLifecycle } } : {}),
    };
    const result = await deps.backup.send(new StartCopyJobCommand(input));
    const outcome = { action: "copy-started", recoveryPointArn, copyJobId: result.CopyJobId, idempotencyToken: input.IdempotencyToken, attempt: failed };
    log(outcome);
    return outcome;
  };
}

/** Copy job states after which nothing was copied and a new copy must be started. */
const FAILED_COPY_STATES = ["FAILED", "ABORTED"];

/**
 * The copy jobs of `recoveryPointArn` to `destinationVaultArn` created after `createdAfter`: one
 * that is not failed (undefined if none), and how many failed. Pages through ListCopyJobs.
 */
export async function copyJobsOf(
  backup: Pick<BackupClient, "send">,
  q: { recoveryPointArn: string; destinationVaultArn: string; resourceArn?: string; createdAfter: Date },
): Promise<{ live?: { CopyJobId?: string; State?: string }; failed: number }> {
  let nextToken: string | undefined;
  let live: { CopyJobId?: string; State?: string } | undefined;
  let failed = 0;
  do {
    const page = await backup.send(
      new ListCopyJobsCommand({
        ByDestinationVaultArn: q.destinationVaultArn,
        ByCreatedAfter: q.createdAfter,
        ...(q.resourceArn ? { ByResourceArn: q.resourceArn } : {}),
        ...(nextToken ? { NextToken: nextToken } : {}),
      }),
    );
    for (const job of page.CopyJobs ?? []) {
      if (job.SourceRecoveryPointArn !== q.recoveryPointArn || job.DestinationBackupVaultArn !== q.destinationVaultArn) continue;
      if (LIVE_COPY_STATES.includes(job.State ?? "")) live = live ?? { CopyJobId: job.CopyJobId, State: job.State };
      else if (FAILED_COPY_STATES.includes(job.State ?? "")) failed++;
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return { live, failed };
}

/** A copy job of `recoveryPointArn` to `destinationVaultArn` that is not failed, or undefined. */
export async function findLiveCopy(
  backup: Pick<BackupClient, "send">,
  q: { recoveryPointArn: string; destinationVaultArn: string; resourceArn?: string; createdAfter: Date },
): Promise<{ CopyJobId?: string; State?: string } | undefined> {
  return (await copyJobsOf(backup, q)).live;
}
