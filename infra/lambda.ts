/**
 * The one factory for this program's Lambda functions (ARCHITECTURE.md section 6).
 *
 * Each function is a serialized inline callback: `callbackFactory` (SDK clients built once per
 * container) serialized exactly as `aws.lambda.CallbackFunction` serializes it, into a plain
 * `aws.lambda.Function` (the same resource type, so the same URN), on `nodejs22.x` / `arm64`, with:
 * - its own role, trusted by the Lambda principal only on behalf of this account, and an inline
 *   policy made of exactly the statements the caller passes plus writing to its own log group;
 * - its own KMS-encrypted log group with retention, wired through `loggingConfig`, JSON logs;
 * - a package holding the serialized handler and only the packages it requires that the runtime
 *   lacks (`infra/lambda-packages.ts`: the runtime provides our SDK clients and their dependency
 *   closure; anything else, such as `aws-embedded-metrics`, is bundled with its run-time files).
 *   CallbackFunction's own packaging would ship ~9 MB of node_modules, and its default role
 *   attaches nine FullAccess managed policies with hard-coded `arn:aws:` ARNs.
 * No X-Ray (`tracingConfig`) and no function URL: Lambda in China has neither.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PolicyStatement, policyDocument, serviceTrustPolicy } from "./iam";
import { bundleFor } from "./lambda-packages";
import { arn, partitionFacts, servicePrincipal } from "./partition";

/** Serialized `require("...")` specifiers of a handler module. */
export function requiredSpecifiers(indexJs: string): string[] {
  const found = new Set<string>();
  for (const m of indexJs.matchAll(/require\("([^"]+)"\)/g)) found.add(m[1]);
  return [...found].sort();
}

/** The archive plus `node_modules/<pkg>/...` files of each required package the runtime lacks. */
function withBundledPackages(code: pulumi.Input<pulumi.asset.AssetArchive>): pulumi.Output<pulumi.asset.AssetArchive> {
  return pulumi.output(code).apply((archive) => {
    const assets = Promise.resolve((archive as any).assets as pulumi.asset.AssetMap | Promise<pulumi.asset.AssetMap>).then(async (map) => {
      const index = map["__index.js"] as any;
      const indexJs: string = index && index.text !== undefined ? await index.text : "";
      const bundle = bundleFor(requiredSpecifiers(indexJs).filter((s) => !s.startsWith(".")));
      const added: pulumi.asset.AssetMap = {};
      for (const f of bundle.files) added[f.archivePath] = new pulumi.asset.FileAsset(f.filePath);
      return { ...map, ...added };
    });
    return new pulumi.asset.AssetArchive(assets);
  });
}

type LambdaListener = (name: string, lambda: InlineLambda<any, any>) => void;
const listeners = new Set<LambdaListener>();

/**
 * Calls `listener` for every InlineLambda constructed until the returned function is called. The
 * offline tools use it to find each function's deployed archive (sizes, serialization checks).
 */
export function onInlineLambda(listener: LambdaListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export const LAMBDA_RUNTIME = aws.lambda.Runtime.NodeJS22dX;
export const LAMBDA_ARCHITECTURE = "arm64";

/** What to do with asynchronous invocations (EventBridge, Scheduler, S3 ...) that fail. */
export interface AsyncFailureHandling {
  /** Retries Lambda makes after the first failed attempt (0-2). */
  maximumRetryAttempts: number;
  /** How long an event may wait for processing (60-21600 s). */
  maximumEventAgeInSeconds: number;
  /** SQS queue ARN that receives events that still failed; the role may send to it. */
  onFailureQueueArn: pulumi.Input<string>;
}

/** Subnets and security groups when functions run inside a VPC. */
export interface LambdaVpcConfig {
  subnetIds: pulumi.Input<string>[];
  securityGroupIds: pulumi.Input<string>[];
}

export interface InlineLambdaArgs<E, R> {
  /**
   * The stack's name, in the log group's name (`/cn-log-backup/<stack>/lambda/<name>`). Components
   * pass the `stack` their Args carry (never `pulumi.getStack()`: components take what they need
   * from their Args).
   */
  stack: string;
  /** What the function does, in a sentence (shown in the console). */
  description: string;
  /**
   * Runs once per container and returns the handler: build SDK clients here, then hand them to
   * the logic in `functions/`. Pulumi serializes this closure; see `functions/README.md`.
   */
  callbackFactory: () => (event: E, context?: unknown) => Promise<R>;
  /** The function's permissions, nothing broader (writing its own logs is added here). */
  statements: PolicyStatement[];
  /** KMS key ARN for the function's log group. */
  logKeyArn: pulumi.Input<string>;
  /** Log group retention, one of the CloudWatch Logs retention periods. */
  logRetentionDays: number;
  environment?: Record<string, pulumi.Input<string>>;
  /** MB; default 256. */
  memorySize?: number;
  /** Seconds; default 60. */
  timeout?: number;
  /** Reserved concurrency; unset means the account's unreserved pool. */
  reservedConcurrency?: number;
  /** For functions invoked asynchronously: bounded retries and an on-failure destination. */
  asyncFailure?: AsyncFailureHandling;
  /** Run the function in a VPC. */
  vpc?: LambdaVpcConfig;
  tags?: Record<string, string>;
}

/**
 * A Lambda function with its role, policy and log group. `code` is the deployed archive (the
 * serialized `__index.js`), exposed so tests can run it and `npm run plan` can size it.
 */
export class InlineLambda<E = unknown, R = unknown> extends pulumi.ComponentResource {
  readonly function: aws.lambda.Function;
  readonly role: aws.iam.Role;
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly policy: aws.iam.RolePolicy;
  readonly code: pulumi.Output<pulumi.asset.AssetArchive>;
  readonly arn: pulumi.Output<string>;
  readonly name: pulumi.Output<string>;

  constructor(name: string, args: InlineLambdaArgs<E, R>, opts?: pulumi.ComponentResourceOptions) {
    super("cn-log-backup:lambda:InlineLambda", name, {}, opts);
    const parent = { parent: this };
    const facts = partitionFacts({ parent: this });

    this.logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      {
        name: `/cn-log-backup/${args.stack}/lambda/${name}`,
        retentionInDays: args.logRetentionDays,
        kmsKeyId: args.logKeyArn,
        tags: args.tags,
      },
      parent,
    );

    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `Execution role of ${name}: ${args.description}`.slice(0, 1000),
        assumeRolePolicy: serviceTrustPolicy({ principal: servicePrincipal("lambda", { parent: this }), sourceAccount: facts.accountId }),
        tags: args.tags,
      },
      parent,
    );

    const statements: PolicyStatement[] = [
      {
        Sid: "WriteOwnLogGroup",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: [pulumi.interpolate`${this.logGroup.arn}:*`],
      },
      ...args.statements,
    ];
    if (args.asyncFailure) {
      statements.push({
        Sid: "SendFailedEventsToOnFailureQueue",
        Effect: "Allow",
        Action: ["sqs:SendMessage"],
        Resource: [args.asyncFailure.onFailureQueueArn],
      });
    }
    if (args.vpc) {
      // Lambda manages the function's network interfaces with the execution role: the actions of
      // AWSLambdaVPCAccessExecutionRole (https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#configuration-vpc-permissions,
      // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaVPCAccessExecutionRole.html).
      // Describe* has no resource-level permission; create/delete are limited to this account's and region's ARNs.
      statements.push(
        {
          Sid: "DescribeNetworkInterfaces",
          Effect: "Allow",
          Action: ["ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets"],
          Resource: "*",
        },
        {
          Sid: "ManageNetworkInterfacesInThisAccountAndRegion",
          Effect: "Allow",
          Action: ["ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"],
          Resource: [
            arn({ service: "ec2", resource: "network-interface/*" }, { parent: this }),
            arn({ service: "ec2", resource: "subnet/*" }, { parent: this }),
            arn({ service: "ec2", resource: "security-group/*" }, { parent: this }),
          ],
        },
      );
    }
    this.policy = new aws.iam.RolePolicy(`${name}-policy`, { role: this.role.id, policy: policyDocument(statements) }, parent);

    // The serialization aws.lambda.CallbackFunction performs (node_modules/@pulumi/aws/lambda/lambdaMixins.js:
    // serializeFunction(callbackFactory, { exportName: "handler", isFactoryFunction: true }) into
    // `__index.js`, handler `__index.handler`), without its packaging step: that runs
    // pulumi.runtime.computeCodePaths, which loads the whole node_modules tree with @npmcli/arborist
    // for every function (15% of evaluating both stacks, README "Performance") only to find the
    // dependencies this program excludes from every artifact anyway. Secrets may not be captured:
    // they would be in plain text in the package.
    const closure = pulumi.runtime.serializeFunction(args.callbackFactory, { exportName: "handler", isFactoryFunction: true, allowSecrets: false });
    this.code = withBundledPackages(closure.then((c) => new pulumi.asset.AssetArchive({ "__index.js": new pulumi.asset.StringAsset(c.text) })));
    this.function = new aws.lambda.Function(
      name,
      {
        description: args.description,
        code: this.code,
        handler: "__index.handler",
        role: this.role.arn,
        runtime: LAMBDA_RUNTIME,
        architectures: [LAMBDA_ARCHITECTURE],
        memorySize: args.memorySize ?? 256,
        timeout: args.timeout ?? 60,
        reservedConcurrentExecutions: args.reservedConcurrency,
        environment: args.environment ? { variables: args.environment } : undefined,
        loggingConfig: {
          logFormat: "JSON",
          logGroup: this.logGroup.name,
          applicationLogLevel: "INFO",
          systemLogLevel: "WARN",
        },
        vpcConfig: args.vpc ? { subnetIds: args.vpc.subnetIds, securityGroupIds: args.vpc.securityGroupIds } : undefined,
        tags: args.tags,
      },
      // The role's policy must exist before the first invocation can write logs.
      { parent: this, dependsOn: [this.policy, this.logGroup] },
    );

    if (args.asyncFailure) {
      new aws.lambda.FunctionEventInvokeConfig(
        `${name}-async`,
        {
          functionName: this.function.name,
          maximumRetryAttempts: args.asyncFailure.maximumRetryAttempts,
          maximumEventAgeInSeconds: args.asyncFailure.maximumEventAgeInSeconds,
          destinationConfig: { onFailure: { destination: args.asyncFailure.onFailureQueueArn } },
        },
        { parent: this, dependsOn: [this.policy] },
      );
    }

    for (const listener of listeners) listener(name, this);

    this.arn = this.function.arn;
    this.name = this.function.name;
    this.registerOutputs({ arn: this.arn, name: this.name, roleArn: this.role.arn, logGroupName: this.logGroup.name });
  }

  /**
   * Lets `principal` (a service such as "events" or "scheduler") invoke this function, but only
   * from `sourceArn` in this account (no confused deputy).
   */
  allowInvoke(name: string, args: { service: string; sourceArn: pulumi.Input<string> }): aws.lambda.Permission {
    const facts = partitionFacts({ parent: this });
    return new aws.lambda.Permission(
      name,
      {
        action: "lambda:InvokeFunction",
        function: this.function.name,
        principal: servicePrincipal(args.service, { parent: this }),
        sourceArn: args.sourceArn,
        sourceAccount: facts.accountId,
      },
      { parent: this },
    );
  }
}
