/**
 * BackupEvents under the aws-cn mocks: both stacks run through the offline harness with their own
 * Pulumi.<stack>.yaml, then the rule patterns, targets, DLQs, retries, alarms, key, vault, queue and
 * topic policies are read back, and both Lambdas are executed from their serialized artifacts
 * against SDK mocks with AWS-sample-shaped events.
 */
import * as fs from "fs";
import * as path from "path";
import { BackupClient, DescribeRecoveryPointCommand, ListCopyJobsCommand, StartCopyJobCommand, UpdateRecoveryPointLifecycleCommand } from "@aws-sdk/client-backup";
import { RDSClient, StartExportTaskCommand } from "@aws-sdk/client-rds";
import { mockClient } from "aws-sdk-client-mock";
import { ACCOUNT_ID, artifactOf, loadHandler, one, ofType, outputValue, policyOf, runStack, settle, useMocks } from "../helpers/pulumi";
import { requiredModules, unavailableInRuntime } from "../../tools/serialized";
import type { StackRun } from "../../tools/harness";
import type { ResourceRecord } from "../../tools/types";
import { BackupEvents, DESTRUCTIVE_BACKUP_CALLS, LAMBDA_ASYNC_RETRIES, TARGET_RETRY_POLICY } from "../../infra/backup-events";

const SOURCE_VAULT_ARN = `arn:aws-cn:backup:cn-north-1:${ACCOUNT_ID}:backup-vault:cn-log-backup-source`;
const DEST_VAULT_ARN = `arn:aws-cn:backup:cn-northwest-1:${ACCOUNT_ID}:backup-vault:cn-log-backup-dr`;
const RECOVERY_POINT_ARN = `arn:aws-cn:backup:cn-north-1:${ACCOUNT_ID}:recovery-point:f1d966fe-a3bd-410b-b292-99f442d13b56`;

function fixture(name: string): any {
  return JSON.parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", "backup-events", `${name}.json`), "utf8"));
}

const pattern = (r: ResourceRecord) => JSON.parse(r.inputs.eventPattern);
const targetOf = (run: StackRun, rule: ResourceRecord) => {
  const t = ofType(run, "aws:cloudwatch/eventTarget:EventTarget").filter((x) => x.inputs.rule === rule.state.name);
  expect(t).toHaveLength(1);
  return t[0];
};
const stmt = (policy: { Statement: any[] }, sid: string) => {
  const s = policy.Statement.filter((x) => x.Sid === sid);
  expect(s).toHaveLength(1);
  return s[0];
};

