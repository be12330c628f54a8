/**
 * Issue 12 item 9: permissions trimmed to what the code and the services call, simulated in the
 * cross-account every-option deployment (Lambdas in the lab VPC). That the backup stack runs in its
 * own account there: tests/infra/trimmed-permissions.test.ts.
 */
import { decide, rolePolicies } from "../helpers/iam-sim";
import { one, policyOf } from "../helpers/pulumi";
import type { StackRun } from "../../tools/harness";
import { ALL_OPTIONS, BACKUP_ACCOUNT, runVariant, variant } from "../../tools/variants";

let primary: StackRun;
let backup: StackRun;
beforeAll(async () => {
  backup = await runVariant("cn-northwest-1", variant(ALL_OPTIONS));
  primary = await runVariant("cn-north-1", variant(ALL_OPTIONS));
}, 300000);

const role = (run: StackRun, suffix: string) => one(run, "aws:iam/role:Role", suffix);
const as = async (
  run: StackRun,
  roleSuffix: string,
  action: string,
  resource: string,
  extra: { resourcePolicy?: object; context?: Record<string, string>; resourceAccount?: string } = {},
) => {
  const r = role(run, roleSuffix);
  return decide({
    identityPolicies: rolePolicies(run.resources, r).documents,
    resourcePolicy: extra.resourcePolicy,
    request: { principal: r.state.arn, action, resource, context: extra.context, resourceAccount: extra.resourceAccount },
  });
};

test("the replication role may replicate into the replica, never change its versioning", async () => {
  const replica = one(backup, "aws:s3/bucket:Bucket", "log-archive-replica").state.arn;
  const bucketPolicy = policyOf(one(backup, "aws:s3/bucketPolicy:BucketPolicy", "log-archive-replica-policy"));
  const r = role(primary, "log-archive-replication-role");
  const context = { "aws:SecureTransport": "true", "aws:PrincipalArn": r.state.arn };
  const opts = { resourcePolicy: bucketPolicy, resourceAccount: BACKUP_ACCOUNT, context };
  expect(await as(primary, "log-archive-replication-role", "s3:ReplicateObject", `${replica}/cloudtrail/x.json.gz`, opts)).toBe("Allowed");
  const wide = { ...opts };
  // Even with an identity policy allowing it, the replica's policy no longer admits the call.
  expect(
    await decide({
      identityPolicies: [{ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:PutBucketVersioning", Resource: replica }] }],
      resourcePolicy: wide.resourcePolicy,
      request: { principal: r.state.arn, action: "s3:PutBucketVersioning", resource: replica, resourceAccount: BACKUP_ACCOUNT, context: wide.context },
    }),
  ).toBe("ImplicitlyDenied");
});

test("the detector consumes its queue as the SQS event source mapping does, without changing visibility", async () => {
  const queue = one(primary, "aws:sqs/queue:Queue", "audit-log-instances").state.arn;
  for (const action of ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]) {
    expect([action, await as(primary, "audit-log-detector-role", action, queue)]).toEqual([action, "Allowed"]);
  }
  expect(await as(primary, "audit-log-detector-role", "sqs:ChangeMessageVisibility", queue)).toBe("ImplicitlyDenied");
});

test("the downloader may list the table's streams (ListStreams takes only *) and read its stream", async () => {
  const streamArn = one(primary, "aws:dynamodb/table:Table", "audit-log-files").state.streamArn;
  expect(await as(primary, "audit-log-downloader-role", "dynamodb:ListStreams", "*", { resourceAccount: "123456789012" })).toBe("Allowed");
  expect(await as(primary, "audit-log-downloader-role", "dynamodb:GetRecords", streamArn)).toBe("Allowed");
});

test("functions in a VPC get the network-interface actions of AWSLambdaVPCAccessExecutionRole, not DescribeVpcs/DescribeSecurityGroups", async () => {
  const fn = one(primary, "aws:lambda/function:Function", "audit-log-downloader");
  expect(fn.inputs.vpcConfig?.subnetIds?.length).toBeGreaterThan(0);
  for (const action of ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"]) {
    expect([action, await as(primary, "audit-log-downloader-role", action, "*")]).toEqual([action, "Allowed"]);
  }
  for (const action of ["ec2:DescribeVpcs", "ec2:DescribeSecurityGroups"]) {
    expect([action, await as(primary, "audit-log-downloader-role", action, "*")]).toEqual([action, "ImplicitlyDenied"]);
  }
});
