/**
 * AWS Backup acting on our resources:
 * - a copy job: AWS Backup assumes the copy role (aws:SourceAccount), copies into the destination
 *   vault (backup:CopyIntoBackupVault, admitted by the vault's access policy across accounts) and
 *   uses the destination vault's key. Resource types AWS Backup does not fully manage (RDS,
 *   Aurora) keep the service's own encryption: their snapshot copy is made by RDS, so those KMS
 *   calls come through rds.<region> rather than backup.<region>.
 *   https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html
 *   https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html (independent encryption by resource type)
 *   https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service
 * - a restore test (backup stack, backupEvents.restoreTesting): AWS Backup assumes the restore
 *   testing selection's role with aws:SourceAccount of the backup account.
 *   https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing.html
 * - a report plan (Backup Audit Manager): the service-linked role AWSServiceRoleForBackupReports
 *   (`role/aws-service-role/reports.backup.amazonaws.com/`) writes the reports under the plan's
 *   prefix with the bucket-owner-full-control ACL and needs kms:GenerateDataKey and kms:Decrypt on
 *   a customer-managed bucket key, granted by the bucket and key policies.
 *   https://docs.aws.amazon.com/aws-backup/latest/devguide/create-report-plan-api.html
 *   https://docs.aws.amazon.com/aws-backup/latest/devguide/create-report-plan-console.html
 */
import { Contract, ServiceRequest, T, World, all, bucketPolicyOf, identityOf, keyPolicyByArn, maybe, principal, trustOf } from "./contract";
import { ofType } from "../../tools/harness";

const CROSS_ACCOUNT = "https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html";
const RESTORE_TESTING = "https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing.html";
const REPORTS = "https://docs.aws.amazon.com/aws-backup/latest/devguide/create-report-plan-api.html";