describe("BackupEvents, backup role (Ningxia)", () => {
  let run: StackRun;
  beforeAll(async () => {
    run = await runStack("cn-northwest-1");
  });

  test("exports the destination vault ARN and key ARN for the primary", () => {
    const vault = one(run, "aws:backup/vault:Vault", "backup-events-vault");
    const key = one(run, "aws:kms/key:Key", "backup-events-vault-key");
    expect(run.outputs.destinationVaultArn).toBe(DEST_VAULT_ARN);
    expect(run.outputs.destinationVaultKeyArn).toBe(key.state.arn);
    expect(vault.inputs.name).toBe("cn-log-backup-dr");
    expect(vault.inputs.kmsKeyArn).toBe(key.state.arn);
    expect(vault.region).toBe("cn-northwest-1");
  });

  test("the vault key lets AWS Backup in Ningxia use it for the admitted accounts only", () => {
    const key = one(run, "aws:kms/key:Key", "backup-events-vault-key");
    expect(key.inputs.enableKeyRotation).toBe(true);
    const p = policyOf(key);
    expect(stmt(p, "AwsBackupUsesKeyForAdmittedAccounts")).toEqual({
      Sid: "AwsBackupUsesKeyForAdmittedAccounts",
      Effect: "Allow",
      Principal: { AWS: [`arn:aws-cn:iam::${ACCOUNT_ID}:root`] },
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
      Resource: "*",
      Condition: { StringEquals: { "kms:ViaService": ["backup.cn-northwest-1.amazonaws.com.cn", "rds.cn-northwest-1.amazonaws.com.cn"], "kms:CallerAccount": [ACCOUNT_ID] } },
    });
    expect(stmt(p, "AwsBackupCreatesGrantsForAwsResources").Condition).toEqual({
      StringEquals: { "kms:ViaService": ["backup.cn-northwest-1.amazonaws.com.cn", "rds.cn-northwest-1.amazonaws.com.cn"], "kms:CallerAccount": [ACCOUNT_ID] },
      Bool: { "kms:GrantIsForAWSResource": true },
    });
  });

  test("the vault access policy denies deleting or shortening recovery points to everyone (no admin roles configured)", () => {
    const policy = policyOf(one(run, "aws:backup/vaultPolicy:VaultPolicy", "backup-events-vault-policy"));
    expect(policy.Statement).toEqual([
      {
        Sid: "DenyDeletingOrShorteningRecoveryPoints",
        Effect: "Deny",
        Principal: "*",
        Action: ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"],
        Resource: "*",
      },
    ]);
  });

  test("Vault Lock is in governance mode by default, with the configured retention range", () => {
    const lock = one(run, "aws:backup/vaultLockConfiguration:VaultLockConfiguration", "backup-events-vault-lock");
    expect(lock.inputs).toEqual({ backupVaultName: "cn-log-backup-dr", minRetentionDays: 7, maxRetentionDays: 3650 });
  });

  test("alerts on destructive Backup calls and on deleting or disabling the vault key, via CloudTrail", () => {
    const destructive = one(run, "aws:cloudwatch/eventRule:EventRule", "backup-events-destructive-calls");
    expect(pattern(destructive)).toEqual({
      source: ["aws.backup"],
      "detail-type": ["AWS API Call via CloudTrail"],
      detail: { eventSource: ["backup.amazonaws.com"], eventName: DESTRUCTIVE_BACKUP_CALLS },
    });
    const keyRule = one(run, "aws:cloudwatch/eventRule:EventRule", "backup-events-vault-key-deletion");
    expect(pattern(keyRule)).toEqual({
      source: ["aws.kms"],
      "detail-type": ["AWS API Call via CloudTrail"],
      detail: {
        eventSource: ["kms.amazonaws.com"],
        eventName: ["ScheduleKeyDeletion", "DisableKey"],
        resources: { ARN: [one(run, "aws:kms/key:Key", "backup-events-vault-key").state.arn] },
      },
    });
    // In Ningxia nobody is exempt: every lifecycle change is alerted.
    expect(pattern(one(run, "aws:cloudwatch/eventRule:EventRule", "backup-events-lifecycle-changes")).detail).toEqual({
      eventSource: ["backup.amazonaws.com"],
      eventName: ["UpdateRecoveryPointLifecycle"],
    });
    const topic = one(run, "aws:sns/topic:Topic", "backup-events-alerts");
    const queue = one(run, "aws:sqs/queue:Queue", "backup-events-errors");
    for (const rule of ofType(run, "aws:cloudwatch/eventRule:EventRule")) {
      const t = targetOf(run, rule);
      expect(t.inputs.arn).toBe(topic.state.arn);
      expect(t.inputs.deadLetterConfig).toEqual({ arn: queue.state.arn });
      expect(t.inputs.retryPolicy).toEqual(TARGET_RETRY_POLICY);
    }
  });

  test("a separate backup account: the stack runs in backupAccountId; the key admits it and the primary account, the vault admits the primary account; admin roles are exempt", async () => {
    const admin = `arn:aws-cn:iam::${ACCOUNT_ID}:role/backup-admin`;
    const r = await runStack("cn-northwest-1", {
      config: {
        backupAccountId: "210987654321",
        backupEvents: { primaryAccountId: "111122223333", adminRoleArns: [admin], vaultLockMode: "compliance", vaultLockChangeableForDays: 5 },
      },
    });
    const key = policyOf(one(r, "aws:kms/key:Key", "backup-events-vault-key"));
    const use = stmt(key, "AwsBackupUsesKeyForAdmittedAccounts");
    // The stack's own account (the harness runs it in backupAccountId, as AWS would) and the primary's.
    expect(use.Principal.AWS).toEqual(["arn:aws-cn:iam::210987654321:root", "arn:aws-cn:iam::111122223333:root"]);
    expect(use.Condition.StringEquals["kms:CallerAccount"]).toEqual(["210987654321", "111122223333"]);
    expect(JSON.stringify(key)).not.toContain(ACCOUNT_ID);
    const vp = policyOf(one(r, "aws:backup/vaultPolicy:VaultPolicy", "backup-events-vault-policy"));
    expect(stmt(vp, "DenyDeletingOrShorteningRecoveryPoints").Condition).toEqual({ ArnNotLike: { "aws:PrincipalArn": [admin] } });
    expect(stmt(vp, "SourceAccountsCopyIn")).toEqual({
      Sid: "SourceAccountsCopyIn",
      Effect: "Allow",
      // Copies within the vault's own account need no consent.
      Principal: { AWS: ["arn:aws-cn:iam::111122223333:root"] },
      Action: ["backup:CopyIntoBackupVault"],
      Resource: "*",
    });
    const lock = one(r, "aws:backup/vaultLockConfiguration:VaultLockConfiguration", "backup-events-vault-lock");
    expect(lock.inputs).toEqual({ backupVaultName: "cn-log-backup-dr", minRetentionDays: 7, maxRetentionDays: 3650, changeableForDays: 5 });
  });

  test("disabled: no vault, no outputs for it", async () => {
    const r = await runStack("cn-northwest-1", { config: { backupEvents: { enabled: false } } });
    expect(ofType(r, "aws:backup/vault:Vault")).toHaveLength(0);
    expect(r.outputs.destinationVaultArn).toBeUndefined();
  });
});

