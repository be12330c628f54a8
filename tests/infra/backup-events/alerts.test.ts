/** BackupEvents' alerts in the primary region: failure notifications, the topic and its subscribers, alarms, security alerts. */
import { ACCOUNT_ID, one, ofType, policyOf, runStack } from "../../helpers/pulumi";
import type { StackRun } from "../../../tools/harness";
import { SOURCE_VAULT_ARN, pattern, stmt, targetOf } from "./helpers";
import { backupEventsRecords, runBothStacks } from "./fixture";

describe("BackupEvents, primary role (Beijing): alerts", () => {
  let run: StackRun;
  let backupRun: StackRun;

  beforeAll(async () => {
    ({ run, backupRun } = await runBothStacks());
  });

  const { rule } = backupEventsRecords(() => run);

  test("monitoring rules: failed/aborted/expired backups, failed copies, restores by status, to the KMS-encrypted topic", () => {
    const topic = one(run, "aws:sns/topic:Topic", "backup-events-alerts");
    expect(topic.inputs.kmsMasterKeyId).toBe(one(run, "aws:kms/key:Key", "backup-events-messaging-key").state.arn);
    expect(pattern(rule("backup-failures"))).toEqual({
      source: ["aws.backup"],
      "detail-type": ["Backup Job State Change"],
      detail: { state: ["FAILED", "ABORTED", "EXPIRED"], backupVaultArn: [SOURCE_VAULT_ARN] },
    });
    expect(pattern(rule("copy-failures"))).toEqual({
      source: ["aws.backup"],
      "detail-type": ["Copy Job State Change"],
      detail: { state: ["FAILED"], sourceBackupVaultArn: [SOURCE_VAULT_ARN] },
    });
    expect(pattern(rule("restore-jobs"))).toEqual({
      source: ["aws.backup"],
      "detail-type": ["Restore Job State Change"],
      detail: { status: ["COMPLETED", "ABORTED", "FAILED"] },
    });
    for (const s of ["backup-failures", "copy-failures", "restore-jobs", "destructive-calls", "lifecycle-changes", "vault-key-deletion"]) {
      expect(targetOf(run, rule(s)).inputs.arn).toBe(topic.state.arn);
    }
    const tp = policyOf(one(run, "aws:sns/topicPolicy:TopicPolicy", "backup-events-alerts-policy"));
    expect([...stmt(tp, "EventBridgeRulesPublish").Condition.ArnEquals["aws:SourceArn"]].sort()).toEqual(
      ["backup-failures", "copy-failures", "restore-jobs", "destructive-calls", "lifecycle-changes", "vault-key-deletion"].map((s) => rule(s).state.arn).sort(),
    );
    expect(stmt(tp, "CloudWatchAlarmsPublish").Condition).toEqual({
      ArnLike: { "aws:SourceArn": `arn:aws-cn:cloudwatch:cn-north-1:${ACCOUNT_ID}:alarm:*` },
      StringEquals: { "aws:SourceAccount": ACCOUNT_ID },
    });
    expect(stmt(tp, "DenyInsecureTransport").Condition).toEqual({ Bool: { "aws:SecureTransport": "false" } });
  });

  test("email subscribers come from config", async () => {
    expect(ofType(run, "aws:sns/topicSubscription:TopicSubscription")).toHaveLength(0);
    const r = await runStack("cn-north-1", {
      config: { backupEvents: { notificationEmails: ["ops@example.cn", "dr@example.cn"] } },
      stackOutputs: { "organization/cn-log-backup/cn-northwest-1": backupRun.outputs },
    });
    const subs = ofType(r, "aws:sns/topicSubscription:TopicSubscription");
    expect(subs.map((s) => [s.inputs.protocol, s.inputs.endpoint])).toEqual([
      ["email", "ops@example.cn"],
      ["email", "dr@example.cn"],
    ]);
    expect(subs[0].inputs.topic).toBe(one(r, "aws:sns/topic:Topic", "backup-events-alerts").state.arn);
  });

  test("alarms: failed backups and copies, errors queued, and no completed backup in 24 h with missing data breaching", () => {
    const topicArn = one(run, "aws:sns/topic:Topic", "backup-events-alerts").state.arn;
    const none = one(run, "aws:cloudwatch/metricAlarm:MetricAlarm", "backup-events-no-completed-backup");
    expect(none.inputs).toMatchObject({
      namespace: "AWS/Backup",
      metricName: "NumberOfBackupJobsCompleted",
      dimensions: { BackupVaultName: "cn-log-backup-source" },
      statistic: "Sum",
      period: 3600,
      evaluationPeriods: 24,
      datapointsToAlarm: 24,
      threshold: 1,
      comparisonOperator: "LessThanThreshold",
      treatMissingData: "breaching",
      alarmActions: [topicArn],
      okActions: [topicArn],
    });
    expect(one(run, "aws:cloudwatch/metricAlarm:MetricAlarm", "backup-events-backup-jobs-failed").inputs).toMatchObject({
      namespace: "AWS/Backup",
      metricName: "NumberOfBackupJobsFailed",
      dimensions: { BackupVaultName: "cn-log-backup-source" },
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "notBreaching",
      alarmActions: [topicArn],
    });
    // Which vault AWS counts a failed copy under is undocumented: the alarm sums both.
    const copyAlarm = one(run, "aws:cloudwatch/metricAlarm:MetricAlarm", "backup-events-copy-jobs-failed").inputs;
    expect(
      copyAlarm.metricQueries
        .filter((q: any) => q.metric)
        .map((q: any) => [q.metric.namespace, q.metric.metricName, q.metric.dimensions.BackupVaultName, q.metric.stat]),
    ).toEqual([
      ["AWS/Backup", "NumberOfCopyJobsFailed", "cn-log-backup-source", "Sum"],
      ["AWS/Backup", "NumberOfCopyJobsFailed", "cn-log-backup-dr", "Sum"],
    ]);
    expect(copyAlarm.metricQueries.find((q: any) => q.returnData).expression).toBe("FILL(bySourceVault, 0) + FILL(byDestinationVault, 0)");
    expect(copyAlarm).toMatchObject({ threshold: 1, comparisonOperator: "GreaterThanOrEqualToThreshold", alarmActions: [topicArn], okActions: [topicArn] });
    expect(one(run, "aws:cloudwatch/metricAlarm:MetricAlarm", "backup-events-errors-queued").inputs).toMatchObject({
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: one(run, "aws:sqs/queue:Queue", "backup-events-errors").state.name },
    });
  });

  test("security alerts: lifecycle changes by anyone but the retention updater, and deletion of the source vault key", () => {
    const updaterRole = one(run, "aws:iam/role:Role", "backup-events-retention-updater-role");
    expect(pattern(rule("lifecycle-changes"))).toEqual({
      source: ["aws.backup"],
      "detail-type": ["AWS API Call via CloudTrail"],
      detail: {
        eventSource: ["backup.amazonaws.com"],
        eventName: ["UpdateRecoveryPointLifecycle"],
        userIdentity: { arn: [{ "anything-but": { prefix: `arn:aws-cn:sts::${ACCOUNT_ID}:assumed-role/${updaterRole.state.name}/` } }] },
      },
    });
    expect(pattern(rule("destructive-calls")).detail.eventName).toEqual([
      "DeleteRecoveryPoint",
      "DeleteBackupVault",
      "PutBackupVaultAccessPolicy",
      "DeleteBackupVaultAccessPolicy",
      "PutBackupVaultLockConfiguration",
      "DeleteBackupVaultLockConfiguration",
      "DeleteBackupPlan",
      "StartRestoreJob",
    ]);
    expect(pattern(rule("vault-key-deletion")).detail.resources).toEqual({ ARN: [one(run, "aws:kms/key:Key", "backup-events-vault-key").state.arn] });
  });

  test("the audit framework and snapshot export are off by default", () => {
    expect(ofType(run, "aws:backup/framework:Framework")).toHaveLength(0);
    expect(ofType(run, "aws:backup/reportPlan:ReportPlan")).toHaveLength(0);
    expect(
      run.lambdas
        .map((l) => l.name)
        .filter((n) => n.startsWith("backup-events-"))
        .sort(),
    ).toEqual(["backup-events-copy-starter", "backup-events-retention-updater"]);
  });
});
