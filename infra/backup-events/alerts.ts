/**
 * Alerts to the topic: CloudTrail-based security alerts (both regions), failure notifications and
 * CloudWatch alarms (primary). The CloudTrail-based alerts need a trail in the region (LogArchive
 * builds it).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { regionName } from "../regions";
import { arn, servicePrincipal } from "../partition";
import { Messaging, topicRule } from "./messaging";
import { vaultNameOfArn } from "./statements";
import { DESTRUCTIVE_BACKUP_CALLS, DESTRUCTIVE_KMS_CALLS, Scope, VaultRef } from "./types";

/**
 * Security alerts from CloudTrail: destructive Backup calls, recovery point lifecycle changes (by
 * anyone but `lifecycleUpdaterRoleName`'s sessions, when given), and deletion or disabling of the
 * vault key (not for the AWS-managed key: nobody can delete or disable it).
 */
export function securityAlerts(scope: Scope, m: Messaging, vault: VaultRef, lifecycleUpdaterRoleName?: pulumi.Output<string>): void {
  const o = { parent: scope.parent };
  // CloudTrail's eventSource for a service is its principal name (backup.amazonaws.com,
  // kms.amazonaws.com, also in China), so it comes from the same provider table.
  const backupSource = servicePrincipal("backup", o);
  topicRule(
    scope,
    m,
    "destructive-calls",
    { source: ["aws.backup"], "detail-type": ["AWS API Call via CloudTrail"], detail: { eventSource: [backupSource], eventName: DESTRUCTIVE_BACKUP_CALLS } },
    "cn-log-backup: destructive AWS Backup API calls (CloudTrail)",
  );
  const lifecycleCaller = lifecycleUpdaterRoleName
    ? {
        userIdentity: {
          arn: [
            { "anything-but": { prefix: arn({ service: "sts", region: "", resource: pulumi.interpolate`assumed-role/${lifecycleUpdaterRoleName}/` }, o) } },
          ],
        },
      }
    : {};
  topicRule(
    scope,
    m,
    "lifecycle-changes",
    {
      source: ["aws.backup"],
      "detail-type": ["AWS API Call via CloudTrail"],
      detail: { eventSource: [backupSource], eventName: ["UpdateRecoveryPointLifecycle"], ...lifecycleCaller },
    },
    "cn-log-backup: recovery point lifecycle changed by someone other than the retention updater",
  );
  if (vault.awsManagedKey) return;
  topicRule(
    scope,
    m,
    "vault-key-deletion",
    {
      source: ["aws.kms"],
      "detail-type": ["AWS API Call via CloudTrail"],
      detail: { eventSource: [servicePrincipal("kms", o)], eventName: DESTRUCTIVE_KMS_CALLS, resources: { ARN: pulumi.all([vault.keyArn]) } },
    },
    "cn-log-backup: the backup vault key is being deleted or disabled",
  );
}

/** Failed, aborted or expired backups, failed copies and restores (by status) to the topic. */
export function failureNotifications(scope: Scope, m: Messaging, vault: VaultRef, a: { backupRegion: string; restoreStatuses: string[] }): void {
  topicRule(
    scope,
    m,
    "backup-failures",
    { source: ["aws.backup"], "detail-type": ["Backup Job State Change"], detail: { state: ["FAILED", "ABORTED", "EXPIRED"], backupVaultArn: [vault.arn] } },
    "cn-log-backup: a backup job failed, was aborted or expired",
  );
  topicRule(
    scope,
    m,
    "copy-failures",
    { source: ["aws.backup"], "detail-type": ["Copy Job State Change"], detail: { state: ["FAILED"], sourceBackupVaultArn: [vault.arn] } },
    `cn-log-backup: a copy job to ${regionName(a.backupRegion)} failed`,
  );
  if (a.restoreStatuses.length > 0) {
    topicRule(
      scope,
      m,
      "restore-jobs",
      { source: ["aws.backup"], "detail-type": ["Restore Job State Change"], detail: { status: a.restoreStatuses } },
      "cn-log-backup: restore job status",
    );
  }
}

/** Alarms: failed backup and copy jobs, no completed backup in `noBackupAlarmHours`, errors queued. */
export function alarms(
  scope: Scope,
  m: Messaging,
  vault: VaultRef,
  a: { destinationVaultArn: pulumi.Input<string>; backupRegion: string; noBackupAlarmHours: number },
): void {
  const { name } = scope;
  const o = { parent: scope.parent };
  const actions = [m.topic.arn];
  const common = { alarmActions: actions, okActions: actions, tags: scope.tags };
  new aws.cloudwatch.MetricAlarm(
    `${name}-backup-jobs-failed`,
    {
      ...common,
      alarmDescription: "cn-log-backup: backup jobs failed in the source vault",
      namespace: "AWS/Backup",
      metricName: "NumberOfBackupJobsFailed",
      dimensions: { BackupVaultName: vault.name },
      statistic: "Sum",
      period: 3600,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "notBreaching",
    },
    o,
  );
  // Unverified: whether AWS Backup publishes NumberOfCopyJobsFailed under the source or the
  // destination vault's BackupVaultName (AWS's metrics page says only "vault name":
  // https://docs.aws.amazon.com/aws-backup/latest/devguide/cloudwatch.html). The alarm sums both,
  // so it fires whichever AWS uses; the "Copy Job State Change" FAILED rule is the documented
  // path that does not depend on it.
  const destinationVaultName = pulumi.output(a.destinationVaultArn).apply((arn) => vaultNameOfArn(arn) ?? "");
  const copyJobsFailed = (id: string, vaultName: pulumi.Input<string>) => ({
    id,
    returnData: false,
    metric: { namespace: "AWS/Backup", metricName: "NumberOfCopyJobsFailed", dimensions: { BackupVaultName: vaultName }, period: 3600, stat: "Sum" },
  });
  new aws.cloudwatch.MetricAlarm(
    `${name}-copy-jobs-failed`,
    {
      ...common,
      alarmDescription: `cn-log-backup: copy jobs to ${regionName(a.backupRegion)} failed (counted under the source or the destination vault)`,
      metricQueries: [
        copyJobsFailed("bySourceVault", vault.name),
        copyJobsFailed("byDestinationVault", destinationVaultName),
        { id: "failed", expression: "FILL(bySourceVault, 0) + FILL(byDestinationVault, 0)", label: "NumberOfCopyJobsFailed", returnData: true },
      ],
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "notBreaching",
    },
    o,
  );
  const hours = a.noBackupAlarmHours;
  new aws.cloudwatch.MetricAlarm(
    `${name}-no-completed-backup`,
    {
      ...common,
      alarmDescription: `cn-log-backup: no backup job completed in the source vault for ${hours} h`,
      namespace: "AWS/Backup",
      metricName: "NumberOfBackupJobsCompleted",
      dimensions: { BackupVaultName: vault.name },
      statistic: "Sum",
      period: 3600,
      evaluationPeriods: hours,
      datapointsToAlarm: hours,
      threshold: 1,
      comparisonOperator: "LessThanThreshold",
      // No data at all (nothing ran) is exactly what this alarm is for.
      treatMissingData: "breaching",
    },
    o,
  );
  new aws.cloudwatch.MetricAlarm(
    `${name}-errors-queued`,
    {
      ...common,
      alarmDescription: "cn-log-backup: events or invocations failed into the BackupEvents error queue",
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: m.queue.name },
      statistic: "Maximum",
      period: 300,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "notBreaching",
    },
    o,
  );
}