describe("BackupEvents, primary role (Beijing)", () => {
  let run: StackRun;
  let backupRun: StackRun;
  const backupMock = mockClient(BackupClient);

  beforeAll(async () => {
    backupRun = await runStack("cn-northwest-1");
    run = await runStack("cn-north-1", { stackOutputs: { "organization/cn-log-backup/cn-northwest-1": backupRun.outputs } });
  });
  beforeEach(() => backupMock.reset());
  // The handlers log one JSON line per event; keep them, and check they are JSON.
  const logged: string[] = [];
  beforeAll(() => {
    jest.spyOn(console, "log").mockImplementation((line: unknown) => void logged.push(String(line)));
  });
  afterAll(() => {
    (console.log as jest.Mock).mockRestore?.();
    for (const line of logged) expect(() => JSON.parse(line)).not.toThrow();
  });

  const rule = (suffix: string) => one(run, "aws:cloudwatch/eventRule:EventRule", `backup-events-${suffix}`);
  const fn = (suffix: string) => one(run, "aws:lambda/function:Function", `backup-events-${suffix}`);
  const lambda = (suffix: string) => {
    const l = run.lambdas.find((x) => x.name === `backup-events-${suffix}`);
    if (!l) throw new Error(`no lambda ${suffix}`);
    return l.lambda;
  };

  test("source vault with its own key, usable by AWS Backup in Beijing for this account", () => {
    const vault = one(run, "aws:backup/vault:Vault", "backup-events-vault");
    const key = one(run, "aws:kms/key:Key", "backup-events-vault-key");
    expect(vault.inputs.name).toBe("cn-log-backup-source");
    expect(vault.inputs.kmsKeyArn).toBe(key.state.arn);
    expect(stmt(policyOf(key), "AwsBackupUsesKeyForAdmittedAccounts").Condition).toEqual({
      StringEquals: { "kms:ViaService": ["backup.cn-north-1.amazonaws.com.cn", "rds.cn-north-1.amazonaws.com.cn"], "kms:CallerAccount": [ACCOUNT_ID] },
    });
    expect(run.outputs.sourceVaultArn).toBe(SOURCE_VAULT_ARN);
  });

  test("a plan (schedule, lifecycle) selecting resources by tag, run by the service role with the aws-cn managed policies", () => {
    const plan = one(run, "aws:backup/plan:Plan", "backup-events-plan");
    expect(plan.inputs.rules).toEqual([
      {
        ruleName: "daily-to-source-vault",
        targetVaultName: "cn-log-backup-source",
        schedule: "cron(0 18 * * ? *)",
        startWindow: 60,
        completionWindow: 480,
        lifecycle: { deleteAfter: 35 },
        recoveryPointTags: expect.objectContaining({ "cn-log-backup:copy": "event-driven", owner: "platform-team" }),
      },
    ]);
    // Copies are event-driven: the plan itself copies nothing.
    expect(plan.inputs.rules[0].copyActions).toBeUndefined();
    const role = one(run, "aws:iam/role:Role", "backup-events-service-role");
    const sel = one(run, "aws:backup/selection:Selection", "backup-events-selection");
    expect(sel.inputs.iamRoleArn).toBe(role.state.arn);
    expect(sel.inputs.planId).toBe(plan.id);
    expect(sel.inputs.selectionTags).toEqual([{ type: "STRINGEQUALS", key: "cn-log-backup:backup", value: "daily" }]);
    expect(policyOf(role, "assumeRolePolicy").Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "backup.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID } },
      },
    ]);
    const attached = ofType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
      .filter((a) => a.inputs.role === role.state.name)
      .map((a) => a.inputs.policyArn)
      .sort();
    expect(attached).toEqual([
      "arn:aws-cn:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
      "arn:aws-cn:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
    ]);
  });

  test("the plan selects the AuroraLab cluster by default (same tag)", () => {
    const clusters = ofType(run, "aws:rds/cluster:Cluster");
    expect(clusters).toHaveLength(1);
    const [sel] = one(run, "aws:backup/selection:Selection", "backup-events-selection").inputs.selectionTags;
    expect(clusters[0].inputs.tags[sel.key]).toBe(sel.value);
  });

  test("copy on completion: the rule matches COMPLETED backup jobs in the source vault and invokes the copy starter", () => {
    const r = rule("copy-on-backup");
    expect(pattern(r)).toEqual({
      source: ["aws.backup"],
      "detail-type": ["Backup Job State Change"],
      detail: { state: ["COMPLETED"], backupVaultArn: [SOURCE_VAULT_ARN] },
    });
    const t = targetOf(run, r);
    expect(t.inputs.arn).toBe(fn("copy-starter").state.arn);
    expect(t.inputs.retryPolicy).toEqual({ maximumEventAgeInSeconds: 86400, maximumRetryAttempts: 185 });
    expect(t.inputs.deadLetterConfig).toEqual({ arn: one(run, "aws:sqs/queue:Queue", "backup-events-errors").state.arn });
    const perm = one(run, "aws:lambda/permission:Permission", "backup-events-copy-on-backup-invoke");
    expect(perm.inputs).toMatchObject({ principal: "events.amazonaws.com", sourceArn: r.state.arn, sourceAccount: ACCOUNT_ID, action: "lambda:InvokeFunction" });
  });

  test("retention after copy: the rule matches COMPLETED copies from the source vault to the Ningxia vault", () => {
    const r = rule("retention-after-copy");
    expect(pattern(r)).toEqual({
      source: ["aws.backup"],
      "detail-type": ["Copy Job State Change"],
      detail: { state: ["COMPLETED"], sourceBackupVaultArn: [SOURCE_VAULT_ARN], destinationBackupVaultArn: [DEST_VAULT_ARN] },
    });
    const t = targetOf(run, r);
    expect(t.inputs.arn).toBe(fn("retention-updater").state.arn);
    expect(t.inputs.retryPolicy).toEqual(TARGET_RETRY_POLICY);
    expect(t.inputs.deadLetterConfig.arn).toBe(one(run, "aws:sqs/queue:Queue", "backup-events-errors").state.arn);
  });

  test("on-demand backups can be left out of the copy", async () => {
    const r = await runStack("cn-north-1", {
      config: { backupEvents: { copyOnDemandBackups: false } },
      stackOutputs: { "organization/cn-log-backup/cn-northwest-1": backupRun.outputs },
    });
    expect(pattern(one(r, "aws:cloudwatch/eventRule:EventRule", "backup-events-copy-on-backup")).detail).toEqual({
      state: ["COMPLETED"],
      backupVaultArn: [SOURCE_VAULT_ARN],
      createdBy: { backupPlanId: [{ exists: true }] },
    });
    expect(one(r, "aws:lambda/function:Function", "backup-events-copy-starter").inputs.environment.variables.COPY_ON_DEMAND).toBe("false");
  });

  test("both Lambdas retry asynchronously at most twice, then go to the error queue", () => {
    const queue = one(run, "aws:sqs/queue:Queue", "backup-events-errors");
    for (const name of ["copy-starter", "retention-updater"]) {
      const cfg = one(run, "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", `backup-events-${name}-async`);
      expect(cfg.inputs).toMatchObject({
        functionName: fn(name).state.name,
        maximumRetryAttempts: LAMBDA_ASYNC_RETRIES.maximumRetryAttempts,
        maximumEventAgeInSeconds: 21600,
        destinationConfig: { onFailure: { destination: queue.state.arn } },
      });
    }
  });

  test("the copy starter may start copies of this account's recovery points and pass only the copy role, only to AWS Backup", () => {
    const copyRole = one(run, "aws:iam/role:Role", "backup-events-copy-role");
    const policy = policyOf(one(run, "aws:iam/rolePolicy:RolePolicy", "backup-events-copy-starter-policy"));
    expect(stmt(policy, "StartCopyJobsOfThisAccountsRecoveryPoints")).toEqual({
      Sid: "StartCopyJobsOfThisAccountsRecoveryPoints",
      Effect: "Allow",
      Action: ["backup:StartCopyJob"],
      Resource: [
        `arn:aws-cn:backup:cn-north-1:${ACCOUNT_ID}:recovery-point:*`,
        "arn:aws-cn:ec2:cn-north-1::snapshot/*",
        "arn:aws-cn:ec2:cn-north-1::image/*",
        `arn:aws-cn:rds:cn-north-1:${ACCOUNT_ID}:snapshot:awsbackup:*`,
        `arn:aws-cn:rds:cn-north-1:${ACCOUNT_ID}:cluster-snapshot:awsbackup:*`,
      ],
      Condition: { StringEquals: { "aws:ResourceAccount": ACCOUNT_ID } },
    });
    expect(stmt(policy, "PassTheCopyRoleToAwsBackup")).toEqual({
      Sid: "PassTheCopyRoleToAwsBackup",
      Effect: "Allow",
      Action: ["iam:PassRole"],
      Resource: [copyRole.state.arn],
      Condition: { StringEquals: { "iam:PassedToService": "backup.amazonaws.com" } },
    });
    expect(policy.Statement.map((s) => s.Sid)).toEqual([
      "WriteOwnLogGroup",
      "StartCopyJobsOfThisAccountsRecoveryPoints",
      "ListCopyJobs",
      "PassTheCopyRoleToAwsBackup",
      "EncryptOnFailureMessages",
      "SendFailedEventsToOnFailureQueue",
    ]);
    const env = fn("copy-starter").inputs.environment.variables;
    expect(env).toEqual({
      SOURCE_VAULT_ARN,
      DESTINATION_VAULT_ARN: DEST_VAULT_ARN,
      COPY_ROLE_ARN: copyRole.state.arn,
      COPY_DELETE_AFTER_DAYS: "365",
      COPY_COLD_STORAGE_AFTER_DAYS: "",
      COPY_ON_DEMAND: "true",
    });
  });

  test("the copy role is trusted by AWS Backup only, copies into the Ningxia vault and uses both vault keys", () => {
    const copyRole = one(run, "aws:iam/role:Role", "backup-events-copy-role");
    expect(policyOf(copyRole, "assumeRolePolicy").Statement[0].Principal).toEqual({ Service: "backup.amazonaws.com" });
    const p = policyOf(one(run, "aws:iam/rolePolicy:RolePolicy", "backup-events-copy-role-policy"));
    expect(stmt(p, "CopyIntoTheDestinationVault").Resource).toEqual([DEST_VAULT_ARN]);
    expect(stmt(p, "UseTheVaultKeysThroughAwsBackup").Resource).toEqual([
      one(run, "aws:kms/key:Key", "backup-events-vault-key").state.arn,
      backupRun.outputs.destinationVaultKeyArn,
    ]);
  });

  test("the retention updater may only read and change this account's recovery points", () => {
    const policy = policyOf(one(run, "aws:iam/rolePolicy:RolePolicy", "backup-events-retention-updater-policy"));
    const s = stmt(policy, "ReadAndShortenThisAccountsRecoveryPoints");
    expect(s.Action).toEqual(["backup:DescribeRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"]);
    expect(s.Condition).toEqual({ StringEquals: { "aws:ResourceAccount": ACCOUNT_ID } });
    expect(s.Resource).toContain(`arn:aws-cn:backup:cn-north-1:${ACCOUNT_ID}:recovery-point:*`);
    expect(policy.Statement.flatMap((x) => x.Action)).not.toContain("backup:DeleteRecoveryPoint");
    expect(fn("retention-updater").inputs.environment.variables).toEqual({
      SOURCE_VAULT_ARN,
      DESTINATION_VAULT_ARN: DEST_VAULT_ARN,
      NEW_DELETE_AFTER_DAYS: "7",
    });
  });

  test("one KMS-encrypted error queue that admits only our rules and Lambda roles, and only over TLS", () => {
    const queue = one(run, "aws:sqs/queue:Queue", "backup-events-errors");
    const key = one(run, "aws:kms/key:Key", "backup-events-messaging-key");
    expect(queue.inputs.kmsMasterKeyId).toBe(key.state.arn);
    expect(queue.inputs.messageRetentionSeconds).toBe(1209600);
    const p = policyOf(one(run, "aws:sqs/queuePolicy:QueuePolicy", "backup-events-errors-policy"));
    // BackupEvents' own rules (LogArchive adds rules of its own to the stack).
    const ruleArns = ofType(run, "aws:cloudwatch/eventRule:EventRule")
      .filter((r) => r.name.startsWith("backup-events-"))
      .map((r) => r.state.arn);
    expect(ruleArns.length).toBe(8);
    expect(stmt(p, "EventBridgeRulesSendFailedEvents")).toEqual({
      Sid: "EventBridgeRulesSendFailedEvents",
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: ["sqs:SendMessage"],
      Resource: [queue.state.arn],
      Condition: { ArnEquals: { "aws:SourceArn": expect.arrayContaining(ruleArns) } },
    });
    expect(stmt(p, "EventBridgeRulesSendFailedEvents").Condition.ArnEquals["aws:SourceArn"]).toHaveLength(8);
    const deny = stmt(p, "DenySendFromAnyoneElse");
    expect(deny.Effect).toBe("Deny");
    expect(deny.Principal).toBe("*");
    expect(deny.Condition.ArnNotEquals["aws:PrincipalArn"]).toEqual([
      one(run, "aws:iam/role:Role", "backup-events-copy-starter-role").state.arn,
      one(run, "aws:iam/role:Role", "backup-events-retention-updater-role").state.arn,
    ]);
    expect(deny.Condition.ArnNotEquals["aws:SourceArn"]).toHaveLength(8);
    expect(stmt(p, "DenyInsecureTransport")).toMatchObject({ Effect: "Deny", Action: "sqs:*", Condition: { Bool: { "aws:SecureTransport": "false" } } });
    // EventBridge sends no aws:SourceAccount/SourceArn to KMS for encrypted topics and queues: its
    // statements are narrowed by the encryption context; CloudWatch alarms keep the source keys.
    const topicName = one(run, "aws:sns/topic:Topic", "backup-events-alerts").state.name;
    expect(topicName).toMatch(/^backup-events-alerts-/);
    expect(queue.state.name).toMatch(/^backup-events-errors-/);
    const kp = policyOf(key);
    expect(stmt(kp, "EventBridgeWritesTheEncryptedTopic")).toEqual({
      Sid: "EventBridgeWritesTheEncryptedTopic",
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
      Resource: "*",
      Condition: {
        ArnLike: { "kms:EncryptionContext:aws:sns:topicArn": `arn:aws-cn:sns:cn-north-1:${ACCOUNT_ID}:backup-events-alerts-*` },
        // Absent on EventBridge's KMS calls, so IfExists: it never requires the key.
        StringEqualsIfExists: { "aws:SourceAccount": ACCOUNT_ID },
      },
    });
    expect(stmt(kp, "EventBridgeDeadLettersIntoTheEncryptedQueue").Condition).toEqual({
      ArnLike: { "kms:EncryptionContext:aws:sqs:arn": `arn:aws-cn:sqs:cn-north-1:${ACCOUNT_ID}:backup-events-errors-*` },
      StringEqualsIfExists: { "aws:SourceAccount": ACCOUNT_ID },
    });
    expect(stmt(kp, "CloudWatchAlarmsWriteTheEncryptedTopic")).toMatchObject({
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Condition: {
        StringEquals: { "aws:SourceAccount": ACCOUNT_ID },
        ArnLike: { "aws:SourceArn": `arn:aws-cn:cloudwatch:cn-north-1:${ACCOUNT_ID}:alarm:*`, "kms:EncryptionContext:aws:sns:topicArn": `arn:aws-cn:sns:cn-north-1:${ACCOUNT_ID}:backup-events-alerts-*` },
      },
    });
  });

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
    expect(stmt(tp, "EventBridgeRulesPublish").Condition.ArnEquals["aws:SourceArn"].sort()).toEqual(
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
    expect(copyAlarm.metricQueries.filter((q: any) => q.metric).map((q: any) => [q.metric.namespace, q.metric.metricName, q.metric.dimensions.BackupVaultName, q.metric.stat])).toEqual([
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
    expect(run.lambdas.map((l) => l.name).filter((n) => n.startsWith("backup-events-")).sort()).toEqual(["backup-events-copy-starter", "backup-events-retention-updater"]);
  });

  test("the artifacts are the handlers alone, requiring nothing but the AWS SDK", async () => {
    for (const name of ["copy-starter", "retention-updater"]) {
      const artifact = await artifactOf(lambda(name).code);
      expect(artifact.entries.map((e) => e.path)).toEqual(["__index.js"]);
      expect(artifact.totalBytes).toBeLessThan(64 * 1024);
      expect(unavailableInRuntime(artifact.indexJs)).toEqual([]);
      expect(requiredModules(artifact.indexJs).filter((m) => !m.startsWith("@aws-sdk/"))).toEqual(["crypto"].filter(() => name === "copy-starter"));
      expect(artifact.indexJs).not.toMatch(/@pulumi/);
    }
  });

  describe("the serialized copy starter, executed", () => {
    let handler: (e: unknown) => Promise<any>;
    beforeAll(async () => {
      handler = await loadHandler(lambda("copy-starter"), { ...fn("copy-starter").inputs.environment.variables, AWS_REGION: "cn-north-1" });
    });

    test("copies the completed recovery point to the Ningxia vault with the copy role and the derived token; a redelivery starts no second copy", async () => {
      backupMock.on(ListCopyJobsCommand).resolves({ CopyJobs: [] });
      backupMock.on(StartCopyJobCommand).resolves({ CopyJobId: "job-1" });
      const out = await handler(fixture("backup-job-completed"));
      expect(out).toMatchObject({ action: "copy-started", copyJobId: "job-1" });
      const starts = backupMock.commandCalls(StartCopyJobCommand);
      expect(starts).toHaveLength(1);
      const input = starts[0].args[0].input;
      expect(input).toEqual({
        RecoveryPointArn: RECOVERY_POINT_ARN,
        SourceBackupVaultName: "cn-log-backup-source",
        DestinationBackupVaultArn: DEST_VAULT_ARN,
        IamRoleArn: one(run, "aws:iam/role:Role", "backup-events-copy-role").state.arn,
        IdempotencyToken: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
        Lifecycle: { DeleteAfterDays: 365 },
      });

      // Redelivery: AWS Backup lists the job the first delivery started.
      backupMock.on(ListCopyJobsCommand).resolves({
        CopyJobs: [{ CopyJobId: "job-1", SourceRecoveryPointArn: RECOVERY_POINT_ARN, DestinationBackupVaultArn: DEST_VAULT_ARN, State: "CREATED" }],
      });
      expect(await handler(fixture("backup-job-completed"))).toMatchObject({ action: "already-copied", copyJobId: "job-1" });
      expect(backupMock.commandCalls(StartCopyJobCommand)).toHaveLength(1);
    });

    test("ignores other states and vaults without calling AWS", async () => {
      expect((await handler(fixture("backup-job-failed"))).action).toBe("ignored");
      const other = fixture("backup-job-completed");
      other.detail.backupVaultArn = DEST_VAULT_ARN;
      expect((await handler(other)).action).toBe("ignored");
      expect(backupMock.calls()).toHaveLength(0);
    });
  });

  describe("the serialized retention updater, executed", () => {
    let handler: (e: unknown) => Promise<any>;
    beforeAll(async () => {
      handler = await loadHandler(lambda("retention-updater"), { ...fn("retention-updater").inputs.environment.variables, AWS_REGION: "cn-north-1" });
    });

    test("shortens a long retention and never extends a short one", async () => {
      // Created today (UTC): days-old 1, newDeleteAfterDays 7 -> 8.
      const now = new Date();
      backupMock.on(DescribeRecoveryPointCommand).resolves({ CreationDate: now, Status: "COMPLETED", StorageClass: "WARM", Lifecycle: { DeleteAfterDays: 35 } });
      backupMock.on(UpdateRecoveryPointLifecycleCommand).resolves({});
      const out = await handler(fixture("copy-job-completed"));
      expect(out).toMatchObject({ action: "lifecycle-updated", deleteAfterDays: 8, previousDeleteAfterDays: 35 });
      expect(backupMock.commandCalls(DescribeRecoveryPointCommand)[0].args[0].input).toEqual({
        BackupVaultName: "cn-log-backup-source",
        RecoveryPointArn: RECOVERY_POINT_ARN,
      });
      expect(backupMock.commandCalls(UpdateRecoveryPointLifecycleCommand).map((c) => c.args[0].input)).toEqual([
        { BackupVaultName: "cn-log-backup-source", RecoveryPointArn: RECOVERY_POINT_ARN, Lifecycle: { DeleteAfterDays: 8 } },
      ]);

      backupMock.resetHistory();
      backupMock.on(DescribeRecoveryPointCommand).resolves({ CreationDate: now, Status: "COMPLETED", StorageClass: "WARM", Lifecycle: { DeleteAfterDays: 5 } });
      expect(await handler(fixture("copy-job-completed"))).toMatchObject({ action: "unchanged", reason: "not-shorter" });
      expect(backupMock.commandCalls(UpdateRecoveryPointLifecycleCommand)).toHaveLength(0);
    });

    test("ignores running copies and copies to other vaults", async () => {
      expect((await handler(fixture("copy-job-running"))).action).toBe("ignored");
      const elsewhere = fixture("copy-job-completed");
      elsewhere.detail.destinationBackupVaultArn = `arn:aws-cn:backup:cn-north-1:${ACCOUNT_ID}:backup-vault:other`;
      expect((await handler(elsewhere)).action).toBe("ignored");
      expect(backupMock.calls()).toHaveLength(0);
    });
  });

  test("with the flag on, snapshot exports go to LogArchive's archive bucket, exports/ only, with its key", async () => {
    const flagged = await runStack("cn-north-1", {
      config: { backupEvents: { snapshotExport: true }, auroraLab: { enabled: false } },
      stackOutputs: { "organization/cn-log-backup/cn-northwest-1": backupRun.outputs },
    });
    const bucket = flagged.outputs.logArchiveBucketName as string;
    const policy = policyOf(one(flagged, "aws:iam/rolePolicy:RolePolicy", "backup-events-export-role-policy"));
    expect(stmt(policy, "WriteExports").Resource).toEqual([`arn:aws-cn:s3:::${bucket}/exports/*`]);
    expect(JSON.stringify(policy)).toContain(flagged.outputs.logArchiveKeyArn as string);
  });
});

