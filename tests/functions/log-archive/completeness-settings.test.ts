/**
 * The completeness reporters' settings (functions/log-archive/completeness.ts settingsFromEnv,
 * functions/audit-log/completeness-report.ts auditReportSettingsFromEnv): variables named as the
 * components' Args fields, and a missing or bad value named with what it allows.
 */
import { settingsFromEnv } from "../../../functions/log-archive/completeness";
import { auditReportSettingsFromEnv } from "../../../functions/audit-log/completeness-report";

const archiveEnv = {
  bucketName: "replica",
  keyArn: "arn:aws-cn:kms:cn-northwest-1:111122223333:key/k",
  inventoryPrefix: "inventory",
  inventoryConfigId: "completeness",
  sourceTable: "archive_inventory",
  replicaTable: "replica_inventory",
  graceHours: "24",
  detailLimit: "1000",
  workgroupName: "cn-log-backup-completeness",
  databaseName: "cn_log_backup_completeness",
  maxWaitMs: "200000",
  pollIntervalMs: "2000",
};
const auditEnv = {
  tableName: "t",
  archiveBucketName: "archive",
  archiveKeyArn: "arn:aws-cn:kms:cn-north-1:111122223333:key/k",
  graceHours: "24",
  pipelineName: "p",
};

describe("archive completeness settings", () => {
  test("every variable under its Args / settings name", () => {
    expect(settingsFromEnv(archiveEnv)).toEqual({
      replicaBucket: "replica",
      kmsKeyArn: archiveEnv.keyArn,
      inventoryPrefix: "inventory",
      inventoryConfigId: "completeness",
      sourceTable: "archive_inventory",
      replicaTable: "replica_inventory",
      graceHours: 24,
      detailLimit: 1000,
      athena: { workgroup: "cn-log-backup-completeness", database: "cn_log_backup_completeness", maxWaitMs: 200000, pollIntervalMs: 2000 },
    });
  });
  test.each(Object.keys(archiveEnv))("%s missing names the variable", (k) => {
    const { [k as keyof typeof archiveEnv]: _, ...without } = archiveEnv;
    expect(() => settingsFromEnv(without)).toThrow(new RegExp(`^environment variable ${k} is not set \\((a non-empty string|an integer >= 0) is required\\)$`));
  });
  test("a count that is not a whole number >= 0 names the variable and the range", () => {
    expect(() => settingsFromEnv({ ...archiveEnv, graceHours: "-1" })).toThrow('environment variable graceHours must be an integer >= 0, got "-1"');
    expect(() => settingsFromEnv({ ...archiveEnv, maxWaitMs: "2e5" })).toThrow('environment variable maxWaitMs must be an integer >= 0, got "2e5"');
    expect(() => settingsFromEnv({ ...archiveEnv, detailLimit: "many" })).toThrow('environment variable detailLimit must be an integer >= 0, got "many"');
  });
});

describe("audit-log completeness settings", () => {
  test("every variable under its Args name", () => {
    expect(auditReportSettingsFromEnv(auditEnv)).toEqual({
      tableName: "t",
      bucket: "archive",
      kmsKeyArn: auditEnv.archiveKeyArn,
      graceHours: 24,
      pipelineName: "p",
    });
  });
  test.each(Object.keys(auditEnv))("%s missing names the variable", (k) => {
    const { [k as keyof typeof auditEnv]: _, ...without } = auditEnv;
    expect(() => auditReportSettingsFromEnv(without)).toThrow(`environment variable ${k} is not set`);
  });
  test("a grace period below one hour names the variable and the range", () => {
    expect(() => auditReportSettingsFromEnv({ ...auditEnv, graceHours: "0" })).toThrow('environment variable graceHours must be an integer >= 1, got "0"');
    expect(() => auditReportSettingsFromEnv({ ...auditEnv, graceHours: "1.5" })).toThrow('environment variable graceHours must be an integer >= 1, got "1.5"');
  });
});
