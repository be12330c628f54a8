/**
 * Backup Audit Manager (flag `auditFramework`, off by default; China availability unconfirmed):
 * a framework of controls (encrypted, frequent, retained, copied to the backup region, locked)
 * and a daily compliance report plan into the archive's backup-reports/ prefix.
 */
import * as aws from "@pulumi/aws";
import { BACKUP_REPORTS_PREFIX } from "../backup-reports";
import { regionName } from "../regions";
import type { PrimaryRegionArgs } from "./args";
import { auditRetentionDays } from "./statements";
import { Scope } from "./types";

export function auditFramework(scope: Scope, args: PrimaryRegionArgs): void {
  const { name, tags } = scope;
  const o = { parent: scope.parent };
  const retention = String(auditRetentionDays(args.deleteAfterDays, args.retainAfterCopyDays));
  const framework = new aws.backup.Framework(
    `${name}-framework`,
    {
      name: "cn_log_backup_controls",
      description: `cn-log-backup: encrypted, frequent, retained, copied to ${regionName(args.backupRegion)}, locked`,
      controls: [
        { name: "BACKUP_RECOVERY_POINT_ENCRYPTED" },
        {
          name: "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK",
          inputParameters: [
            { name: "requiredFrequencyUnit", value: "hours" },
            { name: "requiredFrequencyValue", value: "24" },
            { name: "requiredRetentionDays", value: retention },
          ],
        },
        { name: "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK", inputParameters: [{ name: "requiredRetentionDays", value: retention }] },
        { name: "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION", inputParameters: [{ name: "crossRegionList", value: args.backupRegion }] },
        { name: "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK" },
      ],
      tags,
    },
    o,
  );
  new aws.backup.ReportPlan(
    `${name}-report-plan`,
    {
      name: "cn_log_backup_compliance",
      description: "cn-log-backup: daily control compliance report into the archive bucket",
      reportDeliveryChannel: { s3BucketName: args.archive.bucketName, s3KeyPrefix: BACKUP_REPORTS_PREFIX, formats: ["CSV", "JSON"] },
      reportSetting: { reportTemplate: "CONTROL_COMPLIANCE_REPORT", frameworkArns: [framework.arn] },
      tags,
    },
    o,
  );
}
