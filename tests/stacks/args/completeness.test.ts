/** stacks/args/completeness.ts: config `logArchive.completeness*` -> both completeness reports' Args, field by field. */
import { parseConfig } from "../../../stacks/config";
import { archiveCompletenessArgs, auditLogCompletenessArgs } from "../../../stacks/args/completeness";
import { outputValue, useMocks } from "../../helpers/pulumi";

// The audit archive's ARN is formatted in the provider's partition (infra/partition.ts s3Arn).
beforeAll(() => useMocks("cn-north-1"));

const TAGS = { project: "cn-log-backup" };
// Values other than the defaults, so a field mapped from the wrong key or a default shows.
const cfg = parseConfig(
  {
    "aws:region": "cn-north-1",
    "cn-log-backup:lambdaLogRetentionDays": "180",
    "cn-log-backup:kmsKeyDeletionWindowDays": "14",
    "cn-log-backup:logArchive": JSON.stringify({
      inventory: true,
      completeness: true,
      completenessGraceHours: 36,
      completenessSchedule: "cron(30 7 * * ? *)",
      athenaBytesScannedCutoffMb: 2048,
    }),
  },
  "cn-north-1",
);

describe("archiveCompletenessArgs", () => {
  const replica = { bucketName: "replica-bucket", bucketArn: "arn:aws-cn:s3:::replica-bucket", keyArn: "arn:aws-cn:kms:cn-northwest-1:111122223333:key/r" };

  test("each logArchive.completeness* value arrives in its Args field, in the backup region, with the replica's bucket and key", () => {
    expect(archiveCompletenessArgs(cfg, TAGS, { replica, notificationTopicArn: "arn:aws-cn:sns:cn-northwest-1:111122223333:alerts" })).toEqual({
      stack: cfg.stack,
      region: "cn-northwest-1",
      graceHours: 36,
      schedule: "cron(30 7 * * ? *)",
      bytesScannedCutoffMb: 2048,
      alarmActions: ["arn:aws-cn:sns:cn-northwest-1:111122223333:alerts"],
      logRetentionDays: 180,
      kmsKeyDeletionWindowDays: 14,
      bucketName: "replica-bucket",
      bucketArn: "arn:aws-cn:s3:::replica-bucket",
      keyArn: replica.keyArn,
      tags: TAGS,
    });
  });

  test("without a notification topic the alarms notify nobody", () => {
    expect(archiveCompletenessArgs(cfg, TAGS, { replica }).alarmActions).toEqual([]);
  });
});

describe("auditLogCompletenessArgs", () => {
  const from = {
    table: {
      name: "audit-table",
      arn: "arn:aws-cn:dynamodb:cn-north-1:111122223333:table/audit-table",
      keyArn: "arn:aws-cn:kms:cn-north-1:111122223333:key/t",
    },
    auditArchive: { bucket: "audit-archive", keyArn: "arn:aws-cn:kms:cn-north-1:111122223333:key/a" },
    lambdaLogKeyArn: "arn:aws-cn:kms:cn-north-1:111122223333:key/l",
    lambdaVpc: { subnetIds: ["subnet-1"], securityGroupIds: ["sg-1"] },
  };

  test("config values, the pipeline's table and archive, in the primary region", async () => {
    const a = auditLogCompletenessArgs(cfg, TAGS, from);
    await expect(outputValue(a.archiveBucketArn)).resolves.toBe("arn:aws-cn:s3:::audit-archive");
    expect(a).toMatchObject({
      stack: cfg.stack,
      region: "cn-north-1",
      graceHours: 36,
      schedule: "cron(30 7 * * ? *)",
      logRetentionDays: 180,
      alarmActions: [],
      tableName: "audit-table",
      tableArn: from.table.arn,
      tableKeyArn: from.table.keyArn,
      pipelineName: `${cfg.stack}-audit-log`,
      archiveBucketName: "audit-archive",
      archiveKeyArn: from.auditArchive.keyArn,
      logKeyArn: from.lambdaLogKeyArn,
      vpc: from.lambdaVpc,
      tags: TAGS,
    });
  });
});
