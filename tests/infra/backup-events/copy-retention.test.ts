/**
 * BackupEvents in the primary region: the copy and retention rules, the copy role, both Lambdas
 * (their permissions and settings), and both executed from their serialized artifacts against SDK
 * mocks with AWS-sample-shaped events.
 */
import {
  BackupClient,
  DescribeRecoveryPointCommand,
  ListCopyJobsCommand,
  StartCopyJobCommand,
  UpdateRecoveryPointLifecycleCommand,
} from "@aws-sdk/client-backup";
import { mockClient } from "aws-sdk-client-mock";
import { requiredModules, unavailableInRuntime } from "../../../tools/serialized";
import { ACCOUNT_ID, artifactOf, loadHandler, one, policyOf, runStack } from "../../helpers/pulumi";
import type { StackRun } from "../../../tools/harness";
import { DEST_VAULT_ARN, RECOVERY_POINT_ARN, SOURCE_VAULT_ARN, fixture, pattern, stmt, targetOf } from "./helpers";
import { backupEventsRecords, runBothStacks } from "./fixture";
import { LAMBDA_ASYNC_RETRIES, TARGET_RETRY_POLICY } from "../../../infra/backup-events";

describe("BackupEvents, primary role (Beijing): copy and retention", () => {
  let run: StackRun;
  let backupRun: StackRun;
  const backupMock = mockClient(BackupClient);

  beforeAll(async () => {
    ({ run, backupRun } = await runBothStacks());
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

  const { rule, fn, lambda } = backupEventsRecords(() => run);

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
    expect(perm.inputs).toMatchObject({
      principal: "events.amazonaws.com",
      sourceArn: r.state.arn,
      sourceAccount: ACCOUNT_ID,
      action: "lambda:InvokeFunction",
    });
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
    expect(one(r, "aws:lambda/function:Function", "backup-events-copy-starter").inputs.environment.variables.copyOnDemandBackups).toBe("false");
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
      sourceVaultArn: SOURCE_VAULT_ARN,
      destinationVaultArn: DEST_VAULT_ARN,
      copyRoleArn: copyRole.state.arn,
      copyDeleteAfterDays: "365",
      copyColdStorageAfterDays: "",
      copyOnDemandBackups: "true",
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
      sourceVaultArn: SOURCE_VAULT_ARN,
      destinationVaultArn: DEST_VAULT_ARN,
      retainAfterCopyDays: "7",
    });
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
      backupMock
        .on(DescribeRecoveryPointCommand)
        .resolves({ CreationDate: now, Status: "COMPLETED", StorageClass: "WARM", Lifecycle: { DeleteAfterDays: 35 } });
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
});