export const backup: Contract = {
  service: "AWS Backup (copy jobs, restore tests, report plans)",
  requests(w: World): ServiceRequest[] {
    const out: ServiceRequest[] = [];
    const run = w.primary;
    const copyRole = maybe(run, T.role, "backup-events-copy-role");
    if (copyRole) {
      out.push({
        title: "AWS Backup assumes the copy role",
        principal: principal("backup", w.primaryRegion),
        action: "sts:AssumeRole",
        resource: copyRole.state.arn,
        resourceAccount: w.primaryAccount,
        sends: { "aws:SourceAccount": w.primaryAccount },
        doesNotSend: [],
        resourcePolicy: trustOf(copyRole),
        source: CROSS_ACCOUNT,
      });
      const destVault: string = (w.primary.outputs.destinationVaultArn as string) ?? "";
      const vaultPolicyRec = maybe(w.backup, T.vaultPolicy, "backup-events-vault-policy");
      const identity = identityOf(run, copyRole);
      const ctx = { "aws:PrincipalArn": copyRole.state.arn, "aws:PrincipalAccount": w.primaryAccount, "aws:SecureTransport": "true" };
      const destVaultArn =
        (ofType(w.backup, "aws:backup/vault:Vault").find((v) => v.name.endsWith("backup-events-vault"))?.state.arn as string | undefined) ?? destVault;
      if (destVaultArn && vaultPolicyRec) {
        out.push({
          title: "the copy role copies into the destination vault",
          principal: copyRole.state.arn,
          action: "backup:CopyIntoBackupVault",
          resource: destVaultArn,
          resourceAccount: w.backupAccount,
          sends: ctx,
          doesNotSend: [],
          identityPolicies: identity,
          resourcePolicy: JSON.parse(vaultPolicyRec.inputs.policy),
          source: CROSS_ACCOUNT,
        });
      }
      const destKey = ofType(w.backup, T.key).find((k) => k.name.endsWith("backup-events-vault-key"));
      if (destKey) {
        const keyPolicy = keyPolicyByArn(w.backup, destKey.state.arn);
        for (const via of ["backup", "rds"]) {
          for (const action of ["kms:GenerateDataKey", "kms:Decrypt", "kms:CreateGrant"]) {
            out.push({
              title: `a copy into the destination vault uses its key through ${via} (${action})`,
              principal: copyRole.state.arn,
              action,
              resource: destKey.state.arn,
              resourceAccount: w.backupAccount,
              sends: {
                ...ctx,
                "kms:ViaService": `${via}.${w.backupRegion}.amazonaws.com.cn`,
                "kms:CallerAccount": w.primaryAccount,
                ...(action === "kms:CreateGrant" ? { "kms:GrantIsForAWSResource": "true" } : {}),
              },
              doesNotSend: [],
              identityPolicies: identity,
              resourcePolicy: keyPolicy,
              source: via === "rds" ? "https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html" : CROSS_ACCOUNT,
              alsoDenied: [
                { why: "called directly, not through an AWS service", context: { "kms:ViaService": undefined, "kms:GrantIsForAWSResource": undefined } },
              ],
            });
          }
        }
      }
    }
    // Restore testing (backup stack): AWS Backup assumes the selection's role to start each
    // restore job, in the backup account, presenting aws:SourceAccount.
    // https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing.html
    // https://docs.aws.amazon.com/aws-backup/latest/devguide/cross-service-confused-deputy-prevention.html
    const restoreRole = maybe(w.backup, T.role, "restore-testing-role");
    if (restoreRole) {
      out.push({
        title: "AWS Backup assumes the restore testing role",
        principal: principal("backup", w.backupRegion),
        action: "sts:AssumeRole",
        resource: restoreRole.state.arn,
        resourceAccount: w.backupAccount,
        sends: { "aws:SourceAccount": w.backupAccount },
        doesNotSend: [],
        resourcePolicy: trustOf(restoreRole),
        source: RESTORE_TESTING,
      });
    }
    for (const plan of all(run, T.reportPlan)) {
      const channel = plan.inputs.reportDeliveryChannel;
      const bucket: string = channel.s3BucketName;
      const slr = `arn:aws-cn:iam::${w.primaryAccount}:role/aws-service-role/reports.${principal("backup", w.primaryRegion)}/AWSServiceRoleForBackupReports`;
      const key = `${channel.s3KeyPrefix}/Backup/${w.primaryAccount}/${w.primaryRegion}/2026/12/01/${plan.inputs.name}/${plan.inputs.reportSetting.reportTemplate}_${plan.inputs.name}_20261201T000000.csv`;
      const ctx = { "aws:PrincipalArn": slr, "aws:PrincipalAccount": w.primaryAccount, "aws:SecureTransport": "true" };
      out.push({
        title: `report plan ${plan.name} delivers ${key}`,
        principal: slr,
        action: "s3:PutObject",
        resource: `arn:aws-cn:s3:::${bucket}/${key}`,
        resourceAccount: w.primaryAccount,
        sends: { ...ctx, "s3:x-amz-acl": "bucket-owner-full-control" },
        doesNotSend: [],
        resourcePolicy: bucketPolicyOf(run, bucket),
        source: REPORTS,
      });
      const archiveKey = ofType(run, T.key).find((k) => k.name.endsWith("log-archive-archive-key"));
      if (archiveKey) {
        for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
          out.push({
            title: `report plan ${plan.name}: S3 uses the bucket key for the service-linked role (${action})`,
            principal: slr,
            action,
            resource: archiveKey.state.arn,
            resourceAccount: w.primaryAccount,
            sends: {
              ...ctx,
              "kms:ViaService": `s3.${w.primaryRegion}.amazonaws.com.cn`,
              "kms:CallerAccount": w.primaryAccount,
              "kms:EncryptionContext:aws:s3:arn": `arn:aws-cn:s3:::${bucket}`,
            },
            doesNotSend: [],
            resourcePolicy: keyPolicyByArn(run, archiveKey.state.arn),
            source: REPORTS,
          });
        }
      }
    }
    return out;
  },
};
