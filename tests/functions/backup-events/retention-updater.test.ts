import { BackupClient, DescribeRecoveryPointCommand, UpdateRecoveryPointLifecycleCommand } from "@aws-sdk/client-backup";
import type { DescribeRecoveryPointCommandOutput } from "@aws-sdk/client-backup";
import { mockClient } from "aws-sdk-client-mock";
import { createRetentionUpdaterHandler } from "../../../functions/backup-events";
import { DEST_VAULT_ARN, RECOVERY_POINT_ARN, SOURCE_VAULT_ARN, loadEvent } from "./fixtures";

const backupMock = mockClient(BackupClient);
// The copy completed just after midnight UTC on Mar 1; the backup was taken late on Feb 28.
const NOW = new Date("2026-03-01T00:08:30Z");

function handler(over: Record<string, unknown> = {}) {
  return createRetentionUpdaterHandler({
    backup: new BackupClient({ region: "cn-north-1" }),
    sourceVaultArn: SOURCE_VAULT_ARN,
    destinationVaultArn: DEST_VAULT_ARN,
    retainAfterCopyDays: 7,
    now: () => NOW,
    log: () => undefined,
    ...over,
  });
}

function point(over: Partial<DescribeRecoveryPointCommandOutput> = {}): Partial<DescribeRecoveryPointCommandOutput> {
  return {
    RecoveryPointArn: RECOVERY_POINT_ARN,
    BackupVaultArn: SOURCE_VAULT_ARN,
    BackupVaultName: "cn-log-backup-source",
    CreationDate: new Date("2026-02-28T21:40:31.207Z"),
    Status: "COMPLETED",
    StorageClass: "WARM",
    Lifecycle: { DeleteAfterDays: 35 },
    CalculatedLifecycle: { DeleteAt: new Date("2026-04-04T21:40:31.207Z") },
    ...over,
  };
}

beforeEach(() => {
  backupMock.reset();
  backupMock.on(DescribeRecoveryPointCommand).resolves(point());
  backupMock.on(UpdateRecoveryPointLifecycleCommand).resolves({});
});

