/**
 * How logs reach LogArchive's archive, as deployed under mocks and evaluated by an IAM simulator
 * (@cloud-copilot/iam-simulate): the Firehose role, the CloudWatch Logs role and its trust, VPC
 * flow-log delivery and CloudTrail through the bucket and key policies, and the exportTask mode's
 * logs principal and export Lambda. Each principal may write exactly its prefix with the archive
 * key, and is denied deletes, other prefixes, other buckets and other keys. The replication role:
 * tests/iam/log-archive-replication.test.ts; the simulator set-up: ./log-archive-helpers.ts.
 */
import { ACCOUNT_ID, policyOf, runStack } from "../helpers/pulumi";
import type { StackRun } from "../../tools/harness";
import {
  LOGS_SOURCE,
  OTHER_BUCKET,
  OTHER_KEY,
  S3_BJ,
  bucketArn,
  bucketPolicy,
  inline,
  keyArn,
  keyPolicy,
  res,
  roleArn,
  simulate,
  validateSimulatedRequests,
} from "./log-archive-helpers";

let primary: StackRun;
let exportRun: StackRun;
beforeAll(async () => {
  primary = await runStack("cn-north-1", { config: { logArchive: { flowLogVpcIds: ["vpc-0123456789abcdef0"] } } });
  exportRun = await runStack("cn-north-1", { config: { logArchive: { cloudWatchLogsMode: "exportTask" } } });
});
// A request the catalogue does not know (a typo) fails the file rather than reading as "denied".
afterAll(validateSimulatedRequests);

describe("Firehose role", () => {
  const role = () => roleArn(primary, "log-archive-firehose-role");
  const id = () => [inline(primary, "log-archive-firehose-policy")];
  const bucket = () => bucketArn(primary, "log-archive-archive");
  const s3 = (action: string, resource: string) =>
    simulate({ principal: role(), action, resource, identity: id(), resourcePolicy: bucketPolicy(primary, "log-archive-archive-policy") });

  test("writes cloudwatch/ only, deletes nothing", () => {
    expect(s3("s3:PutObject", `${bucket()}/cloudwatch/logs/year=2026/x.gz`)).toBe("Allowed");
    expect(s3("s3:AbortMultipartUpload", `${bucket()}/cloudwatch/logs/x.gz`)).toBe("Allowed");
    expect(s3("s3:ListBucket", bucket())).toBe("Allowed");
    expect(s3("s3:PutObject", `${bucket()}/flow-logs/x`)).toBe("ImplicitlyDenied");
    expect(s3("s3:PutObject", `${bucket()}/state/log-archive/export-cursor.json`)).toBe("ImplicitlyDenied");
    expect(s3("s3:DeleteObject", `${bucket()}/cloudwatch/logs/x.gz`)).toBe("ImplicitlyDenied");
    expect(s3("s3:DeleteObjectVersion", `${bucket()}/cloudwatch/logs/x.gz`)).toBe("ExplicitlyDenied");
    expect(simulate({ principal: role(), action: "s3:PutObject", resource: `${OTHER_BUCKET}/cloudwatch/x`, identity: id() })).toBe("ImplicitlyDenied");
  });

  test("uses the archive key via S3 for cloudwatch/ only, no other key", () => {
    const kms = (key: string, ctx: string, via = S3_BJ) =>
      simulate({
        principal: role(),
        action: "kms:GenerateDataKey",
        resource: key,
        identity: id(),
        resourcePolicy: keyPolicy(primary, "log-archive-archive-key"),
        context: { "kms:ViaService": via, "kms:EncryptionContext:aws:s3:arn": ctx },
      });
    expect(kms(keyArn(primary, "log-archive-archive-key"), bucket())).toBe("Allowed");
    expect(kms(keyArn(primary, "log-archive-archive-key"), `${bucket()}/cloudwatch/logs/x.gz`)).toBe("Allowed");
    expect(kms(keyArn(primary, "log-archive-archive-key"), `${bucket()}/flow-logs/x`)).toBe("ImplicitlyDenied");
    expect(kms(keyArn(primary, "log-archive-archive-key"), bucket(), "sqs.cn-north-1.amazonaws.com.cn")).toBe("ImplicitlyDenied");
    expect(kms(OTHER_KEY, bucket())).toBe("ImplicitlyDenied");
  });
});

