import { RDSClient, StartExportTaskCommand } from "@aws-sdk/client-rds";
import { mockClient } from "aws-sdk-client-mock";
import { createHash } from "crypto";
import { createSnapshotExportHandler, exportTaskIdentifier } from "../../../functions/backup-events";
import { SOURCE_VAULT_ARN, loadEvent } from "./fixtures";

const rdsMock = mockClient(RDSClient);
const SNAPSHOT_ARN = "arn:aws-cn:rds:cn-north-1:123456789012:cluster-snapshot:awsbackup:job-4ece7121-d60e-00c2-5c3b-49960142d03b";
const KEY_ARN = "arn:aws-cn:kms:cn-north-1:123456789012:key/0a1b2c3d-4e5f-6789-abcd-ef0123456789";
const EXPORT_ROLE_ARN = "arn:aws-cn:iam::123456789012:role/cn-log-backup-rds-export";

function handler(over: Record<string, unknown> = {}) {
  return createSnapshotExportHandler({
    rds: new RDSClient({ region: "cn-north-1" }),
    sourceVaultArn: SOURCE_VAULT_ARN,
    bucketName: "cn-log-backup-archive-123456789012",
    kmsKeyArn: KEY_ARN,
    exportRoleArn: EXPORT_ROLE_ARN,
    log: () => undefined,
    ...over,
  });
}

beforeEach(() => {
  rdsMock.reset();
  rdsMock.on(StartExportTaskCommand).resolves({ Status: "STARTING" });
});

describe("snapshot export", () => {
  const expectedInput = {
    ExportTaskIdentifier: `backup-export-${createHash("sha256").update(SNAPSHOT_ARN).digest("hex").slice(0, 40)}`,
    SourceArn: SNAPSHOT_ARN,
    S3BucketName: "cn-log-backup-archive-123456789012",
    S3Prefix: "exports/aurora/lab-aurora",
    IamRoleArn: EXPORT_ROLE_ARN,
    KmsKeyId: KEY_ARN,
  };

  it.each(["backup-job-completed-aurora-on-demand", "recovery-point-completed-aurora"])(
    "exports the Aurora snapshot from %s to exports/ with the archive key and export role",
    async (fixture) => {
      const out = await handler()(loadEvent(fixture));
      expect(rdsMock.commandCalls(StartExportTaskCommand).map((c) => c.args[0].input)).toEqual([expectedInput]);
      expect(out).toMatchObject({ action: "export-started", snapshotArn: SNAPSHOT_ARN, status: "STARTING" });
    },
  );

  it("uses a valid, deterministic export task identifier", () => {
    const id = exportTaskIdentifier(SNAPSHOT_ARN);
    expect(id).toHaveLength(54);
    expect(id).toMatch(/^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,59}(?<!-)$/);
    expect(exportTaskIdentifier(SNAPSHOT_ARN)).toBe(id);
    expect(exportTaskIdentifier(SNAPSHOT_ARN + "x")).not.toBe(id);
  });

  it("exports an RDS instance snapshot under exports/rds/<db>", async () => {
    const e = loadEvent("backup-job-completed-aurora-on-demand");
    e.resources = ["arn:aws-cn:rds:cn-north-1:123456789012:snapshot:awsbackup:job-77"];
    e.detail.resourceType = "RDS";
    e.detail.resourceArn = "arn:aws-cn:rds:cn-north-1:123456789012:db:orders-db";
    await handler({ prefix: "exports" })(e);
    expect(rdsMock.commandCalls(StartExportTaskCommand)[0].args[0].input).toMatchObject({
      SourceArn: "arn:aws-cn:rds:cn-north-1:123456789012:snapshot:awsbackup:job-77",
      S3Prefix: "exports/rds/orders-db",
    });
  });

  it("treats an export that already exists as done (redelivery)", async () => {
    rdsMock.on(StartExportTaskCommand).rejects(Object.assign(new Error("exists"), { name: "ExportTaskAlreadyExistsFault" }));
    const out = await handler()(loadEvent("backup-job-completed-aurora-on-demand"));
    expect(out).toEqual({ action: "already-exporting", snapshotArn: SNAPSHOT_ARN, exportTaskIdentifier: expectedInput.ExportTaskIdentifier });
  });

  it("propagates other errors", async () => {
    rdsMock.on(StartExportTaskCommand).rejects(Object.assign(new Error("role"), { name: "IamRoleNotFoundFault" }));
    await expect(handler()(loadEvent("backup-job-completed-aurora-on-demand"))).rejects.toThrow("role");
  });

  it.each([
    ["an EFS backup", () => loadEvent("backup-job-completed"), /resource type EFS/],
    ["a running job", () => loadEvent("backup-job-running"), /RUNNING/],
    ["a copy job", () => loadEvent("copy-job-completed"), /Copy Job State Change COMPLETED/],
    [
      "another vault",
      () => {
        const e = loadEvent("backup-job-completed-aurora-on-demand");
        e.detail.backupVaultArn = "arn:aws-cn:backup:cn-north-1:123456789012:backup-vault:Default";
        return e;
      },
      /vault arn:aws-cn:backup:cn-north-1:123456789012:backup-vault:Default/,
    ],
    [
      "a continuous (point-in-time) recovery point",
      () => {
        const e = loadEvent("backup-job-completed-aurora-on-demand");
        e.resources = ["arn:aws-cn:backup:cn-north-1:123456789012:recovery-point:continuous:cluster-lab-aurora-1a2b3c4d"];
        return e;
      },
      /not an RDS snapshot/,
    ],
  ])("ignores %s", async (_label, make, reason) => {
    const out = await handler()(make());
    expect(out.action).toBe("ignored");
    expect(out.reason).toMatch(reason);
    expect(rdsMock.calls()).toHaveLength(0);
  });

  it("requires its settings", () => {
    expect(() => handler({ kmsKeyArn: "" })).toThrow(/kmsKeyArn is required/);
    expect(() => handler({ exportRoleArn: undefined })).toThrow(/exportRoleArn is required/);
  });
});
