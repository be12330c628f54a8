/** stacks/args/audit-log-pipeline.ts: config `auditLogPipeline.*` -> AuditLogPipeline's Args, field by field. */
import { parseConfig } from "../../../stacks/config";
import { outputValue } from "../../../tools/harness";
import { useMocks } from "../../helpers/pulumi";
import { auditLogArchive, auditLogPipelineArgs } from "../../../stacks/args/audit-log-pipeline";

const REGION = { "aws:region": "cn-north-1" };
const cfgWith = (audit: Record<string, unknown>, top: Record<string, string> = {}) =>
  parseConfig({ ...REGION, "cn-log-backup:auditLogPipeline": JSON.stringify(audit), ...top }, "cn-north-1");
const KEY = "arn:aws-cn:kms:cn-north-1:123456789012:key/11111111-2222-3333-4444-555555555555";
const logArchive = { bucketName: "log-archive-bucket", keyArn: "arn:aws-cn:kms:cn-north-1:123456789012:key/archive" };

describe("auditLogArchive", () => {
  test("LogArchive's bucket and key unless auditLogPipeline.archiveBucketName and archiveKmsKeyArn are set", () => {
    expect(auditLogArchive(cfgWith({}), logArchive)).toEqual({ bucket: "log-archive-bucket", keyArn: logArchive.keyArn });
    expect(auditLogArchive(cfgWith({ archiveBucketName: "own-audit-archive", archiveKmsKeyArn: KEY }), logArchive)).toEqual({
      bucket: "own-audit-archive",
      keyArn: KEY,
    });
  });
});

describe("auditLogPipelineArgs", () => {
  // archiveBucketArn is an ARN in the stack's partition (a data-source lookup, answered by the mocks).
  beforeEach(async () => {
    await useMocks("cn-north-1");
  });
  const from = {
    archive: { bucket: "own-audit-archive", keyArn: KEY },
    lambdaLogKeyArn: "arn:aws-cn:kms:cn-north-1:123456789012:key/lambda-logs",
    lambdaVpc: { subnetIds: ["subnet-0aaaaaaaaaaaaaaaa"], securityGroupIds: ["sg-0cccccccccccccccc"] },
    notificationTopicArn: "arn:aws-cn:sns:cn-north-1:123456789012:alerts",
  };

  test("each auditLogPipeline.* value arrives in the Args field of its name; top-level keys in theirs", () => {
    // Values other than the defaults, so a field mapped from the wrong key (or a default) shows.
    const settings = {
      scheduleMinutes: 7,
      downloaderTimeoutSeconds: 300,
      downloaderMemoryMb: 2048,
      partSizeMb: 16,
      streamMaxRetries: 3,
      restPathVersion: "v19",
      oldestPendingAlarmMinutes: 90,
    };
    const cfg = cfgWith(settings, { "cn-log-backup:lambdaLogRetentionDays": "731", "cn-log-backup:kmsKeyDeletionWindowDays": "14" });
    const args = auditLogPipelineArgs(cfg, { project: "t" }, from);
    expect(args).toMatchObject({ ...settings, stack: "cn-north-1", logRetentionDays: 731, keyDeletionWindowDays: 14, tags: { project: "t" } });
  });

  test("the archive, log key, network and notification topic come from `from`", async () => {
    const args = auditLogPipelineArgs(cfgWith({}), {}, from);
    expect(args.archiveBucketName).toBe("own-audit-archive");
    expect(await outputValue(args.archiveBucketArn)).toBe("arn:aws-cn:s3:::own-audit-archive");
    expect(args.archiveKmsKeyArn).toBe(KEY);
    expect(args.logKeyArn).toBe(from.lambdaLogKeyArn);
    expect(args.vpc).toBe(from.lambdaVpc);
    expect(args.alarmActions).toEqual([from.notificationTopicArn]);
    // Without BackupEvents there is no notification topic: no alarm actions.
    expect(auditLogPipelineArgs(cfgWith({}), {}, { ...from, notificationTopicArn: undefined }).alarmActions).toEqual([]);
  });
});
