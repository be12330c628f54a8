/**
 * Retention updater: on `Copy Job State Change` COMPLETED from the source vault to the destination
 * vault, read the original recovery point and shorten its retention with the rule in
 * `retention.ts`. UpdateRecoveryPointLifecycle is called only when the rule shortens; a point that
 * is gone (deleted, deleting, expired, or not found any more) is left alone. Other errors are
 * thrown so the async retry / on-failure destination keeps the event.
 */
import { DescribeRecoveryPointCommand, UpdateRecoveryPointLifecycleCommand } from "@aws-sdk/client-backup";
import type { BackupClient } from "@aws-sdk/client-backup";
import { BackupEvent, CopyJobDetail, HandlerOutcome, logJson, recoveryPointArnOf, vaultNameFromArn } from "./events";
import { computeRetentionAfterCopy } from "./retention";

export interface RetentionUpdaterDeps {
  backup: Pick<BackupClient, "send">;
  sourceVaultArn: string;
  destinationVaultArn: string;
  /** Days after creation the original is kept once copied (integer >= 1; settings.ts checks it). */
  retainAfterCopyDays: number;
  now?: () => Date;
  log?: (entry: Record<string, unknown>) => void;
}

export function createRetentionUpdaterHandler(deps: RetentionUpdaterDeps): (event: BackupEvent<CopyJobDetail>) => Promise<HandlerOutcome> {
  const sourceVaultName = vaultNameFromArn(deps.sourceVaultArn);
  vaultNameFromArn(deps.destinationVaultArn);
  const log = deps.log ?? logJson;

  return async function retentionUpdater(event: BackupEvent<CopyJobDetail>): Promise<HandlerOutcome> {
    const ignore = (reason: string, extra: Record<string, unknown> = {}): HandlerOutcome => {
      const outcome = { action: "ignored", reason, eventId: event?.id, ...extra };
      log(outcome);
      return outcome;
    };
    if (!event || event.source !== "aws.backup" || event["detail-type"] !== "Copy Job State Change") {
      return ignore("not a Copy Job State Change event");
    }
    const detail = event.detail ?? {};
    if (detail.state !== "COMPLETED") return ignore(`state ${String(detail.state)}`);
    if (detail.sourceBackupVaultArn !== deps.sourceVaultArn) return ignore(`source vault ${String(detail.sourceBackupVaultArn)}`);
    if (detail.destinationBackupVaultArn !== deps.destinationVaultArn) {
      return ignore(`destination vault ${String(detail.destinationBackupVaultArn)}`);
    }

    const recoveryPointArn = recoveryPointArnOf(event);
    let point;
    try {
      point = await deps.backup.send(new DescribeRecoveryPointCommand({ BackupVaultName: sourceVaultName, RecoveryPointArn: recoveryPointArn }));
    } catch (err) {
      if ((err as { name?: string })?.name === "ResourceNotFoundException") {
        return ignore("recovery point not found (deleted)", { recoveryPointArn });
      }
      throw err;
    }
    if (!point.CreationDate) throw new Error(`DescribeRecoveryPoint for ${recoveryPointArn} returned no CreationDate`);

    const decision = computeRetentionAfterCopy({
      creationDate: point.CreationDate,
      lifecycle: point.Lifecycle,
      calculatedLifecycle: point.CalculatedLifecycle,
      storageClass: point.StorageClass,
      status: point.Status,
      retainAfterCopyDays: deps.retainAfterCopyDays,
      now: deps.now ? deps.now() : new Date(),
    });
    if (!decision.change) {
      const outcome = { action: "unchanged", reason: decision.reason, recoveryPointArn, ...decisionFigures(decision) };
      log(outcome);
      return outcome;
    }

    await deps.backup.send(
      new UpdateRecoveryPointLifecycleCommand({
        BackupVaultName: sourceVaultName,
        RecoveryPointArn: recoveryPointArn,
        Lifecycle: decision.lifecycle,
      }),
    );
    const outcome = {
      action: "lifecycle-updated",
      recoveryPointArn,
      previousDeleteAfterDays: point.Lifecycle?.DeleteAfterDays,
      deleteAfterDays: decision.deleteAfterDays,
      cancelledColdMove: decision.cancelledColdMove,
    };
    log(outcome);
    return outcome;
  };
}

function decisionFigures(d: { proposedDeleteAfterDays?: number; currentDeleteAfterDays?: number }): Record<string, unknown> {
  return { proposedDeleteAfterDays: d.proposedDeleteAfterDays, currentDeleteAfterDays: d.currentDeleteAfterDays };
}
