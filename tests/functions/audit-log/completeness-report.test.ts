/**
 * The audit-log completeness report on moto: the pipeline's own writers (the detector's
 * recordDetection, the downloader's recordBackup/recordMissed) fill the table; the report lists
 * exactly the missed files and those pending past the grace period, across Scan pages.
 */
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { describeWithMoto } from "../../helpers/moto";
import { AuditMoto, startAuditMoto } from "../../helpers/moto-audit";
import { recordDetection } from "../../../functions/audit-log/detector";
import { recordMissed } from "../../../functions/audit-log/backup-records";
import { runAuditReport } from "../../../functions/audit-log/completeness-report";
import { PutItemCommand } from "@aws-sdk/client-dynamodb";

describeWithMoto("audit-log completeness report (moto DynamoDB + S3)", () => {
  let env: AuditMoto;
  beforeAll(async () => {
    env = await startAuditMoto();
  }, 90000);
  afterAll(async () => env?.stop());

  test("missed files and files pending longer than the grace period, nothing else", async () => {
    await env.newTable("audit-table");
    await env.newBucket("archive");
    const H = 3_600_000;
    const now = Date.UTC(2026, 11, 2, 12);
    const file = (n: string, lw: number) => ({ LogFileName: `audit/server_audit.log.${n}`, Size: 1000 + Number(n), LastWritten: lw });
    // Detected 30 h ago and never backed up: overdue.
    await recordDetection(env.dynamodb, "audit-table", "db-a", file("1", now - 31 * H), now - 30 * H);
    // Detected 2 h ago: pending, inside the grace period.
    await recordDetection(env.dynamodb, "audit-table", "db-a", file("2", now - 3 * H), now - 2 * H);
    // Detected, then rotated away before the copy: missed.
    const lost = file("3", now - 40 * H);
    await recordDetection(env.dynamodb, "audit-table", "db-b", lost, now - 40 * H);
    expect(await recordMissed(env.dynamodb, "audit-table", { DBInstanceIdentifier: "db-b", ...lost }, "file no longer listed by RDS", now - 20 * H)).toBe(true);
    // Backed up long ago: fine.
    await env.dynamodb.send(
      new PutItemCommand({
        TableName: "audit-table",
        Item: {
          DBInstanceIdentifier: { S: "db-b" },
          LogFileName: { S: "audit/server_audit.log.4" },
          Size: { N: "5" },
          LastWritten: { N: String(now - 50 * H) },
          BackupStatus: { S: "backed-up" },
        },
      }),
    );
    const emitted: Record<string, number> = {};
    const report = await runAuditReport(
      {
        dynamodb: env.dynamodb,
        s3: env.s3,
        now: () => now,
        emit: async (_n, d, m) => {
          expect(d).toEqual({ Pipeline: "audit-log" });
          for (const [k, v] of Object.entries(m)) emitted[k] = v.value;
        },
      },
      { tableName: "audit-table", bucket: "archive", kmsKeyArn: env.kmsKeyArn, graceHours: 24, pipelineName: "audit-log" },
    );
    expect(report.filesTracked).toBe(4);
    expect(report.missed.map((f) => [f.dbInstanceIdentifier, f.logFileName, f.reason])).toEqual([
      ["db-b", "audit/server_audit.log.3", "file no longer listed by RDS"],
    ]);
    expect(report.pendingTooLong.map((f) => [f.dbInstanceIdentifier, f.logFileName, f.since])).toEqual([
      ["db-a", "audit/server_audit.log.1", new Date(now - 30 * H).toISOString()],
    ]);
    expect(emitted).toEqual({ AuditLogFilesMissed: 1, AuditLogFilesPendingTooLong: 1 });
    const stored = await env.s3.send(new GetObjectCommand({ Bucket: "archive", Key: "reports/completeness/audit-logs/2026-12-02.json" }));
    expect(stored.ServerSideEncryption).toBe("aws:kms");
    expect(JSON.parse(await stored.Body!.transformToString()).missed).toHaveLength(1);
  }, 60000);
});

describe("audit-log completeness report: Scan pages", () => {
  const { mockClient } = require("aws-sdk-client-mock");
  const { DynamoDBClient, ScanCommand } = require("@aws-sdk/client-dynamodb");
  const { S3Client, PutObjectCommand } = require("@aws-sdk/client-s3");
  // Made here, not at collection: a class mock would also catch the moto suite's clients.
  let ddbMock: any;
  let s3Mock: any;
  beforeAll(() => {
    ddbMock = mockClient(DynamoDBClient);
    s3Mock = mockClient(S3Client);
  });
  afterAll(() => {
    ddbMock.restore();
    s3Mock.restore();
  });
  const settings = { tableName: "t", bucket: "b", kmsKeyArn: "k", graceHours: 24, pipelineName: "p" };
  const item = (n: string, status: string) => ({
    DBInstanceIdentifier: { S: "db" },
    LogFileName: { S: `audit/f.${n}` },
    Size: { N: "1" },
    LastWritten: { N: "0" },
    BackupStatus: { S: status },
    MissedAt: { N: "0" },
  });
  beforeEach(() => {
    ddbMock.reset();
    s3Mock.reset();
    s3Mock.on(PutObjectCommand).resolves({});
  });

  test("reads every page (LastEvaluatedKey) and skips the detector's bookkeeping items", async () => {
    ddbMock
      .on(ScanCommand, { ExclusiveStartKey: undefined })
      .resolves({ Items: [item("1", "missed"), { DBInstanceIdentifier: { S: "db" }, LogFileName: { S: "#watermark" } }], LastEvaluatedKey: { k: { S: "1" } } })
      .on(ScanCommand, { ExclusiveStartKey: { k: { S: "1" } } })
      .resolves({ Items: [item("2", "missed")] });
    const r = await runAuditReport(
      { dynamodb: new DynamoDBClient({ region: "cn-north-1" }), s3: new S3Client({ region: "cn-north-1" }), emit: jest.fn() },
      settings,
    );
    expect(r.missed.map((f: { logFileName: string }) => f.logFileName)).toEqual(["audit/f.1", "audit/f.2"]);
    expect(r.filesTracked).toBe(2);
    expect(ddbMock.commandCalls(ScanCommand)[0].args[0].input.ConsistentRead).toBe(true);
  });

  test("a failing page fails the run: no partial report, no metric", async () => {
    ddbMock
      .on(ScanCommand, { ExclusiveStartKey: undefined })
      .resolves({ Items: [item("1", "missed")], LastEvaluatedKey: { k: { S: "1" } } })
      .on(ScanCommand, { ExclusiveStartKey: { k: { S: "1" } } })
      .rejects(Object.assign(new Error("throttled"), { name: "ProvisionedThroughputExceededException" }));
    const emit = jest.fn();
    await expect(
      runAuditReport({ dynamodb: new DynamoDBClient({ region: "cn-north-1" }), s3: new S3Client({ region: "cn-north-1" }), emit }, settings),
    ).rejects.toThrow("throttled");
    expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(emit).not.toHaveBeenCalled();
  });
});
