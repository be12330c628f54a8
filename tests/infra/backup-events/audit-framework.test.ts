/** BackupEvents' flags, under the mocks: the Backup Audit Manager framework and report plan; cold storage and the alarm window follow the args. */
import type { AwsCnMocks } from "../../helpers/pulumi";
import type { ResourceRecord } from "../../../tools/types";
import { flaggedComponent } from "./fixture";

describe("BackupEvents flags: audit framework (component under mocks)", () => {
  let mocks: AwsCnMocks;
  let find: (type: string, suffix: string) => ResourceRecord;

  beforeAll(async () => {
    ({ mocks, find } = await flaggedComponent());
  });

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