describe("BackupEvents flags: audit framework and snapshot export (component under mocks)", () => {
  const rdsMock = mockClient(RDSClient);
  const ARCHIVE_KEY = `arn:aws-cn:kms:cn-north-1:${ACCOUNT_ID}:key/99999999-8888-7777-6666-555555555555`;
  let mocks: Awaited<ReturnType<typeof useMocks>>;
  let be: BackupEvents;

  beforeAll(async () => {
    mocks = await useMocks("cn-north-1");
    be = new BackupEvents("be", {
      role: "primary",
      sourceVaultName: "cn-log-backup-source",
      destinationVaultArn: DEST_VAULT_ARN,
      destinationVaultKeyArn: `arn:aws-cn:kms:cn-northwest-1:${ACCOUNT_ID}:key/dest`,
      backupRegion: "cn-northwest-1",
      plan: { schedule: "cron(0 18 * * ? *)", startWindowMinutes: 60, completionWindowMinutes: 480, deleteAfterDays: 120, coldStorageAfterDays: 30, selectionTag: { key: "backup", value: "yes" } },
      copy: { deleteAfterDays: 365, coldStorageAfterDays: 90, copyOnDemandBackups: true },
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

  test("snapshot export: rule on Aurora/RDS completions, export role trusted by export.rds, scoped to exports/", () => {
    expect(JSON.parse(find("aws:cloudwatch/eventRule:EventRule", "be-export-snapshot").inputs.eventPattern)).toEqual({
      source: ["aws.backup"],
      "detail-type": ["Backup Job State Change"],
      detail: { state: ["COMPLETED"], backupVaultArn: [SOURCE_VAULT_ARN], resourceType: ["Aurora", "RDS"] },
    });
    const role = find("aws:iam/role:Role", "be-export-role");
    expect(policyOf(role, "assumeRolePolicy").Statement[0].Principal).toEqual({ Service: "export.rds.amazonaws.com" });
    const rp = policyOf(find("aws:iam/rolePolicy:RolePolicy", "be-export-role-policy"));
    expect(rp.Statement.find((s: any) => s.Sid === "WriteExports").Resource).toEqual(["arn:aws-cn:s3:::cn-log-backup-archive/exports/*"]);
    expect(rp.Statement.find((s: any) => s.Sid === "EncryptWithTheArchiveKey").Resource).toEqual([ARCHIVE_KEY]);
    const lp = policyOf(find("aws:iam/rolePolicy:RolePolicy", "be-snapshot-export-policy"));
    expect(lp.Statement.find((s: any) => s.Sid === "PassTheExportRoleToRds").Condition).toEqual({
      StringEquals: { "iam:PassedToService": "export.rds.amazonaws.com" },
    });
  });

  test("the serialized exporter starts an export into exports/ with the archive key", async () => {
    const f = find("aws:lambda/function:Function", "be-snapshot-export");
    const handler = await loadHandler<any, any>(be.snapshotExporter!, { ...f.inputs.environment.variables, AWS_REGION: "cn-north-1" });
    const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
    rdsMock.reset();
    rdsMock.on(StartExportTaskCommand).resolves({ Status: "STARTING" });
    const out = await handler(fixture("backup-job-completed-aurora-on-demand"));
    expect(out.action).toBe("export-started");
    expect(rdsMock.commandCalls(StartExportTaskCommand)[0].args[0].input).toMatchObject({
      SourceArn: `arn:aws-cn:rds:cn-north-1:${ACCOUNT_ID}:cluster-snapshot:awsbackup:job-4ece7121-d60e-00c2-5c3b-49960142d03b`,
      S3BucketName: "cn-log-backup-archive",
      S3Prefix: "exports/aurora/lab-aurora",
      KmsKeyId: ARCHIVE_KEY,
      IamRoleArn: find("aws:iam/role:Role", "be-export-role").state.arn,
    });
    expect(JSON.parse(String(log.mock.calls[0][0]))).toMatchObject({ action: "export-started" });
    log.mockRestore();
  });
});
