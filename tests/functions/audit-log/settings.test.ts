/**
 * functions/audit-log/settings.ts: the functions read exactly the variables the component sets
 * (named as the Args fields and config keys), and refuse bad values naming them.
 */
import { detectorSettings, downloaderSettings, endpointOverride, scannerSettings } from "../../../functions/audit-log/settings";

describe("audit-log settings", () => {
  test("scanner: the queue", () => {
    expect(scannerSettings({ queueUrl: "https://sqs/q" })).toEqual({ queueUrl: "https://sqs/q" });
    expect(() => scannerSettings({ QUEUE_URL: "https://sqs/q" })).toThrow(/queueUrl is not set/);
  });
  test("detector: the table, and the metrics' namespace and Pipeline dimension", () => {
    expect(detectorSettings({ tableName: "t", pipelineName: "cn-north-1-audit-log", metricNamespace: "CnLogBackup/AuditLog" })).toEqual({
      tableName: "t",
      pipelineName: "cn-north-1-audit-log",
      metricNamespace: "CnLogBackup/AuditLog",
    });
    expect(() => detectorSettings({})).toThrow(/tableName is not set/);
  });
  test("downloader: every setting under its config name, part size in MiB", () => {
    const env = {
      AWS_REGION: "cn-north-1",
      tableName: "t",
      archiveBucketName: "archive",
      archiveKmsKeyArn: "arn:aws-cn:kms:cn-north-1:111122223333:key/k",
      keyPrefix: "audit-logs/",
      partSizeMb: "16",
      restPathVersion: "v13",
      pipelineName: "p",
      metricNamespace: "n",
    };
    expect(downloaderSettings(env)).toEqual({
      region: "cn-north-1",
      rdsRestEndpoint: undefined,
      restPathVersion: "v13",
      tableName: "t",
      archiveBucketName: "archive",
      archiveKmsKeyArn: "arn:aws-cn:kms:cn-north-1:111122223333:key/k",
      keyPrefix: "audit-logs/",
      partSizeMb: 16,
      pipelineName: "p",
      metricNamespace: "n",
    });
    expect(() => downloaderSettings({ ...env, partSizeMb: "4" })).toThrow(/partSizeMb must be an integer from 5 to 512/);
    expect(() => downloaderSettings({ ...env, restPathVersion: "v20" })).toThrow(/restPathVersion must be one of "v13", "v19"/);
    expect(() => downloaderSettings({ ...env, archiveBucketName: undefined })).toThrow(/archiveBucketName is not set/);
  });
  test("endpoint overrides are the tests' loopback hooks only", () => {
    expect(endpointOverride({ RDS_ENDPOINT: "http://127.0.0.1:1" }, "RDS")).toBe("http://127.0.0.1:1");
    expect(endpointOverride({}, "S3")).toBeUndefined();
  });
});
