/**
 * IAM simulation (aws-cn) of the audit-log pipeline's roles: each may do its job on its own
 * resources and nothing next to it (other prefixes, other keys, deletes, the other roles' calls).
 */
import { runStack, type StackRun } from "../../tools/harness";
import { ALL_OPTIONS, runVariant, variant } from "../../tools/variants";
import type { ResourceRecord } from "../../tools/types";
import { ACCOUNT_ID } from "../helpers/pulumi";
import { simulateAsRole } from "../helpers/iam-sim";

// The explicit archive of the variant with every option on, so both runs below share it.
const ALL = variant(ALL_OPTIONS);
const { archiveBucketName: BUCKET, archiveKmsKeyArn: ARCHIVE_KEY } = ALL.config!.auditLogPipeline as { archiveBucketName: string; archiveKmsKeyArn: string };
const OTHER_KEY = `arn:aws-cn:kms:cn-north-1:${ACCOUNT_ID}:key/99999999-1111-2222-3333-444444444444`;
const DB = `arn:aws-cn:rds:cn-north-1:${ACCOUNT_ID}:db:aurora-a-1`;

let run: StackRun;
const byName = (type: string, name: string): ResourceRecord => run.resources.find((r) => r.type === type && r.name === name)!;
const role = (n: string) => byName("aws:iam/role:Role", n);

