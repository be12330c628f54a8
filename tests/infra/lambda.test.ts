import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { S3Client } from "@aws-sdk/client-s3";
import { InlineLambda } from "../../infra/lambda";
import { ACCOUNT_ID, artifactOf, loadHandler, outputValue, policyOf, settle, useMocks } from "../helpers/pulumi";
import { requiredModules, unavailableInRuntime } from "../../tools/serialized";
import { formatGreeting } from "../fixtures/lambda-logic";

const LOG_KEY_ARN = `arn:aws-cn:kms:cn-north-1:${ACCOUNT_ID}:key/11111111-2222-3333-4444-555555555555`;

describe("InlineLambda (infra/lambda.ts)", () => {
  let mocks: Awaited<ReturnType<typeof useMocks>>;
  let fn: InlineLambda<{ name: string }, { greeting: string; sdkClient: string; prefix: string | undefined }>;

  beforeAll(async () => {
    mocks = await useMocks("cn-north-1");
    fn = new InlineLambda("greeter", {
      // Not the running stack's name (cn-north-1): the log group is named from the Args alone.
      stack: "args-stack",
      description: "test handler",
      callbackFactory: () => {
        // Built once per container, as the factory's doc says.
        const s3 = new S3Client({ region: "cn-north-1" });
        const prefix = process.env.GREETING_PREFIX;
        return async (event: { name: string }) => ({
          greeting: formatGreeting(prefix ?? "Hello", event.name),
          sdkClient: s3.constructor.name,
          prefix,
        });
      },
      statements: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws-cn:s3:::some-bucket/some/prefix/*"] }],
      logKeyArn: LOG_KEY_ARN,
      logRetentionDays: 365,
      environment: { GREETING_PREFIX: "Ni hao" },
      memorySize: 512,
      timeout: 30,
      reservedConcurrency: 3,
      asyncFailure: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600, onFailureQueueArn: `arn:aws-cn:sqs:cn-north-1:${ACCOUNT_ID}:errors` },
    });
    await outputValue(fn.arn);
    await settle();
  });

  const find = (type: string) => {
    const found = mocks.resources.filter((r) => r.type === type);
    expect(found).toHaveLength(1);
    return found[0];
  };

  test("runs nodejs22.x on arm64 with the configured size, timeout, concurrency and no X-Ray", () => {
    const f = find("aws:lambda/function:Function");
    expect(f.inputs.runtime).toBe("nodejs22.x");
    expect(f.inputs.architectures).toEqual(["arm64"]);
    expect(f.inputs.memorySize).toBe(512);
    expect(f.inputs.timeout).toBe(30);
    expect(f.inputs.reservedConcurrentExecutions).toBe(3);
    expect(f.inputs.tracingConfig).toBeUndefined();
    expect(f.inputs.handler).toBe("__index.handler");
    expect(f.inputs.environment.variables).toEqual({ GREETING_PREFIX: "Ni hao" });
  });

  test("uses its own role whose trust is the Lambda principal from getServicePrincipal, scoped by aws:SourceAccount", () => {
    const role = find("aws:iam/role:Role");
    const trust = policyOf(role, "assumeRolePolicy");
    expect(trust.Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "lambda.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID } },
      },
    ]);
    const sp = mocks.invokes.find((i) => i.token === "aws:index/getServicePrincipal:getServicePrincipal" && i.args.serviceName === "lambda");
    expect(sp).toBeDefined();
    const f = find("aws:lambda/function:Function");
    expect(f.inputs.role).toBe(`arn:aws-cn:iam::${ACCOUNT_ID}:role/${role.state.name}`);
    // No managed policy attachments: CallbackFunction's default role (nine FullAccess policies) is never used.
    expect(mocks.resources.filter((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment")).toHaveLength(0);
  });

  test("inline policy is exactly the caller's statements plus its own log group and its on-failure queue", () => {
    const policy = policyOf(find("aws:iam/rolePolicy:RolePolicy"));
    const logGroup = find("aws:cloudwatch/logGroup:LogGroup");
    expect(policy.Statement).toEqual([
      { Sid: "WriteOwnLogGroup", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [`${logGroup.state.arn}:*`] },
      { Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws-cn:s3:::some-bucket/some/prefix/*"] },
      { Sid: "SendFailedEventsToOnFailureQueue", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [`arn:aws-cn:sqs:cn-north-1:${ACCOUNT_ID}:errors`] },
    ]);
  });

  test("logs to its own KMS-encrypted log group with retention, in JSON, through loggingConfig", () => {
    const logGroup = find("aws:cloudwatch/logGroup:LogGroup");
    expect(logGroup.inputs.kmsKeyId).toBe(LOG_KEY_ARN);
    expect(logGroup.inputs.retentionInDays).toBe(365);
    expect(logGroup.inputs.name).toBe("/cn-log-backup/args-stack/lambda/greeter");
    const f = find("aws:lambda/function:Function");
    expect(f.inputs.loggingConfig).toEqual({ logFormat: "JSON", logGroup: logGroup.inputs.name, applicationLogLevel: "INFO", systemLogLevel: "WARN" });
  });

  test("async invocations have bounded retries and an on-failure destination", () => {
    const cfg = find("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig");
    expect(cfg.inputs.maximumRetryAttempts).toBe(2);
    expect(cfg.inputs.maximumEventAgeInSeconds).toBe(3600);
    expect(cfg.inputs.destinationConfig.onFailure.destination).toBe(`arn:aws-cn:sqs:cn-north-1:${ACCOUNT_ID}:errors`);
  });

  test("the artifact is the handler alone: no node_modules, no @aws-sdk or @pulumi, under 64 KiB", async () => {
    const artifact = await artifactOf(fn.code);
    expect(artifact.entries.map((e) => e.path)).toEqual(["__index.js"]);
    expect(artifact.totalBytes).toBeLessThan(64 * 1024);
    // The SDK is required from the runtime (Pulumi writes the package's main file path).
    expect(requiredModules(artifact.indexJs)).toEqual(["@aws-sdk/client-s3/dist-cjs/index.js"]);
    expect(unavailableInRuntime(artifact.indexJs)).toEqual([]);
    expect(artifact.entries.some((e) => /node_modules\/(@aws-sdk|@pulumi)/.test(e.path))).toBe(false);
  });

  test("the serialized handler, loaded and invoked, returns what the callback returns", async () => {
    const handler = await loadHandler(fn, { GREETING_PREFIX: "Ni hao" });
    await expect(handler({ name: "Ningxia" })).resolves.toEqual({ greeting: "Ni hao, Ningxia!", sdkClient: "S3Client", prefix: "Ni hao" });
  });

  test("allowInvoke grants a service from one source ARN in this account only", async () => {
    const perm = fn.allowInvoke("greeter-from-events", { service: "events", sourceArn: `arn:aws-cn:events:cn-north-1:${ACCOUNT_ID}:rule/x` });
    await outputValue(perm.id);
    await settle();
    const p = find("aws:lambda/permission:Permission");
    expect(p.inputs.principal).toBe("events.amazonaws.com");
    expect(p.inputs.sourceArn).toBe(`arn:aws-cn:events:cn-north-1:${ACCOUNT_ID}:rule/x`);
    expect(p.inputs.sourceAccount).toBe(ACCOUNT_ID);
  });
});

describe("InlineLambda in a VPC", () => {
  test("gains only the ENI permissions, scoped to this account's and region's ARNs", async () => {
    const mocks = await useMocks("cn-north-1");
    const fn = new InlineLambda("in-vpc", {
      stack: "cn-north-1",
      description: "vpc test",
      callbackFactory: () => async () => "ok",
      statements: [],
      logKeyArn: LOG_KEY_ARN,
      logRetentionDays: 30,
      vpc: { subnetIds: ["subnet-0123456789abcdef0"], securityGroupIds: ["sg-0123456789abcdef0"] },
    });
    await outputValue(fn.arn);
    await settle();
    const f = mocks.resources.find((r) => r.type === "aws:lambda/function:Function")!;
    expect(f.inputs.vpcConfig).toEqual({ subnetIds: ["subnet-0123456789abcdef0"], securityGroupIds: ["sg-0123456789abcdef0"] });
    const policy = policyOf(mocks.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy")!);
    const manage = policy.Statement.find((s: any) => s.Sid === "ManageNetworkInterfacesInThisAccountAndRegion");
    expect(manage.Resource).toEqual([
      `arn:aws-cn:ec2:cn-north-1:${ACCOUNT_ID}:network-interface/*`,
      `arn:aws-cn:ec2:cn-north-1:${ACCOUNT_ID}:subnet/*`,
      `arn:aws-cn:ec2:cn-north-1:${ACCOUNT_ID}:security-group/*`,
    ]);
    void aws;
    void pulumi;
  });
});

describe("runtime requires", () => {
  test("flags a package the Lambda runtime does not provide, accepts built-ins and the AWS SDK", () => {
    const js =
      'const a = require("fs"); const b = require("node:crypto"); const c = require("@aws-sdk/client-rds/dist-cjs/index.js"); const d = require("lodash");';
    expect(unavailableInRuntime(js)).toEqual(["lodash"]);
  });
});
