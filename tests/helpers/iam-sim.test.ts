/** The IAM simulation helper, proven in partition aws-cn. */
import { ResourceRecord } from "../../tools/types";
import { accountOf, decide, isAllowed, rolePolicies, simulate, simulateAsRole } from "./iam-sim";

const A = "111122223333";
const OTHER = "444455556666";
const ROLE = `arn:aws-cn:iam::${A}:role/fn-role`;
const SESSION = `arn:aws-cn:sts::${A}:assumed-role/fn-role/fn`;
const KEY = `arn:aws-cn:kms:cn-north-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const LOG_GROUP = `arn:aws-cn:logs:cn-north-1:${A}:log-group:/aws/lambda/fn`;

const doc = (...Statement: any[]) => ({ Version: "2012-10-17", Statement });
const logsPolicy = doc({ Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${LOG_GROUP}:*` });

describe("simulate (aws-cn)", () => {
  it("allows what an identity policy grants on arn:aws-cn resources and implicitly denies the rest", async () => {
    const ok = await simulate({
      identityPolicies: [logsPolicy],
      request: { principal: ROLE, action: "logs:PutLogEvents", resource: `${LOG_GROUP}:log-stream:2026/01/01` },
    });
    expect(ok.decision).toBe("Allowed");
    expect(ok.allowed).toBe(true);
    expect(
      await decide({
        identityPolicies: [logsPolicy],
        request: { principal: ROLE, action: "logs:PutLogEvents", resource: `arn:aws-cn:logs:cn-north-1:${A}:log-group:/aws/lambda/other:log-stream:x` },
      }),
    ).toBe("ImplicitlyDenied");
    expect(await decide({ identityPolicies: [logsPolicy], request: { principal: ROLE, action: "logs:DeleteLogGroup", resource: LOG_GROUP } })).toBe(
      "ImplicitlyDenied",
    );
  });

  it("does not let an aws-cn policy match an aws-partition ARN, nor an aws policy match aws-cn", async () => {
    expect(
      await isAllowed({
        identityPolicies: [logsPolicy],
        request: { principal: ROLE, action: "logs:PutLogEvents", resource: `arn:aws:logs:cn-north-1:${A}:log-group:/aws/lambda/fn:log-stream:x` },
      }),
    ).toBe(false);
    const globalPolicy = doc({ Effect: "Allow", Action: "logs:PutLogEvents", Resource: `arn:aws:logs:cn-north-1:${A}:log-group:/aws/lambda/fn:*` });
    expect(
      await isAllowed({ identityPolicies: [globalPolicy], request: { principal: ROLE, action: "logs:PutLogEvents", resource: `${LOG_GROUP}:log-stream:x` } }),
    ).toBe(false);
  });

  it("accepts identity policies as JSON strings or by name, and an assumed-role session principal", async () => {
    expect(
      await isAllowed({
        identityPolicies: { logs: JSON.stringify(logsPolicy) },
        request: { principal: SESSION, action: "logs:CreateLogStream", resource: `${LOG_GROUP}:log-stream:x` },
      }),
    ).toBe(true);
  });

  it("evaluates a role trust policy for a service principal with aws:SourceAccount", async () => {
    const trust = doc({
      Effect: "Allow",
      Principal: { Service: "lambda.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "aws:SourceAccount": A } },
    });
    const req = (ctx: Record<string, string>) => ({
      resourcePolicy: trust,
      request: { principal: "lambda.amazonaws.com", action: "sts:AssumeRole", resource: ROLE, context: ctx },
    });
    expect(await isAllowed(req({ "aws:SourceAccount": A }))).toBe(true);
    expect(await isAllowed(req({ "aws:SourceAccount": OTHER }))).toBe(false);
    expect(await isAllowed(req({}))).toBe(false);
  });

  it("evaluates a bucket policy that denies insecure transport (explicit deny beats the identity allow)", async () => {
    const put = doc({ Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws-cn:s3:::archive/audit-logs/*" });
    const bucketPolicy = doc({
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: ["arn:aws-cn:s3:::archive", "arn:aws-cn:s3:::archive/*"],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    const req = (secure: string, key = "audit-logs/db-1/audit.log") => ({
      identityPolicies: [put],
      resourcePolicy: bucketPolicy,
      request: {
        principal: ROLE,
        action: "s3:PutObject",
        resource: `arn:aws-cn:s3:::archive/${key}`,
        resourceAccount: A,
        context: { "aws:SecureTransport": secure },
      },
    });
    expect(await decide(req("true"))).toBe("Allowed");
    expect(await decide(req("false"))).toBe("ExplicitlyDenied");
    expect(await decide(req("true", "cloudtrail/x.json.gz"))).toBe("ImplicitlyDenied");
  });

  it("evaluates kms:ViaService on a key whose policy delegates to the account (and denies key administration)", async () => {
    const keyPolicy = doc({ Effect: "Allow", Principal: { AWS: `arn:aws-cn:iam::${A}:root` }, Action: "kms:*", Resource: "*" });
    const use = doc({
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: KEY,
      Condition: { StringEquals: { "kms:ViaService": "s3.cn-north-1.amazonaws.com.cn" } },
    });
    const req = (action: string, ctx: Record<string, string> = {}) => ({
      identityPolicies: [use],
      resourcePolicy: keyPolicy,
      request: { principal: ROLE, action, resource: KEY, context: ctx },
    });
    expect(await isAllowed(req("kms:GenerateDataKey", { "kms:ViaService": "s3.cn-north-1.amazonaws.com.cn" }))).toBe(true);
    expect(await isAllowed(req("kms:GenerateDataKey", { "kms:ViaService": "sqs.cn-north-1.amazonaws.com.cn" }))).toBe(false);
    expect(await isAllowed(req("kms:ScheduleKeyDeletion"))).toBe(false);
    expect(await isAllowed(req("kms:PutKeyPolicy"))).toBe(false);
  });

  it("needs the key policy to grant a principal from another account", async () => {
    const use = doc({ Effect: "Allow", Action: "kms:Decrypt", Resource: KEY });
    const otherRole = `arn:aws-cn:iam::${OTHER}:role/copier`;
    const rootOnly = doc({ Effect: "Allow", Principal: { AWS: `arn:aws-cn:iam::${A}:root` }, Action: "kms:*", Resource: "*" });
    const grantsOther = doc(...rootOnly.Statement, {
      Effect: "Allow",
      Principal: { AWS: `arn:aws-cn:iam::${OTHER}:root` },
      Action: "kms:Decrypt",
      Resource: "*",
    });
    expect(
      await isAllowed({ identityPolicies: [use], resourcePolicy: rootOnly, request: { principal: otherRole, action: "kms:Decrypt", resource: KEY } }),
    ).toBe(false);
    expect(
      await isAllowed({ identityPolicies: [use], resourcePolicy: grantsOther, request: { principal: otherRole, action: "kms:Decrypt", resource: KEY } }),
    ).toBe(true);
  });

  it("evaluates a vault access policy that denies deleting recovery points", async () => {
    const admin = doc({ Effect: "Allow", Action: ["backup:DeleteRecoveryPoint", "backup:DescribeRecoveryPoint"], Resource: "*" });
    const vaultPolicy = doc({ Effect: "Deny", Principal: "*", Action: ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"], Resource: "*" });
    const rp = `arn:aws-cn:backup:cn-northwest-1:${A}:recovery-point:abc`;
    expect(
      await decide({
        identityPolicies: [admin],
        resourcePolicy: vaultPolicy,
        request: { principal: ROLE, action: "backup:DeleteRecoveryPoint", resource: rp },
      }),
    ).toBe("ExplicitlyDenied");
    expect(
      await decide({
        identityPolicies: [admin],
        resourcePolicy: vaultPolicy,
        request: { principal: ROLE, action: "backup:DescribeRecoveryPoint", resource: rp },
      }),
    ).toBe("Allowed");
  });

  it("refuses an object document with an unknown (preview) leaf instead of simulating a different policy", async () => {
    // What the harness records in preview for an ARN not known yet (infra/iam.ts policyDocument).
    class Unknown {}
    const previewPolicy = doc({ Effect: "Allow", Action: ["logs:PutLogEvents"], Resource: [new Unknown()] });
    await expect(
      simulate({ identityPolicies: [previewPolicy], request: { principal: ROLE, action: "logs:PutLogEvents", resource: `${LOG_GROUP}:log-stream:x` } }),
    ).rejects.toThrow(/iam-sim: the policy document has a value at \.Statement\[0\]\.Resource\[0\] that is not plain data/);
  });

  it("throws on an action that does not exist instead of reporting a denial", async () => {
    await expect(
      simulate({ identityPolicies: [logsPolicy], request: { principal: ROLE, action: "logs:PutLogEvent", resource: `${LOG_GROUP}:log-stream:x` } }),
    ).rejects.toThrow(/iam-sim: invalid simulation of logs:PutLogEvent/);
  });

  it("refuses to answer when the simulator drops a context key, instead of a misleading decision", async () => {
    const keyPolicy = doc({
      Effect: "Allow",
      Principal: { Service: "logs.cn-north-1.amazonaws.com.cn" },
      Action: "kms:GenerateDataKey*",
      Resource: "*",
      Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws-cn:logs:cn-north-1:${A}:log-group:*` } },
    });
    const input = {
      resourcePolicy: keyPolicy,
      request: {
        principal: "logs.cn-north-1.amazonaws.com.cn",
        action: "kms:GenerateDataKey",
        resource: KEY,
        context: { "kms:EncryptionContext:aws:logs:arn": `${LOG_GROUP}` },
      },
    };
    await expect(simulate(input)).rejects.toThrow("iam-sim: the simulator ignored context key(s) kms:EncryptionContext:aws:logs:arn for kms:GenerateDataKey");
    const lenient = await simulate({ ...input, allowIgnoredContextKeys: true });
    expect(lenient.ignoredContextKeys).toEqual(["kms:EncryptionContext:aws:logs:arn"]);
    expect(lenient.decision).toBe("ImplicitlyDenied");
  });

  it("reads the account from an ARN", () => {
    expect(accountOf(KEY)).toBe(A);
    expect(accountOf("arn:aws-cn:s3:::archive/x")).toBeUndefined();
  });
});

describe("rolePolicies", () => {
  const rec = (type: string, name: string, inputs: any, extras: Partial<ResourceRecord> = {}): ResourceRecord => ({
    type,
    name,
    urn: `urn:pulumi:s::p::${type}::${name}`,
    inputs,
    state: extras.state ?? inputs,
    propertyDependencies: extras.propertyDependencies ?? {},
    custom: true,
  });

  it("collects RolePolicy documents pointing at the role (by dependency or name), inline policies and attachments", () => {
    const role = rec("aws:iam/role:Role", "fn-role", { inlinePolicies: [{ name: "extra", policy: "{}" }] }, { state: { name: "fn-role-123", arn: ROLE } });
    const byDep = rec("aws:iam/rolePolicy:RolePolicy", "fn-policy", { role: undefined, policy: logsPolicy }, { propertyDependencies: { role: [role.urn] } });
    const byName = rec("aws:iam/rolePolicy:RolePolicy", "by-name", { role: "fn-role-123", policy: "{}" });
    const other = rec("aws:iam/rolePolicy:RolePolicy", "other", { role: "someone-else", policy: "{}" });
    const managed = rec("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "ssm", {
      role: "fn-role-123",
      policyArn: "arn:aws-cn:iam::aws:policy/AmazonSSMManagedInstanceCore",
    });
    const result = rolePolicies([role, byDep, byName, other, managed], role);
    expect(Object.keys(result.documents).sort()).toEqual(["RolePolicy:by-name", "RolePolicy:fn-policy", "inline:extra"]);
    expect(result.documents["RolePolicy:fn-policy"]).toBe(logsPolicy);
    expect(result.managedPolicyArns).toEqual(["arn:aws-cn:iam::aws:policy/AmazonSSMManagedInstanceCore"]);
  });

  it("simulates as a recorded role, refusing roles with managed policies it cannot evaluate", async () => {
    const role = rec("aws:iam/role:Role", "fn-role", {}, { state: { name: "fn-role-123", arn: ROLE } });
    const policy = rec("aws:iam/rolePolicy:RolePolicy", "fn-policy", { role: "fn-role-123", policy: JSON.stringify(logsPolicy) });
    const records = [role, policy];
    expect((await simulateAsRole(records, role, { action: "logs:PutLogEvents", resource: `${LOG_GROUP}:log-stream:x` })).decision).toBe("Allowed");
    expect((await simulateAsRole(records, role, { action: "logs:DeleteLogGroup", resource: LOG_GROUP })).decision).toBe("ImplicitlyDenied");
    const managed = rec("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "ssm", {
      role: "fn-role-123",
      policyArn: "arn:aws-cn:iam::aws:policy/AmazonSSMManagedInstanceCore",
    });
    await expect(simulateAsRole([...records, managed], role, { action: "logs:PutLogEvents", resource: `${LOG_GROUP}:log-stream:x` })).rejects.toThrow(
      "iam-sim: role fn-role has managed policies attached (arn:aws-cn:iam::aws:policy/AmazonSSMManagedInstanceCore), which cannot be simulated offline",
    );
  });
});
