/**
 * The evaluations the BackupEvents test files share: the two stack files, the primary wired to the
 * backup stack's outputs; and the primary-region component alone under the mocks with both flags on.
 */
import { ACCOUNT_ID, one, outputValue, runStack, settle, useMocks } from "../../helpers/pulumi";
import type { StackRun } from "../../../tools/harness";
import type { ResourceRecord } from "../../../tools/types";
import { BackupEventsPrimaryRegion } from "../../../infra/backup-events";
import { BACKUP_STACK, DEST_VAULT_ARN } from "./helpers";

/** Both stack files: Ningxia first, then Beijing reading its outputs. */
export async function runBothStacks(): Promise<{ run: StackRun; backupRun: StackRun }> {
  const backupRun = await runStack("cn-northwest-1");
  const run = await runStack("cn-north-1", { stackOutputs: { [BACKUP_STACK]: backupRun.outputs } });
  return { run, backupRun };
}

/** BackupEvents' rule, function and serialized Lambda by suffix (`backup-events-<suffix>`) in the run `run()` returns. */
export function backupEventsRecords(run: () => StackRun) {
  return {
    rule: (suffix: string) => one(run(), "aws:cloudwatch/eventRule:EventRule", `backup-events-${suffix}`),
    fn: (suffix: string) => one(run(), "aws:lambda/function:Function", `backup-events-${suffix}`),
    lambda: (suffix: string) => {
      const l = run().lambdas.find((x) => x.name === `backup-events-${suffix}`);
      if (!l) throw new Error(`no lambda ${suffix}`);
      return l.lambda;
    },
  };
}

/** The archive key the flagged component is given. */
export const ARCHIVE_KEY = `arn:aws-cn:kms:cn-north-1:${ACCOUNT_ID}:key/99999999-8888-7777-6666-555555555555`;

/**
 * BackupEventsPrimaryRegion "be" alone under fresh Beijing mocks, with the audit framework and the
 * snapshot export on, once every registration has reached the mocks; `find` reads the one record
 * of `type` whose name ends with `suffix`.
 */
export async function flaggedComponent() {
  const mocks = await useMocks("cn-north-1");
  const be = new BackupEventsPrimaryRegion("be", {
    stack: "cn-north-1",
    sourceVaultName: "cn-log-backup-source",
    destinationVaultArn: DEST_VAULT_ARN,
    destinationVaultKeyArn: `arn:aws-cn:kms:cn-northwest-1:${ACCOUNT_ID}:key/dest`,
    backupRegion: "cn-northwest-1",
    schedule: "cron(0 18 * * ? *)",
    startWindowMinutes: 60,
    completionWindowMinutes: 480,
    deleteAfterDays: 120,
    coldStorageAfterDays: 30,
    selectionTagKey: "backup",
    selectionTagValue: "yes",
    copyDeleteAfterDays: 365,
    copyColdStorageAfterDays: 90,
    copyOnDemandBackups: true,
    retainAfterCopyDays: 7,
    restoreStatuses: [],
    noBackupAlarmHours: 12,
    notificationEmails: [],
    lambdaLogKeyArn: `arn:aws-cn:kms:cn-north-1:${ACCOUNT_ID}:key/logs`,
    lambdaLogRetentionDays: 365,
    archive: { bucketName: "cn-log-backup-archive", keyArn: ARCHIVE_KEY },
    auditFramework: true,
    snapshotExport: true,
    kmsKeyDeletionWindowDays: 30,
    tags: {},
  });
  await outputValue(be.vaultArn);
  await settle();
  const find = (type: string, suffix: string): ResourceRecord => {
    const found = mocks.resources.filter((r) => r.type === type && r.name.endsWith(suffix));
    expect(found).toHaveLength(1);
    return found[0];
  };
  return { mocks, be, find };
}
