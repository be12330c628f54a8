/**
 * Backup Audit Manager report plans deliver into the log archive's `backup-reports/` prefix. The
 * reports are written by the service-linked role AWSServiceRoleForBackupReports
 * (`role/aws-service-role/reports.backup.amazonaws.com/AWSServiceRoleForBackupReports`), which
 * the archive's bucket policy and key policy must admit: s3:PutObject with the
 * bucket-owner-full-control ACL, and kms:GenerateDataKey + kms:Decrypt on a customer-managed key.
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/create-report-plan-api.html
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/create-report-plan-console.html
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/using-service-linked-roles-AWSServiceRoleForBackupReports.html
 */
import * as pulumi from "@pulumi/pulumi";
import { PolicyStatement } from "./iam";
import { arn, LookupOptions, servicePrincipal, viaService } from "./partition";

/** The archive prefix (no trailing slash, as ReportPlan's s3KeyPrefix takes it). */
export const BACKUP_REPORTS_PREFIX = "backup-reports";

/** The ARN of this account's AWSServiceRoleForBackupReports. */
export function backupReportsRoleArn(opts: LookupOptions): pulumi.Output<string> {
  const path = servicePrincipal("reports.backup", opts);
  return arn({ service: "iam", region: "", resource: pulumi.interpolate`role/aws-service-role/${path}/AWSServiceRoleForBackupReports` }, opts);
}

/** The archive bucket policy's statement for report delivery. */
export function backupReportsBucketStatement(bucketArn: pulumi.Input<string>, opts: LookupOptions): PolicyStatement {
  return {
    Sid: "BackupAuditManagerDeliversReports",
    Effect: "Allow",
    Principal: { AWS: backupReportsRoleArn(opts) },
    Action: ["s3:PutObject"],
    Resource: [pulumi.interpolate`${bucketArn}/${BACKUP_REPORTS_PREFIX}/*`],
    Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control" } },
  };
}

/** The archive key policy's statement for report delivery (through S3 in the archive's region). */
export function backupReportsKeyStatement(region: pulumi.Input<string>, opts: LookupOptions): PolicyStatement {
  return {
    Sid: "BackupAuditManagerEncryptsReports",
    Effect: "Allow",
    Principal: { AWS: backupReportsRoleArn(opts) },
    Action: ["kms:GenerateDataKey", "kms:Decrypt"],
    Resource: "*",
    Condition: { StringEquals: { "kms:ViaService": viaService("s3", region, opts) } },
  };
}
