/**
 * The completeness components name their function's log group from the `stack` in their Args, not
 * from the running stack (components never call pulumi.getStack()): built here under a stack
 * named cn-north-1 with Args naming another.
 */
import { ACCOUNT_ID, outputValue, settle, useMocks } from "../helpers/pulumi";
import { ArchiveCompleteness } from "../../infra/archive-completeness";
import { AuditLogCompleteness } from "../../infra/audit-log-completeness";

const KEY = `arn:aws-cn:kms:cn-north-1:${ACCOUNT_ID}:key/11111111-2222-3333-4444-555555555555`;

test("ArchiveCompleteness and AuditLogCompleteness name their log groups from Args.stack", async () => {
  const mocks = await useMocks("cn-north-1");
  const a = new ArchiveCompleteness("archive-completeness", {
    stack: "args-stack",
    bucketName: "replica",
    bucketArn: "arn:aws-cn:s3:::replica",
    keyArn: KEY,
    region: "cn-north-1",
    graceHours: 24,
    schedule: "rate(1 day)",
    bytesScannedCutoffMb: 1024,
    alarmActions: [],
    logRetentionDays: 365,
    kmsKeyDeletionWindowDays: 30,
  });
  const b = new AuditLogCompleteness("audit-log-completeness", {
    stack: "args-stack",
    tableName: "t",
    tableArn: `arn:aws-cn:dynamodb:cn-north-1:${ACCOUNT_ID}:table/t`,
    tableKeyArn: KEY,
    pipelineName: "p",
    archiveBucketName: "archive",
    archiveBucketArn: "arn:aws-cn:s3:::archive",
    archiveKeyArn: KEY,
    region: "cn-north-1",
    graceHours: 24,
    schedule: "rate(1 day)",
    alarmActions: [],
    logKeyArn: KEY,
    logRetentionDays: 365,
  });
  await outputValue(a.reporter.arn);
  await outputValue(b.reporter.arn);
  await settle();
  const groups = mocks.resources
    .filter((r) => r.type === "aws:cloudwatch/logGroup:LogGroup")
    .map((r) => r.inputs.name)
    .sort();
  expect(groups).toEqual([
    "/cn-log-backup/args-stack/lambda/archive-completeness-reporter",
    "/cn-log-backup/args-stack/lambda/audit-log-completeness-reporter",
  ]);
});
