/** BackupEvents' flags, under the mocks: the Backup Audit Manager framework and report plan; cold storage and the alarm window follow the args. */
import { ACCOUNT_ID, outputValue, settle, useMocks } from "../../helpers/pulumi";
import { DEST_VAULT_ARN } from "./helpers";
import { BackupEventsPrimaryRegion } from "../../../infra/backup-events";

describe("BackupEvents flags: audit framework (component under mocks)", () => {
  const ARCHIVE_KEY = `arn:aws-cn:kms:cn-north-1:${ACCOUNT_ID}:key/99999999-8888-7777-6666-555555555555`;
  let mocks: Awaited<ReturnType<typeof useMocks>>;
  let be: BackupEventsPrimaryRegion;

  beforeAll(async () => {
    mocks = await useMocks("cn-north-1");
    be = new BackupEventsPrimaryRegion("be", {
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
  });
  const find = (type: string, suffix: string) => {
    const found = mocks.resources.filter((r) => r.type === type && r.name.endsWith(suffix));
    expect(found).toHaveLength(1);
    return found[0];
  };

  test("cold storage and the alarm window follow the args; no restore rule without statuses", () => {
    expect(find("aws:backup/plan:Plan", "be-plan").inputs.rules[0].lifecycle).toEqual({ deleteAfter: 120, coldStorageAfter: 30 });
    expect(find("aws:cloudwatch/metricAlarm:MetricAlarm", "be-no-completed-backup").inputs).toMatchObject({ evaluationPeriods: 12, datapointsToAlarm: 12 });
    expect(mocks.resources.filter((r) => r.name === "be-restore-jobs")).toHaveLength(0);
  });

  test("Backup Audit Manager: encryption, frequency/retention, cross-region to Ningxia and vault lock controls, reported into the archive", () => {
    const fw = find("aws:backup/framework:Framework", "be-framework");
    expect(fw.inputs.controls.map((c: any) => c.name)).toEqual([
      "BACKUP_RECOVERY_POINT_ENCRYPTED",
      "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK",
      "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK",
      "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION",
      "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK",
    ]);
    expect(fw.inputs.controls[3].inputParameters).toEqual([{ name: "crossRegionList", value: "cn-northwest-1" }]);
    const rp = find("aws:backup/reportPlan:ReportPlan", "be-report-plan");
    expect(rp.inputs.reportDeliveryChannel).toEqual({ s3BucketName: "cn-log-backup-archive", s3KeyPrefix: "backup-reports", formats: ["CSV", "JSON"] });
    expect(rp.inputs.reportSetting.reportTemplate).toBe("CONTROL_COMPLIANCE_REPORT");
    expect(rp.inputs.reportSetting.frameworkArns).toHaveLength(1);
  });
});
