/** BackupEvents' snapshot export (flag): through the stacks, and as a component under the mocks with its serialized exporter executed. */
import { RDSClient, StartExportTaskCommand } from "@aws-sdk/client-rds";
import { mockClient } from "aws-sdk-client-mock";
import { ACCOUNT_ID, loadHandler, one, outputValue, policyOf, runStack, settle, useMocks } from "../../helpers/pulumi";
import type { StackRun } from "../../../tools/harness";
import { DEST_VAULT_ARN, SOURCE_VAULT_ARN, fixture, stmt } from "./helpers";
import { BackupEventsPrimaryRegion } from "../../../infra/backup-events";

describe("BackupEvents, primary role (Beijing): snapshot export through the stacks", () => {
  let backupRun: StackRun;
  beforeAll(async () => {
    backupRun = await runStack("cn-northwest-1");
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

describe("BackupEvents flags: snapshot export (component under mocks)", () => {
  const rdsMock = mockClient(RDSClient);
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
