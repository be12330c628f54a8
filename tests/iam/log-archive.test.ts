/**
 * LogArchive's roles and bucket/key policies, taken from the stacks as deployed under mocks, evaluated
 * by an IAM simulator (@cloud-copilot/iam-simulate): each principal may do exactly what it needs on
 * the exact ARNs, and is denied deletes, other prefixes, other buckets and other keys.
 *
 * The simulator's validating entry point drops `kms:EncryptionContext:<key>` context keys (its
 * variable-key matcher only knows `/` variables), so requests go straight to its core `authorize`,
 * with every context key given explicitly.
 */
import * as path from "path";
import { ACCOUNT_ID, one, policyOf, runStack } from "../helpers/pulumi";
import type { StackRun } from "../../tools/harness";

const simDir = path.dirname(require.resolve("@cloud-copilot/iam-simulate"));
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { authorize } = require(path.join(simDir, "core_engine/CoreSimulatorEngine.js"));
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { RequestContextImpl } = require(path.join(simDir, "requestContext.js"));
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { AwsRequestImpl } = require(path.join(simDir, "request/request.js"));
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { DiscoveryContextKeyConstraints } = require(path.join(simDir, "context_keys/discoveryContextKeyConstraints.js"));
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { loadPolicy } = require("@cloud-copilot/iam-policy");

type Decision = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";

interface Req {
  principal: string;
  action: string;
  resource: string;
  /** Account that owns the resource. */
  resourceAccount?: string;
  identity?: object[];
  resourcePolicy?: object;
  context?: Record<string, string | string[]>;
}

/**
 * The simulator recognises a service principal only by the `.amazonaws.com` suffix, so China's
 * regional `logs.<region>.amazonaws.com.cn` is mapped to `...amazonaws.com` on both sides (policy
 * `Principal.Service` entries and the request principal); conditions are left untouched.
 */
function chinaServiceForSimulator(s: string): string {
  return s.endsWith(".amazonaws.com.cn") ? s.slice(0, -3) : s;
}
function mapServicePrincipals(policy: any): any {
  const copy = JSON.parse(JSON.stringify(policy));
  for (const st of [copy.Statement].flat()) {
    const svc = st?.Principal?.Service;
    if (svc !== undefined) st.Principal.Service = Array.isArray(svc) ? svc.map(chinaServiceForSimulator) : chinaServiceForSimulator(svc);
  }
  return copy;
}

