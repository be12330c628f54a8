import { ConfigError, parseConfig } from "../../stacks/config";
import { stackConfig } from "../../tools/harness";

const primary = (backupEvents: Record<string, unknown>, extra: Record<string, string> = {}) => ({
  "aws:region": "cn-north-1",
  "cn-log-backup:backupEvents": JSON.stringify(backupEvents),
  ...extra,
});

function problems(all: Record<string, string>): string {
  try {
    parseConfig(all, "cn-north-1");
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("backupEvents config", () => {
  test("defaults", () => {
    const b = parseConfig({ "aws:region": "cn-north-1" }, "cn-north-1").backupEvents;
    expect(b).toEqual({
      enabled: true,
      sourceVaultName: "cn-log-backup-source",
      destinationVaultName: "cn-log-backup-dr",
      schedule: "cron(0 18 * * ? *)",
      startWindowMinutes: 60,
      completionWindowMinutes: 480,
      deleteAfterDays: 35,
      coldStorageAfterDays: undefined,
      selectionTagKey: "cn-log-backup:backup",
      selectionTagValue: "daily",
      copyOnDemandBackups: true,
      copyDeleteAfterDays: 365,
      copyColdStorageAfterDays: undefined,
      retainAfterCopyDays: 7,
      notificationEmails: [],
      restoreStatuses: ["COMPLETED", "ABORTED", "FAILED"],
      noBackupAlarmHours: 24,
      vaultLockMode: "governance",
      vaultLockMinRetentionDays: 7,
      vaultLockMaxRetentionDays: 3650,
      vaultLockChangeableForDays: 3,
      adminRoleArns: [],
      primaryAccountId: undefined,
      auditFramework: false,
      snapshotExport: false,
    });
  });

  test("both stack files parse with backupEvents enabled", () => {
    expect(parseConfig(stackConfig("cn-north-1"), "cn-north-1").backupEvents.enabled).toBe(true);
    expect(parseConfig(stackConfig("cn-northwest-1"), "cn-northwest-1").backupEvents.enabled).toBe(true);
  });

  test.each([
    [{ sourceVaultName: "a" }, 'cn-log-backup:backupEvents.sourceVaultName: "a" is not allowed; expected 2-50 letters, digits, hyphens or underscores'],
    [{ destinationVaultName: "dr vault" }, 'cn-log-backup:backupEvents.destinationVaultName: "dr vault" is not allowed; expected 2-50 letters, digits, hyphens or underscores'],
    [{ schedule: "daily" }, 'cn-log-backup:backupEvents.schedule: "daily" is not allowed; expected cron(<6 fields>) or rate(<n> minutes|hours|days)'],
    [{ startWindowMinutes: 30 }, "cn-log-backup:backupEvents.startWindowMinutes: 30 is not allowed; expected an integer from 60 to 1440"],
    [{ retainAfterCopyDays: 0 }, "cn-log-backup:backupEvents.retainAfterCopyDays: 0 is not allowed; expected an integer from 1 to 36500"],
    [{ notificationEmails: ["ops"] }, 'cn-log-backup:backupEvents.notificationEmails: ["ops"] is not allowed; expected a list of an email address (item 0: "ops" is not an email address)'],
    [{ restoreStatuses: ["DONE"] }, 'cn-log-backup:backupEvents.restoreStatuses: ["DONE"] is not allowed'],
    [{ vaultLockMode: "strict" }, 'cn-log-backup:backupEvents.vaultLockMode: "strict" is not allowed; expected one of governance, compliance'],
    [{ vaultLockChangeableForDays: 1 }, "cn-log-backup:backupEvents.vaultLockChangeableForDays: 1 is not allowed; expected an integer from 3 to 36500"],
    [{ adminRoleArns: ["arn:aws:iam::123456789012:role/admin"] }, "cn-log-backup:backupEvents.adminRoleArns: "],
    [{ noBackupAlarmHours: 48 }, "cn-log-backup:backupEvents.noBackupAlarmHours: 48 is not allowed; expected an integer from 1 to 24"],
    [{ primaryAccountId: "1234" }, 'cn-log-backup:backupEvents.primaryAccountId: "1234" is not allowed; expected a 12-digit AWS account id'],
    [{ snapshotExport: "yes" }, 'cn-log-backup:backupEvents.snapshotExport: "yes" is not allowed; expected true or false'],
    [{ vaultName: "x" }, "cn-log-backup:backupEvents.vaultName: unknown key"],
  ])("%j is rejected naming the key, the value and what is allowed", (bad, message) => {
    expect(problems(primary(bad))).toContain(message);
  });

  test("cold storage needs 90 more days of retention, in the plan and for the copies", () => {
    const msg = problems(primary({ coldStorageAfterDays: 30, deleteAfterDays: 100, copyColdStorageAfterDays: 300, copyDeleteAfterDays: 365 }));
    expect(msg).toContain("cn-log-backup:backupEvents.deleteAfterDays: 100 is not allowed; expected at least coldStorageAfterDays + 90 = 120");
    expect(msg).toContain("cn-log-backup:backupEvents.copyDeleteAfterDays: 365 is not allowed; expected at least copyColdStorageAfterDays + 90 = 390");
    expect(() => parseConfig(primary({ coldStorageAfterDays: 30, deleteAfterDays: 120 }), "s")).not.toThrow();
  });

  test("the copies' retention must fit the vault lock's range, and the range must be a range", () => {
    expect(problems(primary({ copyDeleteAfterDays: 5 }))).toContain(
      "cn-log-backup:backupEvents.copyDeleteAfterDays: 5 is not allowed; expected an integer from vaultLockMinRetentionDays (7) to vaultLockMaxRetentionDays (3650)",
    );
    expect(problems(primary({ vaultLockMinRetentionDays: 400, vaultLockMaxRetentionDays: 300 }))).toContain(
      "cn-log-backup:backupEvents.vaultLockMinRetentionDays: 400 is not allowed; expected at most vaultLockMaxRetentionDays (300)",
    );
  });

  test("retainAfterCopyDays must be shorter than the plan's retention", () => {
    expect(problems(primary({ retainAfterCopyDays: 35 }))).toContain(
      "cn-log-backup:backupEvents.retainAfterCopyDays: 35 is not allowed; expected less than deleteAfterDays (35)",
    );
  });

  test("a backup stack in another account must name the primary account", () => {
    const all = {
      "aws:region": "cn-northwest-1",
      "cn-log-backup:backupAccountId": "210987654321",
    };
    try {
      parseConfig(all, "cn-northwest-1");
      throw new Error("expected a ConfigError");
    } catch (e) {
      expect((e as Error).message).toContain("cn-log-backup:backupEvents.primaryAccountId: is required in the backup stack when backupAccountId is set");
    }
    expect(() => parseConfig({ ...all, "cn-log-backup:backupEvents": JSON.stringify({ primaryAccountId: "111122223333" }) }, "cn-northwest-1")).not.toThrow();
    // The primary stack does not need it.
    expect(() => parseConfig({ "aws:region": "cn-north-1", "cn-log-backup:backupAccountId": "210987654321" }, "cn-north-1")).not.toThrow();
  });
});
