/** BackupEvents' snapshot export (flag): through the stacks, and as a component under the mocks with its serialized exporter executed. */
import { RDSClient, StartExportTaskCommand } from "@aws-sdk/client-rds";
import { mockClient } from "aws-sdk-client-mock";
import { ACCOUNT_ID, loadHandler, one, policyOf, runStack } from "../../helpers/pulumi";
import type { StackRun } from "../../../tools/harness";
import type { ResourceRecord } from "../../../tools/types";
import type { BackupEventsPrimaryRegion } from "../../../infra/backup-events";
import { SOURCE_VAULT_ARN, fixture, stmt } from "./helpers";
import { ARCHIVE_KEY, flaggedComponent } from "./fixture";

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
  let be: BackupEventsPrimaryRegion;
  let find: (type: string, suffix: string) => ResourceRecord;

  beforeAll(async () => {
    ({ be, find } = await flaggedComponent());
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
