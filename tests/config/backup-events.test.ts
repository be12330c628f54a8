import { parseConfig } from "../../stacks/config";
import { stackConfig } from "../../tools/harness";
import { configErrorOf } from "../helpers/config";

const primary = (backupEvents: Record<string, unknown>, extra: Record<string, string> = {}) => ({
  "aws:region": "cn-north-1",
  "cn-log-backup:backupEvents": JSON.stringify(backupEvents),
  ...extra,
});

const problems = (all: Record<string, string>): string => configErrorOf(all, "cn-north-1");

describe("backupEvents config", () => {
  test("defaults", () => {
    const b = parseConfig({ "aws:region": "cn-north-1" }, "cn-north-1").backupEvents;
    expect(b).toEqual({
      enabled: true,
      sourceVaultName: "cn-log-backup-source",
      destinationVaultName: "cn-log-backup-dr",
      sourceVaultArn: undefined,
      sourceVaultKmsKeyArn: undefined,
      destinationVaultArn: undefined,
      destinationVaultKmsKeyArn: undefined,
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
      configRecorderExists: false,
      snapshotExport: false,
      restoreTesting: false,
      restoreTestingSchedule: "cron(0 20 ? * SAT *)",
      restoreTestingStartWindowHours: 24,
      restoreTestingSelectionWindowDays: 30,
      restoreTestingValidationWindowHours: 24,
      restoreTestingResourceType: "Aurora",
      restoreTestingDbSubnetGroupName: undefined,
      restoreTestingSecurityGroupIds: [],
    });
  });

  test("both stack files parse with backupEvents enabled", () => {
    expect(parseConfig(stackConfig("cn-north-1"), "cn-north-1").backupEvents.enabled).toBe(true);
    expect(parseConfig(stackConfig("cn-northwest-1"), "cn-northwest-1").backupEvents.enabled).toBe(true);
  });

  test.each([
    [{ sourceVaultName: "a" }, 'cn-log-backup:backupEvents.sourceVaultName: "a" is not allowed; expected 2-50 letters, digits, hyphens or underscores'],
    [
      { destinationVaultName: "dr vault" },
      'cn-log-backup:backupEvents.destinationVaultName: "dr vault" is not allowed; expected 2-50 letters, digits, hyphens or underscores',
    ],
    [{ schedule: "daily" }, 'cn-log-backup:backupEvents.schedule: "daily" is not allowed; expected cron(<6 fields>) or rate(<n> minutes|hours|days)'],
    [{ startWindowMinutes: 30 }, "cn-log-backup:backupEvents.startWindowMinutes: 30 is not allowed; expected an integer from 60 to 1440"],
    [{ retainAfterCopyDays: 0 }, "cn-log-backup:backupEvents.retainAfterCopyDays: 0 is not allowed; expected an integer from 1 to 36500"],
    [
      { notificationEmails: ["ops"] },
      'cn-log-backup:backupEvents.notificationEmails: ["ops"] is not allowed; expected a list of an email address (item 0: "ops" is not an email address)',
    ],
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

  test("the audit framework needs an AWS Config recorder, which the user confirms (Backup Audit Manager controls are Config rules)", () => {
    expect(problems(primary({ auditFramework: true }))).toContain("cn-log-backup:backupEvents.configRecorderExists: must be true when auditFramework is on");
    expect(() => parseConfig(primary({ auditFramework: true, configRecorderExists: true }), "s")).not.toThrow();
    expect(() => parseConfig(primary({ configRecorderExists: true }), "s")).not.toThrow();
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

  describe("bring your own vault and key", () => {
    const OWN = "123456789012";
    const OTHER = "210987654321";
    const SOURCE_VAULT = `arn:aws-cn:backup:cn-north-1:${OWN}:backup-vault:existing-source`;
    const SOURCE_KEY = `arn:aws-cn:kms:cn-north-1:${OWN}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const DEST_VAULT = `arn:aws-cn:backup:cn-northwest-1:${OTHER}:backup-vault:existing-dr`;
    const DEST_KEY = `arn:aws-cn:kms:cn-northwest-1:${OTHER}:key/mrk-0123456789abcdef0123456789abcdef`;
    const SOURCE_MANAGED = `arn:aws-cn:kms:cn-north-1:${OWN}:alias/aws/backup`;
    const DEST_MANAGED = `arn:aws-cn:kms:cn-northwest-1:${OTHER}:alias/aws/backup`;
    const VAULT_ALLOWED = "expected a backup vault ARN in aws-cn: arn:aws-cn:backup:<region>:<12-digit account>:backup-vault:<name>";
    const KEY_ALLOWED =
      "expected a KMS key ARN in aws-cn: arn:aws-cn:kms:<region>:<12-digit account>:key/<key id>, or arn:aws-cn:kms:<region>:<12-digit account>:alias/aws/backup for the AWS-managed key";
    const backup = (backupEvents: Record<string, unknown>, extra: Record<string, string> = {}) => ({
      "aws:region": "cn-northwest-1",
      "cn-log-backup:backupEvents": JSON.stringify(backupEvents),
      ...extra,
    });
    const parse = (all: Record<string, string>) => parseConfig(all, "s").backupEvents;

    test("off by default; each accepted alone or in the combinations that make sense", () => {
      const b = parse(primary({}));
      expect([b.sourceVaultArn, b.sourceVaultKmsKeyArn, b.destinationVaultArn, b.destinationVaultKmsKeyArn]).toEqual([
        undefined,
        undefined,
        undefined,
        undefined,
      ]);
      expect(parse(primary({ sourceVaultKmsKeyArn: SOURCE_KEY })).sourceVaultKmsKeyArn).toBe(SOURCE_KEY);
      expect(parse(primary({ sourceVaultArn: SOURCE_VAULT, sourceVaultKmsKeyArn: SOURCE_KEY }))).toMatchObject({
        sourceVaultArn: SOURCE_VAULT,
        sourceVaultKmsKeyArn: SOURCE_KEY,
      });
      expect(parse(backup({ destinationVaultKmsKeyArn: DEST_KEY })).destinationVaultKmsKeyArn).toBe(DEST_KEY);
      expect(parse(backup({ destinationVaultArn: DEST_VAULT, destinationVaultKmsKeyArn: DEST_KEY }))).toMatchObject({
        destinationVaultArn: DEST_VAULT,
        destinationVaultKmsKeyArn: DEST_KEY,
      });
      // The AWS-managed key, as an existing vault's key, is fine while everything stays in one account.
      const managed = { sourceVaultArn: SOURCE_VAULT, sourceVaultKmsKeyArn: SOURCE_MANAGED };
      expect(parse(primary(managed)).sourceVaultKmsKeyArn).toBe(SOURCE_MANAGED);
      expect(parse(primary(managed, { "cn-log-backup:backupAccountId": OWN })).sourceVaultKmsKeyArn).toBe(SOURCE_MANAGED);
    });

    test.each([
      [
        { sourceVaultArn: `arn:aws:backup:cn-north-1:${OWN}:backup-vault:v1` },
        `cn-log-backup:backupEvents.sourceVaultArn: "arn:aws:backup:cn-north-1:${OWN}:backup-vault:v1" is not allowed; ${VAULT_ALLOWED}`,
      ],
      [
        { sourceVaultArn: `arn:aws-cn:backup:cn-north-1:${OWN}:recovery-point:abc` },
        `cn-log-backup:backupEvents.sourceVaultArn: "arn:aws-cn:backup:cn-north-1:${OWN}:recovery-point:abc" is not allowed; ${VAULT_ALLOWED}`,
      ],
      [{ destinationVaultArn: "existing-dr" }, `cn-log-backup:backupEvents.destinationVaultArn: "existing-dr" is not allowed; ${VAULT_ALLOWED}`],
      [
        { destinationVaultArn: `arn:aws-cn:backup:us-east-1:${OWN}:backup-vault:dr` },
        `cn-log-backup:backupEvents.destinationVaultArn: "arn:aws-cn:backup:us-east-1:${OWN}:backup-vault:dr" is not allowed; ${VAULT_ALLOWED}`,
      ],
      [
        { sourceVaultKmsKeyArn: `arn:aws-cn:kms:cn-north-1:${OWN}:key/not-a-key-id` },
        `cn-log-backup:backupEvents.sourceVaultKmsKeyArn: "arn:aws-cn:kms:cn-north-1:${OWN}:key/not-a-key-id" is not allowed; ${KEY_ALLOWED}`,
      ],
      [
        { sourceVaultKmsKeyArn: `arn:aws-cn:kms:cn-north-1:${OWN}:alias/my-key` },
        `cn-log-backup:backupEvents.sourceVaultKmsKeyArn: "arn:aws-cn:kms:cn-north-1:${OWN}:alias/my-key" is not allowed; ${KEY_ALLOWED}`,
      ],
      [
        { destinationVaultKmsKeyArn: "1234abcd-12ab-34cd-56ef-1234567890ab" },
        `cn-log-backup:backupEvents.destinationVaultKmsKeyArn: "1234abcd-12ab-34cd-56ef-1234567890ab" is not allowed; ${KEY_ALLOWED}`,
      ],
    ])("%j is rejected naming the key, the value and what is allowed", (bad, message) => {
      expect(problems(primary(bad))).toContain(message);
    });

    test("each ARN must be in its role's region: source in primaryRegion, destination in backupRegion", () => {
      const wrongSource = SOURCE_VAULT.replace("cn-north-1", "cn-northwest-1");
      const wrongSourceKey = SOURCE_KEY.replace("cn-north-1", "cn-northwest-1");
      const wrongDest = DEST_VAULT.replace("cn-northwest-1", "cn-north-1");
      const wrongDestKey = DEST_KEY.replace("cn-northwest-1", "cn-north-1");
      const msg = problems(
        primary({ sourceVaultArn: wrongSource, sourceVaultKmsKeyArn: wrongSourceKey, destinationVaultArn: wrongDest, destinationVaultKmsKeyArn: wrongDestKey }),
      );
      expect(msg).toContain(
        `cn-log-backup:backupEvents.sourceVaultArn: ${JSON.stringify(wrongSource)} is in cn-northwest-1; expected an ARN in primaryRegion (cn-north-1), where the source vault is`,
      );
      expect(msg).toContain(
        `cn-log-backup:backupEvents.sourceVaultKmsKeyArn: ${JSON.stringify(wrongSourceKey)} is in cn-northwest-1; expected an ARN in primaryRegion (cn-north-1), where the source vault is`,
      );
      expect(msg).toContain(
        `cn-log-backup:backupEvents.destinationVaultArn: ${JSON.stringify(wrongDest)} is in cn-north-1; expected an ARN in backupRegion (cn-northwest-1), where the destination vault is`,
      );
      expect(msg).toContain(
        `cn-log-backup:backupEvents.destinationVaultKmsKeyArn: ${JSON.stringify(wrongDestKey)} is in cn-north-1; expected an ARN in backupRegion (cn-northwest-1), where the destination vault is`,
      );
    });

    test("an existing vault needs the key it is encrypted with", () => {
      expect(problems(primary({ sourceVaultArn: SOURCE_VAULT }))).toContain(
        `cn-log-backup:backupEvents.sourceVaultKmsKeyArn: is required with sourceVaultArn (${JSON.stringify(SOURCE_VAULT)}); expected the ARN of the KMS key that vault is encrypted with, so the copy role can be granted its use`,
      );
      expect(problems(backup({ destinationVaultArn: DEST_VAULT }))).toContain(
        `cn-log-backup:backupEvents.destinationVaultKmsKeyArn: is required with destinationVaultArn (${JSON.stringify(DEST_VAULT)}); expected the ARN of the KMS key that vault is encrypted with, so the copy role can be granted its use`,
      );
    });

    test("the AWS-managed key aws/backup is refused for a vault the program creates (the policy pack wants a customer-managed key)", () => {
      const cmk = "expected a customer-managed key ARN arn:aws-cn:kms:<region>:<12-digit account>:key/<key id>";
      expect(problems(primary({ sourceVaultKmsKeyArn: SOURCE_MANAGED }))).toContain(
        `cn-log-backup:backupEvents.sourceVaultKmsKeyArn: ${JSON.stringify(SOURCE_MANAGED)} is the AWS-managed key aws/backup, but the program's own vaults are encrypted with a customer-managed key (policy backup-vault-encrypted-with-cmk): ${cmk}, or sourceVaultArn to use an existing vault encrypted with aws/backup`,
      );
      expect(problems(backup({ destinationVaultKmsKeyArn: DEST_MANAGED }))).toContain(
        `cn-log-backup:backupEvents.destinationVaultKmsKeyArn: ${JSON.stringify(DEST_MANAGED)} is the AWS-managed key aws/backup, but the program's own vaults are encrypted with a customer-managed key (policy backup-vault-encrypted-with-cmk): ${cmk}, or destinationVaultArn to use an existing vault encrypted with aws/backup`,
      );
    });

    test("the AWS-managed key aws/backup is refused when copies cross accounts", () => {
      const why =
        "AWS cannot copy recovery points encrypted with an AWS-managed key across accounts: expected a customer-managed key ARN arn:aws-cn:kms:<region>:<12-digit account>:key/<key id>";
      expect(problems(primary({ sourceVaultArn: SOURCE_VAULT, sourceVaultKmsKeyArn: SOURCE_MANAGED }, { "cn-log-backup:backupAccountId": OTHER }))).toContain(
        `cn-log-backup:backupEvents.sourceVaultKmsKeyArn: ${JSON.stringify(SOURCE_MANAGED)} is the AWS-managed key aws/backup, and copies cross accounts (backupAccountId ${OTHER} is not the key's account ${OWN}); ${why}`,
      );
      // The backup stack runs in backupAccountId; the primary account is the other one.
      expect(
        problems(
          backup(
            { destinationVaultArn: DEST_VAULT, destinationVaultKmsKeyArn: DEST_MANAGED, primaryAccountId: OWN },
            { "cn-log-backup:backupAccountId": OTHER },
          ),
        ),
      ).toContain(
        `cn-log-backup:backupEvents.destinationVaultKmsKeyArn: ${JSON.stringify(DEST_MANAGED)} is the AWS-managed key aws/backup, and copies cross accounts (backupEvents.primaryAccountId ${OWN} is not the key's account ${OTHER}); ${why}`,
      );
      // A customer-managed key in the same cross-account setup is fine.
      expect(() =>
        parseConfig(
          backup({ destinationVaultArn: DEST_VAULT, destinationVaultKmsKeyArn: DEST_KEY, primaryAccountId: OWN }, { "cn-log-backup:backupAccountId": OTHER }),
          "s",
        ),
      ).not.toThrow();
    });
  });
});