describe("retention updater", () => {
  it("describes the original in the source vault and shortens its retention", async () => {
    const out = await handler()(loadEvent("copy-job-completed"));
    expect(backupMock.commandCalls(DescribeRecoveryPointCommand).map((c) => c.args[0].input)).toEqual([
      { BackupVaultName: "cn-log-backup-source", RecoveryPointArn: RECOVERY_POINT_ARN },
    ]);
    // days-old 2 (Feb 28 -> Mar 1), retainAfterCopyDays 7: max(2, 1, 7) + 1 = 8 < 35
    expect(backupMock.commandCalls(UpdateRecoveryPointLifecycleCommand).map((c) => c.args[0].input)).toEqual([
      { BackupVaultName: "cn-log-backup-source", RecoveryPointArn: RECOVERY_POINT_ARN, Lifecycle: { DeleteAfterDays: 8 } },
    ]);
    expect(out).toEqual({
      action: "lifecycle-updated",
      recoveryPointArn: RECOVERY_POINT_ARN,
      previousDeleteAfterDays: 35,
      deleteAfterDays: 8,
      cancelledColdMove: false,
    });
  });

  it("cancels a distant cold move and sends the full lifecycle", async () => {
    backupMock
      .on(DescribeRecoveryPointCommand)
      .resolves(point({ Lifecycle: { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 365, OptInToArchiveForSupportedResources: true } }));
    await handler()(loadEvent("copy-job-completed"));
    expect(backupMock.commandCalls(UpdateRecoveryPointLifecycleCommand)[0].args[0].input.Lifecycle).toEqual({
      MoveToColdStorageAfterDays: -1,
      OptInToArchiveForSupportedResources: false,
      DeleteAfterDays: 8,
    });
  });

  it("keeps a cold point 90 days after its move", async () => {
    backupMock.on(DescribeRecoveryPointCommand).resolves(
      point({
        CreationDate: new Date("2025-12-01T08:00:00Z"),
        StorageClass: "COLD",
        Lifecycle: { MoveToColdStorageAfterDays: 30, DeleteAfterDays: 365 },
        CalculatedLifecycle: { MoveToColdStorageAt: new Date("2025-12-31T08:00:00Z"), DeleteAt: new Date("2026-12-01T08:00:00Z") },
      }),
    );
    await handler()(loadEvent("copy-job-completed"));
    expect(backupMock.commandCalls(UpdateRecoveryPointLifecycleCommand)[0].args[0].input.Lifecycle).toEqual({
      MoveToColdStorageAfterDays: 30,
      DeleteAfterDays: 121,
    });
  });

  it.each([
    ["already shorter", { Lifecycle: { DeleteAfterDays: 5 } }, "not-shorter"],
    ["equal", { Lifecycle: { DeleteAfterDays: 8 } }, "not-shorter"],
    ["deleted", { StorageClass: "DELETED" as const }, "deleted"],
    ["deleting", { Status: "DELETING" as const }, "deleted"],
    ["expired", { Status: "EXPIRED" as const }, "deleted"],
  ])("never extends or touches a point that is %s", async (_label, over, reason) => {
    backupMock.on(DescribeRecoveryPointCommand).resolves(point(over));
    const out = await handler()(loadEvent("copy-job-completed"));
    expect(out).toMatchObject({ action: "unchanged", reason });
    expect(backupMock.commandCalls(UpdateRecoveryPointLifecycleCommand)).toHaveLength(0);
  });

  it("leaves a point that no longer exists", async () => {
    backupMock.on(DescribeRecoveryPointCommand).rejects(Object.assign(new Error("Recovery point not found"), { name: "ResourceNotFoundException" }));
    const out = await handler()(loadEvent("copy-job-completed"));
    expect(out).toMatchObject({ action: "ignored", reason: "recovery point not found (deleted)" });
    expect(backupMock.commandCalls(UpdateRecoveryPointLifecycleCommand)).toHaveLength(0);
  });

  it("propagates other DescribeRecoveryPoint errors and update errors", async () => {
    backupMock.on(DescribeRecoveryPointCommand).rejects(Object.assign(new Error("denied"), { name: "AccessDeniedException" }));
    await expect(handler()(loadEvent("copy-job-completed"))).rejects.toThrow("denied");
    backupMock.on(DescribeRecoveryPointCommand).resolves(point());
    backupMock.on(UpdateRecoveryPointLifecycleCommand).rejects(Object.assign(new Error("lock"), { name: "InvalidRequestException" }));
    await expect(handler()(loadEvent("copy-job-completed"))).rejects.toThrow("lock");
  });

  it("is harmless when the event is delivered twice", async () => {
    const h = handler();
    await h(loadEvent("copy-job-completed"));
    // The second delivery sees the lifecycle the first one set.
    backupMock.on(DescribeRecoveryPointCommand).resolves(point({ Lifecycle: { DeleteAfterDays: 8 } }));
    const again = await h(loadEvent("copy-job-completed"));
    expect(again).toMatchObject({ action: "unchanged", reason: "not-shorter" });
    expect(backupMock.commandCalls(UpdateRecoveryPointLifecycleCommand)).toHaveLength(1);
  });

  it.each([
    ["a running copy", () => loadEvent("copy-job-running"), /state RUNNING/],
    ["a failed copy", () => loadEvent("copy-job-failed"), /state FAILED/],
    ["a backup job event", () => loadEvent("backup-job-completed"), /not a Copy Job State Change/],
    [
      "a copy from another vault",
      () => {
        const e = loadEvent("copy-job-completed");
        e.detail.sourceBackupVaultArn = "arn:aws-cn:backup:cn-north-1:123456789012:backup-vault:Default";
        return e;
      },
      /source vault arn:aws-cn:backup:cn-north-1:123456789012:backup-vault:Default/,
    ],
    [
      "a copy to another vault (e.g. a same-region copy)",
      () => {
        const e = loadEvent("copy-job-completed");
        e.detail.destinationBackupVaultArn = "arn:aws-cn:backup:cn-north-1:123456789012:backup-vault:other";
        return e;
      },
      /destination vault arn:aws-cn:backup:cn-north-1:123456789012:backup-vault:other/,
    ],
  ])("ignores %s", async (_label, make, reason) => {
    const out = await handler()(make());
    expect(out.action).toBe("ignored");
    expect(out.reason).toMatch(reason);
    expect(backupMock.calls()).toHaveLength(0);
  });
});
