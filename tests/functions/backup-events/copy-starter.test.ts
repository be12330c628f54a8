import { BackupClient, ListCopyJobsCommand, StartCopyJobCommand } from "@aws-sdk/client-backup";
import { mockClient } from "aws-sdk-client-mock";
import { createHash } from "crypto";
import { createCopyStarterHandler, copyIdempotencyToken } from "../../../functions/backup-events";
import { COPY_ROLE_ARN, DEST_VAULT_ARN, RECOVERY_POINT_ARN, SOURCE_VAULT_ARN, loadEvent } from "./fixtures";

const backupMock = mockClient(BackupClient);
const NOW = new Date("2026-02-28T21:45:00Z");

function handler(over: Record<string, unknown> = {}) {
  return createCopyStarterHandler({
    backup: new BackupClient({ region: "cn-north-1" }),
    sourceVaultArn: SOURCE_VAULT_ARN,
    destinationVaultArn: DEST_VAULT_ARN,
    copyRoleArn: COPY_ROLE_ARN,
    copyDeleteAfterDays: 365,
    copyColdStorageAfterDays: 30,
    now: () => NOW,
    log: () => undefined,
    ...over,
  });
}

beforeEach(() => {
  backupMock.reset();
  backupMock.on(ListCopyJobsCommand).resolves({ CopyJobs: [] });
  backupMock.on(StartCopyJobCommand).resolves({ CopyJobId: "0175DE71-5784-589F-D8AC-541ACCB4CAC8" });
});