function simulate(r: Req): Decision {
  const context = { "aws:SecureTransport": "true", ...(r.context ?? {}) };
  const analysis = authorize({
    request: new AwsRequestImpl(
      chinaServiceForSimulator(r.principal),
      { resource: r.resource, accountId: r.resourceAccount ?? ACCOUNT_ID },
      r.action,
      new RequestContextImpl(context),
    ),
    sessionPolicy: undefined,
    identityPolicies: (r.identity ?? []).map((p, i) => loadPolicy(p, { name: `identity${i}` })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: r.resourcePolicy ? loadPolicy(mapServicePrincipals(r.resourcePolicy), { name: "resource" }) : undefined,
    permissionBoundaries: undefined,
    vpcEndpointPolicies: undefined,
    simulationParameters: { simulationMode: "Strict", discoveryContextKeyConstraints: new DiscoveryContextKeyConstraints([]) },
    serviceSettings: { s3: { blockPublicAccess: true } },
  });
  return analysis.result as Decision;
}

const OTHER_KEY = `arn:aws-cn:kms:cn-north-1:${ACCOUNT_ID}:key/00000000-0000-0000-0000-000000000000`;
const OTHER_BUCKET = "arn:aws-cn:s3:::someone-elses-bucket";
const S3_BJ = "s3.cn-north-1.amazonaws.com.cn";
const S3_NX = "s3.cn-northwest-1.amazonaws.com.cn";
const LOGS_SOURCE = `arn:aws-cn:logs:cn-north-1:${ACCOUNT_ID}:log-group:/aws/rds/cluster/x/audit:*`;

let primary: StackRun;
let backup: StackRun;
let exportRun: StackRun;
beforeAll(async () => {
  backup = await runStack("cn-northwest-1");
  primary = await runStack("cn-north-1", { config: { logArchive: { flowLogVpcIds: ["vpc-0123456789abcdef0"] } } });
  exportRun = await runStack("cn-north-1", { config: { logArchive: { cloudWatchLogsMode: "exportTask" } } });
});

const res = (run: StackRun, type: string, name: string) => one(run, type, name);
const roleArn = (run: StackRun, name: string) => res(run, "aws:iam/role:Role", name).state.arn as string;
const inline = (run: StackRun, name: string) => policyOf(res(run, "aws:iam/rolePolicy:RolePolicy", name));
const keyPolicy = (run: StackRun, name: string) => policyOf(res(run, "aws:kms/key:Key", name));
const keyArn = (run: StackRun, name: string) => res(run, "aws:kms/key:Key", name).state.arn as string;
const bucketArn = (run: StackRun, name: string) => res(run, "aws:s3/bucket:Bucket", name).state.arn as string;
const bucketPolicy = (run: StackRun, name: string) => policyOf(res(run, "aws:s3/bucketPolicy:BucketPolicy", name));

describe("replication role", () => {
  const role = () => roleArn(primary, "log-archive-replication-role");
  const id = () => [inline(primary, "log-archive-replication-policy")];
  const src = () => bucketArn(primary, "log-archive-archive");
  const dst = () => bucketArn(backup, "log-archive-replica");
  const srcKey = () => keyArn(primary, "log-archive-archive-key");
  const dstKey = () => keyArn(backup, "log-archive-replica-key");
  const onSource = (action: string, resource: string) =>
    simulate({
      principal: role(),
      action,
      resource,
      identity: id(),
      resourcePolicy: bucketPolicy(primary, "log-archive-archive-policy"),
      context: { "aws:PrincipalArn": role() },
    });
  const onReplica = (action: string, resource: string, principal = role(), identity = id()) =>
    simulate({
      principal,
      action,
      resource,
      identity,
      resourcePolicy: bucketPolicy(backup, "log-archive-replica-policy"),
      context: { "aws:PrincipalArn": principal },
    });

  test("reads versions of the source and replicates into the replica", () => {
    expect(onSource("s3:GetReplicationConfiguration", src())).toBe("Allowed");
    expect(onSource("s3:GetObjectVersionForReplication", `${src()}/cloudwatch/logs/x.gz`)).toBe("Allowed");
    expect(onReplica("s3:ReplicateObject", `${dst()}/cloudwatch/logs/x.gz`)).toBe("Allowed");
    expect(onReplica("s3:ReplicateDelete", `${dst()}/cloudwatch/logs/x.gz`)).toBe("Allowed");
  });

  test("is denied deletes, plain writes, and other buckets", () => {
    expect(onSource("s3:DeleteObjectVersion", `${src()}/cloudwatch/logs/x.gz`)).toBe("ExplicitlyDenied");
    expect(onSource("s3:DeleteObject", `${src()}/cloudwatch/logs/x.gz`)).toBe("ImplicitlyDenied");
    expect(onSource("s3:PutObject", `${src()}/cloudwatch/logs/x.gz`)).toBe("ImplicitlyDenied");
    expect(onReplica("s3:DeleteObjectVersion", `${dst()}/x`)).toBe("ExplicitlyDenied");
    expect(onReplica("s3:PutObject", `${dst()}/x`)).toBe("ImplicitlyDenied");
    expect(simulate({ principal: role(), action: "s3:ReplicateObject", resource: `${OTHER_BUCKET}/x`, identity: id() })).toBe("ImplicitlyDenied");
  });

  test("decrypts with the source key only via S3 in cn-north-1, encrypts with the replica key only via S3 in cn-northwest-1", () => {
    const kms = (action: string, key: string, policy: object, via: string, ctx: string) =>
      simulate({
        principal: role(),
        action,
        resource: key,
        identity: id(),
        resourcePolicy: policy,
        context: { "kms:ViaService": via, "kms:EncryptionContext:aws:s3:arn": ctx, "aws:PrincipalArn": role() },
      });
    const srcPolicy = keyPolicy(primary, "log-archive-archive-key");
    const dstPolicy = keyPolicy(backup, "log-archive-replica-key");
    expect(kms("kms:Decrypt", srcKey(), srcPolicy, S3_BJ, src())).toBe("Allowed"); // bucket key context
    expect(kms("kms:Decrypt", srcKey(), srcPolicy, S3_BJ, `${src()}/x`)).toBe("Allowed");
    expect(kms("kms:Decrypt", srcKey(), srcPolicy, S3_NX, src())).toBe("ImplicitlyDenied");
    expect(kms("kms:Decrypt", srcKey(), srcPolicy, "ec2.cn-north-1.amazonaws.com.cn", src())).toBe("ImplicitlyDenied");
    expect(kms("kms:Decrypt", srcKey(), srcPolicy, S3_BJ, OTHER_BUCKET)).toBe("ImplicitlyDenied");
    expect(kms("kms:Encrypt", srcKey(), srcPolicy, S3_BJ, src())).toBe("ImplicitlyDenied");
    expect(kms("kms:GenerateDataKey", dstKey(), dstPolicy, S3_NX, dst())).toBe("Allowed");
    expect(kms("kms:Encrypt", dstKey(), dstPolicy, S3_NX, `${dst()}/x`)).toBe("Allowed");
    expect(kms("kms:Encrypt", dstKey(), dstPolicy, S3_BJ, dst())).toBe("ImplicitlyDenied");
    expect(kms("kms:Decrypt", dstKey(), dstPolicy, S3_NX, dst())).toBe("ImplicitlyDenied");
    expect(kms("kms:Decrypt", OTHER_KEY, srcPolicy, S3_BJ, src())).toBe("ImplicitlyDenied");
    expect(kms("kms:ScheduleKeyDeletion", srcKey(), srcPolicy, S3_BJ, src())).toBe("ImplicitlyDenied");
  });

  test("cross-account: the replica admits the primary account's replication role by name, no other role", async () => {
    const other = "210987654321";
    const xBackup = await runStack("cn-northwest-1", {
      config: { backupAccountId: ACCOUNT_ID, backupEvents: { primaryAccountId: other }, logArchive: { primaryAccountId: other } },
    });
    const dstArn = bucketArn(xBackup, "log-archive-replica");
    const policy = bucketPolicy(xBackup, "log-archive-replica-policy");
    const wide = [{ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] }];
    const as = (principal: string, action: string) =>
      simulate({
        principal,
        action,
        resource: `${dstArn}/x`,
        identity: wide,
        resourcePolicy: policy,
        context: { "aws:PrincipalArn": principal, "aws:PrincipalAccount": other },
      });
    const good = `arn:aws-cn:iam::${other}:role/cn-log-backup-archive-replication-cn-north-1`;
    expect(as(good, "s3:ReplicateObject")).toBe("Allowed");
    expect(as(`arn:aws-cn:iam::${other}:role/some-other-role`, "s3:ReplicateObject")).toBe("ImplicitlyDenied");
    expect(as(good, "s3:GetObject")).toBe("ImplicitlyDenied");
    expect(as(good, "s3:DeleteObjectVersion")).toBe("ExplicitlyDenied");
    const kp = keyPolicy(xBackup, "log-archive-replica-key");
    const kArn = keyArn(xBackup, "log-archive-replica-key");
    const kms = (principal: string, via: string) =>
      simulate({
        principal,
        action: "kms:GenerateDataKey",
        resource: kArn,
        identity: [{ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "kms:*", Resource: "*" }] }],
        resourcePolicy: kp,
        context: { "aws:PrincipalArn": principal, "kms:ViaService": via },
      });
    expect(kms(good, S3_NX)).toBe("Allowed");
    expect(kms(good, S3_BJ)).toBe("ImplicitlyDenied");
    expect(kms(`arn:aws-cn:iam::${other}:role/some-other-role`, S3_NX)).toBe("ImplicitlyDenied");
  });
});

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