describe("CloudWatch Logs role and its trust", () => {
  const role = () => roleArn(primary, "log-archive-cwl-role");
  const stream = () => res(primary, "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "log-archive-cloudwatch").state.arn as string;

  test("may put records into the archive stream only", () => {
    const id = [inline(primary, "log-archive-cwl-policy")];
    expect(simulate({ principal: role(), action: "firehose:PutRecordBatch", resource: stream(), identity: id })).toBe("Allowed");
    expect(simulate({ principal: role(), action: "firehose:PutRecord", resource: stream(), identity: id })).toBe("Allowed");
    expect(
      simulate({
        principal: role(),
        action: "firehose:PutRecordBatch",
        resource: `arn:aws-cn:firehose:cn-north-1:${ACCOUNT_ID}:deliverystream/other`,
        identity: id,
      }),
    ).toBe("ImplicitlyDenied");
    expect(simulate({ principal: role(), action: "firehose:DeleteDeliveryStream", resource: stream(), identity: id })).toBe("ImplicitlyDenied");
  });

  test("the subscriber may pass it to CloudWatch Logs only, and no other role", () => {
    const fnRole = roleArn(primary, "log-archive-subscriber-role");
    const id = [inline(primary, "log-archive-subscriber-policy")];
    const pass = (resource: string, service: string) =>
      simulate({ principal: fnRole, action: "iam:PassRole", resource, identity: id, context: { "iam:PassedToService": service } });
    expect(pass(role(), "logs.amazonaws.com.cn")).toBe("Allowed");
    expect(pass(role(), "logs.cn-north-1.amazonaws.com.cn")).toBe("Allowed");
    expect(pass(role(), "lambda.amazonaws.com")).toBe("ImplicitlyDenied");
    expect(pass(roleArn(primary, "log-archive-replication-role"), "logs.amazonaws.com.cn")).toBe("ImplicitlyDenied");
    const lg = `arn:aws-cn:logs:cn-north-1:${ACCOUNT_ID}:log-group:/ec2/app`;
    expect(simulate({ principal: fnRole, action: "logs:PutSubscriptionFilter", resource: lg, identity: id })).toBe("Allowed");
    expect(simulate({ principal: fnRole, action: "logs:DeleteSubscriptionFilter", resource: lg, identity: id })).toBe("ImplicitlyDenied");
    expect(simulate({ principal: fnRole, action: "logs:DeleteLogGroup", resource: lg, identity: id })).toBe("ImplicitlyDenied");
  });

  test("is assumed by the regional logs principal for this account's log groups only", () => {
    const trust = policyOf(res(primary, "aws:iam/role:Role", "log-archive-cwl-role"), "assumeRolePolicy");
    const assume = (principal: string, account: string, sourceArn: string) =>
      simulate({
        principal,
        action: "sts:AssumeRole",
        resource: role(),
        resourcePolicy: trust,
        context: { "aws:SourceAccount": account, "aws:SourceArn": sourceArn },
      });
    expect(assume("logs.cn-north-1.amazonaws.com.cn", ACCOUNT_ID, LOGS_SOURCE)).toBe("Allowed");
    expect(assume("logs.cn-north-1.amazonaws.com.cn", "999999999999", `arn:aws-cn:logs:cn-north-1:999999999999:log-group:x:*`)).toBe("ImplicitlyDenied");
    expect(assume("logs.cn-north-1.amazonaws.com.cn", ACCOUNT_ID, `arn:aws-cn:logs:cn-northwest-1:${ACCOUNT_ID}:log-group:x:*`)).toBe("ImplicitlyDenied");
    expect(assume("firehose.amazonaws.com", ACCOUNT_ID, LOGS_SOURCE)).toBe("ImplicitlyDenied");
  });
});

describe("flow-log delivery and CloudTrail through the bucket and key policies", () => {
  const bucket = () => bucketArn(primary, "log-archive-archive");
  const bp = () => bucketPolicy(primary, "log-archive-archive-policy");
  const trailArn = `arn:aws-cn:cloudtrail:cn-north-1:${ACCOUNT_ID}:trail/cn-log-backup-cn-north-1`;
  const flowSource = `arn:aws-cn:logs:cn-north-1:${ACCOUNT_ID}:*`;

  test("delivery.logs writes flow-logs/AWSLogs/aws-account-id=<account>/ (Hive-compatible partitions) only with aws:SourceAccount and aws:SourceArn", () => {
    const put = (resource: string, ctx: Record<string, string>) =>
      simulate({ principal: "delivery.logs.amazonaws.com", action: "s3:PutObject", resource, resourcePolicy: bp(), context: ctx });
    const good = { "aws:SourceAccount": ACCOUNT_ID, "aws:SourceArn": flowSource, "s3:x-amz-acl": "bucket-owner-full-control" };
    // The key layout of flow logs with hiveCompatiblePartitions (vpc/latest/userguide/flow-logs-s3.html#flow-logs-s3-path).
    const key = `${bucket()}/flow-logs/AWSLogs/aws-account-id=${ACCOUNT_ID}/aws-service=vpcflowlogs/aws-region=cn-north-1/year=2026/month=11/day=22/hour=10/${ACCOUNT_ID}_vpcflowlogs_cn-north-1_fl-1234_20261122T1000Z_abcd.log.parquet`;
    expect(put(key, good)).toBe("Allowed");
    expect(put(`${bucket()}/flow-logs/AWSLogs/aws-account-id=999999999999/aws-service=vpcflowlogs/x.log.parquet`, good)).toBe("ImplicitlyDenied");
    expect(put(key, { ...good, "aws:SourceAccount": "999999999999" })).toBe("ImplicitlyDenied");
    expect(put(key, { "aws:SourceAccount": ACCOUNT_ID, "s3:x-amz-acl": "bucket-owner-full-control" })).toBe("ImplicitlyDenied");
    expect(put(`${bucket()}/cloudtrail/AWSLogs/${ACCOUNT_ID}/x`, good)).toBe("ImplicitlyDenied");
    expect(put(key, { ...good, "aws:SecureTransport": "false" })).toBe("ExplicitlyDenied");
    expect(simulate({ principal: "delivery.logs.amazonaws.com", action: "s3:GetBucketAcl", resource: bucket(), resourcePolicy: bp(), context: good })).toBe(
      "Allowed",
    );
    expect(simulate({ principal: "delivery.logs.amazonaws.com", action: "s3:DeleteObject", resource: key, resourcePolicy: bp(), context: good })).toBe(
      "ImplicitlyDenied",
    );
    const kp = keyPolicy(primary, "log-archive-archive-key");
    const kms = (ctx: Record<string, string>) =>
      simulate({
        principal: "delivery.logs.amazonaws.com",
        action: "kms:GenerateDataKey",
        resource: keyArn(primary, "log-archive-archive-key"),
        resourcePolicy: kp,
        context: ctx,
      });
    expect(kms({ "aws:SourceAccount": ACCOUNT_ID, "aws:SourceArn": flowSource })).toBe("Allowed");
    expect(kms({ "aws:SourceAccount": "999999999999", "aws:SourceArn": "arn:aws-cn:logs:cn-north-1:999999999999:*" })).toBe("ImplicitlyDenied");
  });

  test("CloudTrail writes cloudtrail/AWSLogs/<account>/ for its own trail only and encrypts with the archive key", () => {
    const put = (resource: string, sourceArn: string) =>
      simulate({
        principal: "cloudtrail.amazonaws.com",
        action: "s3:PutObject",
        resource,
        resourcePolicy: bp(),
        context: { "aws:SourceArn": sourceArn, "s3:x-amz-acl": "bucket-owner-full-control" },
      });
    const key = `${bucket()}/cloudtrail/AWSLogs/${ACCOUNT_ID}/CloudTrail/cn-north-1/2026/11/22/x.json.gz`;
    expect(put(key, trailArn)).toBe("Allowed");
    expect(put(key, `arn:aws-cn:cloudtrail:cn-north-1:${ACCOUNT_ID}:trail/other`)).toBe("ImplicitlyDenied");
    expect(put(`${bucket()}/flow-logs/AWSLogs/${ACCOUNT_ID}/x`, trailArn)).toBe("ImplicitlyDenied");
    const kp = keyPolicy(primary, "log-archive-archive-key");
    const kms = (sourceArn: string, ctx: string) =>
      simulate({
        principal: "cloudtrail.amazonaws.com",
        action: "kms:GenerateDataKey",
        resource: keyArn(primary, "log-archive-archive-key"),
        resourcePolicy: kp,
        context: { "aws:SourceArn": sourceArn, "kms:EncryptionContext:aws:cloudtrail:arn": ctx },
      });
    expect(kms(trailArn, trailArn)).toBe("Allowed");
    expect(kms(`arn:aws-cn:cloudtrail:cn-north-1:999999999999:trail/x`, `arn:aws-cn:cloudtrail:cn-north-1:999999999999:trail/x`)).toBe("ImplicitlyDenied");
    expect(
      simulate({
        principal: "cloudtrail.amazonaws.com",
        action: "kms:Decrypt",
        resource: keyArn(primary, "log-archive-archive-key"),
        resourcePolicy: kp,
        context: { "aws:SourceArn": trailArn },
      }),
    ).toBe("ImplicitlyDenied");
  });

  test("exportTask mode: the logs principal writes exports/ only, for this account", () => {
    const b = bucketArn(exportRun, "log-archive-archive");
    const p = bucketPolicy(exportRun, "log-archive-archive-policy");
    const put = (resource: string, account: string) =>
      simulate({
        principal: "logs.cn-north-1.amazonaws.com.cn",
        action: "s3:PutObject",
        resource,
        resourcePolicy: p,
        context: { "aws:SourceAccount": account, "aws:SourceArn": LOGS_SOURCE.replace(ACCOUNT_ID, account) },
      });
    expect(put(`${b}/exports/ec2_app/2026/11/22/09/task-1/stream/000000.gz`, ACCOUNT_ID)).toBe("Allowed");
    expect(put(`${b}/exports/x`, "999999999999")).toBe("ImplicitlyDenied");
    expect(put(`${b}/cloudwatch/x`, ACCOUNT_ID)).toBe("ImplicitlyDenied");
    // ... and in firehose mode it may not write at all.
    expect(
      simulate({
        principal: "logs.cn-north-1.amazonaws.com.cn",
        action: "s3:PutObject",
        resource: `${bucket()}/exports/x`,
        resourcePolicy: bp(),
        context: { "aws:SourceAccount": ACCOUNT_ID, "aws:SourceArn": LOGS_SOURCE },
      }),
    ).toBe("ImplicitlyDenied");
  });

  test("the export Lambda reads and writes its cursor object only", () => {
    const fnRole = roleArn(exportRun, "log-archive-exporter-role");
    const id = [inline(exportRun, "log-archive-exporter-policy")];
    const b = bucketArn(exportRun, "log-archive-archive");
    const p = bucketPolicy(exportRun, "log-archive-archive-policy");
    const s3 = (action: string, resource: string) => simulate({ principal: fnRole, action, resource, identity: id, resourcePolicy: p });
    expect(s3("s3:PutObject", `${b}/state/log-archive/export-cursor.json`)).toBe("Allowed");
    expect(s3("s3:GetObject", `${b}/state/log-archive/export-cursor.json`)).toBe("Allowed");
    expect(s3("s3:GetObject", `${b}/cloudwatch/x`)).toBe("ImplicitlyDenied");
    expect(s3("s3:DeleteObject", `${b}/state/log-archive/export-cursor.json`)).toBe("ImplicitlyDenied");
    expect(
      simulate({ principal: fnRole, action: "logs:CreateExportTask", resource: `arn:aws-cn:logs:cn-north-1:${ACCOUNT_ID}:log-group:/ec2/app`, identity: id }),
    ).toBe("Allowed");
    expect(
      simulate({ principal: fnRole, action: "logs:DeleteLogGroup", resource: `arn:aws-cn:logs:cn-north-1:${ACCOUNT_ID}:log-group:/ec2/app`, identity: id }),
    ).toBe("ImplicitlyDenied");
  });
});