describe("copy starter", () => {
  it("starts a copy of the completed recovery point to the Ningxia vault with the copy role and a hashed token", async () => {
    const out = await handler()(loadEvent("backup-job-completed"));

    const expectedToken = createHash("sha256").update(`${RECOVERY_POINT_ARN}\n${DEST_VAULT_ARN}`).digest("hex");
    const starts = backupMock.commandCalls(StartCopyJobCommand);
    expect(starts).toHaveLength(1);
    expect(starts[0].args[0].input).toEqual({
      RecoveryPointArn: RECOVERY_POINT_ARN,
      SourceBackupVaultName: "cn-log-backup-source",
      DestinationBackupVaultArn: DEST_VAULT_ARN,
      IamRoleArn: COPY_ROLE_ARN,
      IdempotencyToken: `${expectedToken.slice(0, 8)}-${expectedToken.slice(8, 12)}-${expectedToken.slice(12, 16)}-${expectedToken.slice(16, 20)}-${expectedToken.slice(20, 32)}`,
      Lifecycle: { DeleteAfterDays: 365, MoveToColdStorageAfterDays: 30 },
    });
    expect(out).toMatchObject({ action: "copy-started", copyJobId: "0175DE71-5784-589F-D8AC-541ACCB4CAC8", recoveryPointArn: RECOVERY_POINT_ARN });

    // It first looked for an earlier copy of this point to this vault (7 days back, this resource).
    const lists = backupMock.commandCalls(ListCopyJobsCommand);
    expect(lists).toHaveLength(1);
    expect(lists[0].args[0].input).toEqual({
      ByDestinationVaultArn: DEST_VAULT_ARN,
      ByCreatedAfter: new Date("2026-02-21T21:45:00Z"),
      ByResourceArn: "arn:aws-cn:elasticfilesystem:cn-north-1:123456789012:file-system/fs-0123456789abcdef0",
    });
  });

  it("sends no Lifecycle when none is configured", async () => {
    await handler({ copyDeleteAfterDays: undefined, copyColdStorageAfterDays: undefined })(loadEvent("backup-job-completed"));
    expect(backupMock.commandCalls(StartCopyJobCommand)[0].args[0].input).not.toHaveProperty("Lifecycle");
  });

  it("derives a token that is deterministic, bounded and specific to the point and the destination", () => {
    const t = copyIdempotencyToken(RECOVERY_POINT_ARN, DEST_VAULT_ARN);
    expect(t).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(copyIdempotencyToken(RECOVERY_POINT_ARN, DEST_VAULT_ARN)).toBe(t);
    expect(copyIdempotencyToken(RECOVERY_POINT_ARN, DEST_VAULT_ARN.replace("cn-log-backup-dr", "other"))).not.toBe(t);
    expect(copyIdempotencyToken(RECOVERY_POINT_ARN.replace("f1d9", "f1d8"), DEST_VAULT_ARN)).not.toBe(t);
    // The separator keeps (a, bc) and (ab, c) apart.
    expect(copyIdempotencyToken("arn:a", "bc")).not.toBe(copyIdempotencyToken("arn:ab", "c"));
    const long = "arn:aws-cn:backup:cn-north-1:123456789012:recovery-point:" + "x".repeat(900);
    expect(copyIdempotencyToken(long, DEST_VAULT_ARN)).toHaveLength(36);
  });

  it("a redelivered event starts no second copy", async () => {
    const h = handler();
    const event = loadEvent("backup-job-completed");
    await h(event);
    const first = backupMock.commandCalls(StartCopyJobCommand)[0].args[0].input;

    // AWS Backup now lists the copy job the first delivery started.
    backupMock.on(ListCopyJobsCommand).resolves({
      CopyJobs: [
        {
          CopyJobId: "0175DE71-5784-589F-D8AC-541ACCB4CAC8",
          SourceRecoveryPointArn: RECOVERY_POINT_ARN,
          SourceBackupVaultArn: SOURCE_VAULT_ARN,
          DestinationBackupVaultArn: DEST_VAULT_ARN,
          State: "RUNNING",
        },
      ],
    });
    const again = await h(loadEvent("backup-job-completed"));
    expect(again).toEqual({
      action: "already-copied",
      recoveryPointArn: RECOVERY_POINT_ARN,
      copyJobId: "0175DE71-5784-589F-D8AC-541ACCB4CAC8",
      state: "RUNNING",
    });
    expect(backupMock.commandCalls(StartCopyJobCommand)).toHaveLength(1);
    expect(first.IdempotencyToken).toBe(copyIdempotencyToken(RECOVERY_POINT_ARN, DEST_VAULT_ARN));
  });

  it("a redelivery the listing does not see yet reuses the same token, so AWS Backup dedupes it", async () => {
    const h = handler();
    await h(loadEvent("backup-job-completed"));
    await h(loadEvent("backup-job-completed"));
    const starts = backupMock.commandCalls(StartCopyJobCommand).map((c) => c.args[0].input);
    expect(starts).toHaveLength(2);
    expect(starts[1]).toEqual(starts[0]);
  });

  it("pages through ListCopyJobs and ignores failed copies and copies of other points or to other vaults", async () => {
    backupMock
      .on(ListCopyJobsCommand)
      .resolvesOnce({
        CopyJobs: [
          { CopyJobId: "failed", SourceRecoveryPointArn: RECOVERY_POINT_ARN, DestinationBackupVaultArn: DEST_VAULT_ARN, State: "FAILED" },
          { CopyJobId: "other-point", SourceRecoveryPointArn: RECOVERY_POINT_ARN + "0", DestinationBackupVaultArn: DEST_VAULT_ARN, State: "COMPLETED" },
        ],
        NextToken: "page-2",
      })
      .resolvesOnce({
        CopyJobs: [{ CopyJobId: "other-vault", SourceRecoveryPointArn: RECOVERY_POINT_ARN, DestinationBackupVaultArn: SOURCE_VAULT_ARN, State: "COMPLETED" }],
      });
    const out = await handler()(loadEvent("backup-job-completed"));
    expect(out.action).toBe("copy-started");
    const lists = backupMock.commandCalls(ListCopyJobsCommand);
    expect(lists).toHaveLength(2);
    expect(lists[1].args[0].input.NextToken).toBe("page-2");
    expect(backupMock.commandCalls(StartCopyJobCommand)).toHaveLength(1);
  });

  // StartCopyJob's IdempotencyToken: "Retrying a successful request with the same idempotency token
  // results in a success message with no action taken"
  // (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_StartCopyJob.html): the same token
  // answers with the job it started, failed or not. This mock keeps that rule.
  it("after the copy job FAILED, a redelivered event starts a new copy under a new token", async () => {
    const jobs: Array<{ CopyJobId: string; SourceRecoveryPointArn: string; DestinationBackupVaultArn: string; State: string; token: string }> = [];
    backupMock.on(ListCopyJobsCommand).callsFake(async () => ({ CopyJobs: jobs.map(({ token: _t, ...j }) => j) }));
    backupMock.on(StartCopyJobCommand).callsFake(async (input) => {
      const same = jobs.find((j) => j.token === input.IdempotencyToken);
      if (same) return { CopyJobId: same.CopyJobId };
      const job = {
        CopyJobId: `job-${jobs.length + 1}`,
        SourceRecoveryPointArn: input.RecoveryPointArn,
        DestinationBackupVaultArn: input.DestinationBackupVaultArn,
        State: "CREATED",
        token: input.IdempotencyToken,
      };
      jobs.push(job);
      return { CopyJobId: job.CopyJobId };
    });
    const h = handler();
    const first = await h(loadEvent("backup-job-completed"));
    expect(first).toMatchObject({ action: "copy-started", copyJobId: "job-1" });
    jobs[0].State = "FAILED";

    const again = await h(loadEvent("backup-job-completed"));
    expect(again).toMatchObject({ action: "copy-started", copyJobId: "job-2", attempt: 1 });
    expect(jobs.map((j) => j.CopyJobId)).toEqual(["job-1", "job-2"]);
    const tokens = backupMock.commandCalls(StartCopyJobCommand).map((c) => c.args[0].input.IdempotencyToken);
    expect(tokens[1]).not.toBe(tokens[0]);
    expect(tokens[1]).toBe(copyIdempotencyToken(RECOVERY_POINT_ARN, DEST_VAULT_ARN, 1));

    // While the retry runs, a further redelivery starts nothing; a retried invocation of the same
    // attempt (before the listing shows it) gets the same token, so AWS Backup dedupes it.
    expect(await h(loadEvent("backup-job-completed"))).toMatchObject({ action: "already-copied", copyJobId: "job-2" });
    jobs[1].State = "ABORTED";
    expect(await h(loadEvent("backup-job-completed"))).toMatchObject({ action: "copy-started", copyJobId: "job-3", attempt: 2 });
  });

  it("finds a completed copy on a later page", async () => {
    backupMock
      .on(ListCopyJobsCommand)
      .resolvesOnce({ CopyJobs: [], NextToken: "p2" })
      .resolvesOnce({
        CopyJobs: [{ CopyJobId: "done", SourceRecoveryPointArn: RECOVERY_POINT_ARN, DestinationBackupVaultArn: DEST_VAULT_ARN, State: "COMPLETED" }],
      });
    const out = await handler()(loadEvent("backup-job-completed"));
    expect(out).toMatchObject({ action: "already-copied", copyJobId: "done" });
    expect(backupMock.commandCalls(StartCopyJobCommand)).toHaveLength(0);
  });

  it.each([
    ["a running backup job", loadEvent("backup-job-running"), /state RUNNING/],
    ["a failed backup job", loadEvent("backup-job-failed"), /state FAILED/],
    ["a copy job event", loadEvent("copy-job-completed"), /not a Backup Job State Change/],
    ["a restore job event", loadEvent("restore-job-completed"), /not a Backup Job State Change/],
  ])("ignores %s", async (_label, event, reason) => {
    const out = await handler()(event);
    expect(out.action).toBe("ignored");
    expect(out.reason).toMatch(reason);
    expect(backupMock.calls()).toHaveLength(0);
  });

  it("ignores a completed backup in another vault", async () => {
    const event = loadEvent("backup-job-completed");
    event.detail.backupVaultArn = "arn:aws-cn:backup:cn-north-1:123456789012:backup-vault:Default";
    const out = await handler()(event);
    expect(out).toMatchObject({ action: "ignored", reason: "vault arn:aws-cn:backup:cn-north-1:123456789012:backup-vault:Default" });
    expect(backupMock.calls()).toHaveLength(0);
  });

  it("copies on-demand backups unless configured not to", async () => {
    const event = loadEvent("backup-job-completed-aurora-on-demand");
    expect((await handler()(event)).action).toBe("copy-started");
    expect(backupMock.commandCalls(StartCopyJobCommand)[0].args[0].input.RecoveryPointArn).toBe(
      "arn:aws-cn:rds:cn-north-1:123456789012:cluster-snapshot:awsbackup:job-4ece7121-d60e-00c2-5c3b-49960142d03b",
    );
    backupMock.resetHistory();
    expect(await handler({ copyOnDemandBackups: false })(event)).toMatchObject({ action: "ignored", reason: "on-demand backup" });
    expect(backupMock.calls()).toHaveLength(0);
  });

  it("throws when the event has no recovery point, so the event goes to the retry/DLQ path", async () => {
    const event = loadEvent("backup-job-completed");
    event.resources = [];
    await expect(handler()(event)).rejects.toThrow(/carries no recovery point ARN in resources\[0\]/);
    expect(backupMock.commandCalls(StartCopyJobCommand)).toHaveLength(0);
  });

  it("propagates StartCopyJob errors", async () => {
    backupMock.on(StartCopyJobCommand).rejects(Object.assign(new Error("Insufficient privileges to perform this action."), { name: "AccessDeniedException" }));
    await expect(handler()(loadEvent("backup-job-completed"))).rejects.toThrow(/Insufficient privileges/);
  });

  it("propagates ListCopyJobs errors rather than copying blind", async () => {
    backupMock.on(ListCopyJobsCommand).rejects(Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" }));
    await expect(handler()(loadEvent("backup-job-completed"))).rejects.toThrow(/Rate exceeded/);
    expect(backupMock.commandCalls(StartCopyJobCommand)).toHaveLength(0);
  });

  it("rejects bad settings when the handler is made", () => {
    expect(() => handler({ sourceVaultArn: "cn-log-backup-source" })).toThrow(/not a backup vault ARN: cn-log-backup-source/);
    expect(() => handler({ destinationVaultArn: "" })).toThrow(/not a backup vault ARN/);
    expect(() => handler({ copyRoleArn: "" })).toThrow(/copyRoleArn is required/);
  });
});