/** A key policy that delegates to the account's IAM policies (as infra/kms.ts and LogArchive's key do). */
const DELEGATING_KEY_POLICY = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws-cn:iam::${ACCOUNT_ID}:root` }, Action: "kms:*", Resource: "*" }],
};

async function as(roleName: string, action: string, resource: string, context: Record<string, string> = {}): Promise<string> {
  // KMS decides with the key policy too: the pipeline's own key's recorded policy, else a delegating one.
  const pipelineKey = byName("aws:kms/key:Key", "audit-log-key");
  const resourcePolicy = resource.startsWith("arn:aws-cn:kms:")
    ? resource === pipelineKey.state.arn
      ? pipelineKey.inputs.policy
      : DELEGATING_KEY_POLICY
    : undefined;
  const r = await simulateAsRole(run.resources, role(roleName), { action, resource, context }, { resourcePolicy });
  return r.decision;
}

/** Expects each [action, resource, context?] to get `decision`; reports the ones that do not. */
async function expectAll(roleName: string, decision: string, cases: [string, string, Record<string, string>?][]): Promise<void> {
  const got = await Promise.all(cases.map(async ([a, r, c]) => [a, r, await as(roleName, a, r, c ?? {})]));
  expect(got.filter(([, , d]) => d !== decision)).toEqual([]);
}

const RUNS: [string, () => Promise<StackRun>][] = [
  [
    "the stack file with an explicit archive",
    () => runStack("cn-north-1", { config: { auditLogPipeline: { enabled: true, archiveBucketName: BUCKET, archiveKmsKeyArn: ARCHIVE_KEY } } }),
  ],
  [`the "${ALL_OPTIONS}" variant (functions in the lab VPC, cross-account)`, () => runVariant("cn-north-1", ALL)],
];

describe.each(RUNS)("audit-log pipeline roles under IAM simulation: %s", (_label, start) => {
  beforeAll(async () => {
    run = await start();
  }, 300000);

  const table = () => byName("aws:dynamodb/table:Table", "audit-log-files").state;
  const queue = () => byName("aws:sqs/queue:Queue", "audit-log-instances").state.arn as string;
  const dlq = () => byName("aws:sqs/queue:Queue", "audit-log-dlq").state.arn as string;
  const key = () => byName("aws:kms/key:Key", "audit-log-key").state.arn as string;
  const via = (svc: string) => ({ "kms:ViaService": `${svc}.cn-north-1.amazonaws.com.cn` });

  test("downloader: writes only audit-logs/ objects, uses only the archive key through S3, downloads logs, records backups", async () => {
    const obj = `arn:aws-cn:s3:::${BUCKET}/audit-logs/aurora-a-1/audit/audit.log.0`;
    await expectAll("audit-log-downloader-role", "Allowed", [
      ["s3:PutObject", obj],
      ["s3:AbortMultipartUpload", obj],
      ["kms:GenerateDataKey", ARCHIVE_KEY, via("s3")],
      ["kms:Decrypt", ARCHIVE_KEY, via("s3")],
      ["rds:DownloadCompleteDBLogFile", DB],
      ["rds:DownloadDBLogFilePortion", DB],
      ["rds:DescribeDBLogFiles", DB],
      ["dynamodb:GetItem", table().arn],
      ["dynamodb:UpdateItem", table().arn],
      ["dynamodb:GetRecords", table().streamArn],
      ["sqs:SendMessage", dlq()],
    ]);
    await expectAll("audit-log-downloader-role", "ImplicitlyDenied", [
      ["s3:PutObject", `arn:aws-cn:s3:::${BUCKET}/cloudtrail/AWSLogs/x.json.gz`],
      ["s3:PutObject", `arn:aws-cn:s3:::another-bucket/audit-logs/x`],
      ["s3:GetObject", obj],
      ["s3:DeleteObject", obj],
      ["s3:DeleteObjectVersion", obj],
      ["kms:GenerateDataKey", ARCHIVE_KEY],
      ["kms:GenerateDataKey", OTHER_KEY, via("s3")],
      ["kms:ScheduleKeyDeletion", ARCHIVE_KEY],
      ["rds:DeleteDBInstance", DB],
      ["dynamodb:PutItem", table().arn],
      ["dynamodb:DeleteItem", table().arn],
      ["dynamodb:Scan", table().arn],
      ["sqs:SendMessage", queue()],
    ]);
  });

  test("detector: lists log files, tracks them in the table, consumes its queue; cannot download or delete", async () => {
    await expectAll("audit-log-detector-role", "Allowed", [
      ["rds:DescribeDBLogFiles", DB],
      ["dynamodb:BatchGetItem", table().arn],
      ["dynamodb:UpdateItem", table().arn],
      ["dynamodb:Query", `${table().arn}/index/PendingSince`],
      ["sqs:ReceiveMessage", queue()],
      ["sqs:DeleteMessage", queue()],
      ["kms:Decrypt", key(), via("sqs")],
      ["kms:GenerateDataKey", key(), via("dynamodb")],
    ]);
    await expectAll("audit-log-detector-role", "ImplicitlyDenied", [
      ["rds:DownloadDBLogFilePortion", DB],
      ["rds:DownloadCompleteDBLogFile", DB],
      ["dynamodb:DeleteItem", table().arn],
      ["dynamodb:Query", table().arn],
      ["sqs:SendMessage", queue()],
      ["sqs:DeleteMessage", dlq()],
      ["kms:Decrypt", key()],
      ["s3:PutObject", `arn:aws-cn:s3:::${BUCKET}/audit-logs/x`],
    ]);
  });

  test("scanner: describes instances, clusters and parameters, queues messages; nothing else", async () => {
    await expectAll("audit-log-scanner-role", "Allowed", [
      ["rds:DescribeDBInstances", DB],
      ["rds:DescribeDBClusters", `arn:aws-cn:rds:cn-north-1:${ACCOUNT_ID}:cluster:aurora-a`],
      ["rds:DescribeDBClusterParameters", `arn:aws-cn:rds:cn-north-1:${ACCOUNT_ID}:cluster-pg:audit-on`],
      ["sqs:SendMessage", queue()],
      ["kms:GenerateDataKey", key(), via("sqs")],
    ]);
    await expectAll("audit-log-scanner-role", "ImplicitlyDenied", [
      ["rds:ModifyDBClusterParameterGroup", `arn:aws-cn:rds:cn-north-1:${ACCOUNT_ID}:cluster-pg:audit-on`],
      ["rds:DescribeDBLogFiles", DB],
      ["sqs:SendMessage", dlq()],
      ["dynamodb:UpdateItem", table().arn],
      ["kms:GenerateDataKey", key(), via("dynamodb")],
    ]);
  });

  test("scheduler role: invokes the scanner and nothing else", async () => {
    const fn = (n: string) => byName("aws:lambda/function:Function", n).state.arn as string;
    expect(await as("audit-log-scheduler-role", "lambda:InvokeFunction", fn("audit-log-scanner"))).toBe("Allowed");
    expect(await as("audit-log-scheduler-role", "lambda:InvokeFunction", fn("audit-log-downloader"))).toBe("ImplicitlyDenied");
    expect(await as("audit-log-scheduler-role", "lambda:UpdateFunctionCode", fn("audit-log-scanner"))).toBe("ImplicitlyDenied");
  });
});
