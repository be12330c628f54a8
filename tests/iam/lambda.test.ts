/**
 * IAM simulation (@cloud-copilot/iam-simulate, partition aws-cn) of the role the Lambda factory
 * (infra/lambda.ts) creates: what it must be allowed to do, on the exact resources, and what it must
 * be denied (other log groups, deletes, IAM, KMS administration). The suite fails when the role gains
 * or loses a permission. Every role of both stacks is simulated in tests/iam/roles.test.ts.
 */
import { InlineLambda } from "../../infra/lambda";
import { customerManagedKey, cloudWatchLogsKeyStatement } from "../../infra/kms";
import type { ResourceRecord } from "../../tools/types";
import { ACCOUNT_ID, outputValue, settle, useMocks } from "../helpers/pulumi";
import { decide, isAllowed, rolePolicies, PolicyDoc } from "../helpers/iam-sim";

const REGION = "cn-north-1";
const OTHER_ACCOUNT = "210987654321";

describe("the Lambda factory's role (infra/lambda.ts)", () => {
  let records: ResourceRecord[];
  let role: ResourceRecord;
  let identity: Record<string, PolicyDoc>;
  let keyPolicy: PolicyDoc;
  let logGroupArn: string;
  let keyArn: string;
  let roleArn: string;
  const dataBucket = "arn:aws-cn:s3:::audit-archive";

  beforeAll(async () => {
    const mocks = await useMocks(REGION);
    const key = customerManagedKey("logs-key", { description: "test", deletionWindowInDays: 30, statements: [cloudWatchLogsKeyStatement(REGION)] }, {});
    const fn = new InlineLambda("downloader", {
      stack: REGION,
      description: "test function",
      callbackFactory: () => async () => "ok",
      statements: [{ Sid: "WriteAuditLogs", Effect: "Allow", Action: ["s3:PutObject"], Resource: [`${dataBucket}/audit-logs/*`] }],
      logKeyArn: key.arn,
      logRetentionDays: 365,
    });
    await outputValue(fn.arn);
    await settle();
    records = mocks.resources;
    role = records.find((r) => r.type === "aws:iam/role:Role" && r.name === "downloader-role")!;
    const logGroup = records.find((r) => r.type === "aws:cloudwatch/logGroup:LogGroup")!;
    const keyRecord = records.find((r) => r.type === "aws:kms/key:Key")!;
    // The harness fills in URNs and property dependencies; under plain mocks, link by name.
    identity = rolePolicies(records, role).documents;
    keyPolicy = keyRecord.inputs.policy;
    logGroupArn = logGroup.state.arn;
    keyArn = keyRecord.state.arn;
    roleArn = role.state.arn;
  });

  const asRole = (action: string, resource: string, context: Record<string, string> = {}, resourcePolicy?: PolicyDoc) =>
    decide({ identityPolicies: identity, resourcePolicy, request: { principal: roleArn, action, resource, context } });

  test("its identity policies are the factory's inline policy and nothing else", () => {
    expect(Object.keys(identity)).toEqual(["RolePolicy:downloader-policy"]);
    expect(rolePolicies(records, role).managedPolicyArns).toEqual([]);
    expect(logGroupArn).toMatch(/^arn:aws-cn:logs:cn-north-1:\d{12}:log-group:/);
  });

  test("is allowed to write its own log group", async () => {
    expect(await asRole("logs:CreateLogStream", `${logGroupArn}:log-stream:2026/11/22/[$LATEST]abc`)).toBe("Allowed");
    expect(await asRole("logs:PutLogEvents", `${logGroupArn}:log-stream:2026/11/22/[$LATEST]abc`)).toBe("Allowed");
  });

  test("is allowed exactly the statements its caller passed, on the exact resources", async () => {
    expect(await asRole("s3:PutObject", `${dataBucket}/audit-logs/db-1/audit.log`)).toBe("Allowed");
    expect(await asRole("s3:PutObject", `${dataBucket}/cloudtrail/x.json.gz`)).toBe("ImplicitlyDenied");
    expect(await asRole("s3:PutObject", "arn:aws-cn:s3:::another-bucket/audit-logs/x")).toBe("ImplicitlyDenied");
    expect(await asRole("s3:DeleteObject", `${dataBucket}/audit-logs/db-1/audit.log`)).toBe("ImplicitlyDenied");
    expect(await asRole("s3:DeleteBucket", dataBucket)).toBe("ImplicitlyDenied");
  });

  test("is denied other log groups and deleting its own", async () => {
    const other = logGroupArn.replace(/log-group:.*$/, "log-group:/aws/lambda/someone-else");
    expect(await asRole("logs:PutLogEvents", `${other}:log-stream:x`)).toBe("ImplicitlyDenied");
    expect(await asRole("logs:CreateLogStream", `${other}:log-stream:x`)).toBe("ImplicitlyDenied");
    expect(await asRole("logs:DeleteLogGroup", logGroupArn)).toBe("ImplicitlyDenied");
    expect(await asRole("logs:PutRetentionPolicy", logGroupArn)).toBe("ImplicitlyDenied");
  });

  test("is denied IAM", async () => {
    for (const action of ["iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:PassRole", "iam:UpdateAssumeRolePolicy"]) {
      expect([action, await asRole(action, roleArn)]).toEqual([action, "ImplicitlyDenied"]);
    }
    expect(await asRole("iam:CreateUser", `arn:aws-cn:iam::${ACCOUNT_ID}:user/x`)).toBe("ImplicitlyDenied");
  });

  test("is denied KMS administration and direct use of the log key (the key policy delegates to IAM)", async () => {
    for (const action of ["kms:ScheduleKeyDeletion", "kms:PutKeyPolicy", "kms:DisableKey", "kms:CreateGrant", "kms:Decrypt"]) {
      expect([action, await asRole(action, keyArn, {}, keyPolicy)]).toEqual([action, "ImplicitlyDenied"]);
    }
  });

  test("its trust policy lets only Lambda assume it, only for this account", async () => {
    const trust = role.inputs.assumeRolePolicy;
    const assume = (principal: string, context: Record<string, string>) =>
      isAllowed({ resourcePolicy: trust, request: { principal, action: "sts:AssumeRole", resource: roleArn, context } });
    expect(await assume("lambda.amazonaws.com", { "aws:SourceAccount": ACCOUNT_ID })).toBe(true);
    expect(await assume("lambda.amazonaws.com", { "aws:SourceAccount": OTHER_ACCOUNT })).toBe(false);
    expect(await assume("lambda.amazonaws.com", {})).toBe(false);
    expect(await assume("ec2.amazonaws.com.cn", { "aws:SourceAccount": ACCOUNT_ID })).toBe(false);
    expect(await assume(`arn:aws-cn:iam::${OTHER_ACCOUNT}:root`, {})).toBe(false);
  });

  // CloudWatch Logs' use of the log key is guarded by a kms:EncryptionContext:aws:logs:arn
  // condition, which the simulator cannot evaluate (iam-sim refuses; see iam-sim.test.ts). The
  // condition itself is asserted in tests/stacks/stacks.test.ts and by iam-policy-service-principal-confused-deputy.
});
