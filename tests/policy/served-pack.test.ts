/**
 * The pack as the Pulumi CLI runs it: policy-pack/index.ts started by Pulumi's policy runner in its own folder, serving the
 * analyzer gRPC protocol on 127.0.0.1; this test plays the engine (GetAnalyzerInfo, Configure,
 * Analyze, AnalyzeStack), including unknown values the way `pulumi preview` sends them.
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { policies } from "../../policy-pack/policies";

/* eslint-disable @typescript-eslint/no-require-imports */
const rpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb");
const pb = require("@pulumi/pulumi/proto/analyzer_pb");
const structpb = require("google-protobuf/google/protobuf/struct_pb");
const emptypb = require("google-protobuf/google/protobuf/empty_pb");

const PACK_DIR = path.join(__dirname, "..", "..", "policy-pack");
/** What the engine sends for a value that is unknown during preview. */
const WIRE_UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const STACK = "urn:pulumi:cn-north-1::cn-log-backup";

let child: ChildProcess | undefined;
let client: any;

function call<T>(method: string, req: unknown): Promise<T> {
  return new Promise((resolve, reject) => client[method](req, (e: Error | null, r: T) => (e ? reject(e) : resolve(r))));
}

function provider(region = "cn-north-1") {
  const p = new pb.AnalyzerProviderResource();
  p.setType("pulumi:providers:aws");
  p.setName("default");
  p.setUrn(`${STACK}::pulumi:providers:aws::default`);
  p.setProperties(structpb.Struct.fromJavaScript({ region }));
  return p;
}

function analyzeRequest(type: string, name: string, props: Record<string, unknown>) {
  const req = new pb.AnalyzeRequest();
  req.setType(type);
  req.setName(name);
  req.setUrn(`${STACK}::${type}::${name}`);
  req.setProperties(structpb.Struct.fromJavaScript(props));
  req.setOptions(new pb.AnalyzerResourceOptions());
  req.setProvider(provider());
  return req;
}

interface Diagnostic {
  policy: string;
  level: string;
  message: string;
}

function diagnosticsOf(resp: any): Diagnostic[] {
  const levels: Record<number, string> = { [pb.EnforcementLevel.ADVISORY]: "advisory", [pb.EnforcementLevel.MANDATORY]: "mandatory" };
  return resp
    .getDiagnosticsList()
    .map((d: any) => ({ policy: d.getPolicyname(), level: levels[d.getEnforcementlevel()] ?? String(d.getEnforcementlevel()), message: d.getMessage() }));
}

async function analyze(type: string, name: string, props: Record<string, unknown>): Promise<Diagnostic[]> {
  return diagnosticsOf(await call("analyze", analyzeRequest(type, name, props)));
}

beforeAll(async () => {
  // Started as the CLI starts it: Pulumi's own runner (which registers ts-node with type checking
  // on, whatever the pack's tsconfig says), in the pack's folder, given the engine's address and
  // the pack's path (pulumi/pulumi pkg/resource/plugin/analyzer_plugin.go, NewPolicyAnalyzer: "we
  // must set the plugin's pwd to the policy pack directory"; sdk/nodejs/cmd/pulumi-language-nodejs
  // RunPlugin: runPath "@pulumi/pulumi/cmd/run-policy-pack"). The runner drops the engine address.
  const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack");
  child = spawn(process.execPath, [runner, "127.0.0.1:1", "."], { cwd: PACK_DIR, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  const port: string = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the policy pack did not start within 60 s: ${stderr}`)), 60_000);
    child!.stdout!.once("data", (d) => {
      clearTimeout(timer);
      resolve(String(d).trim());
    });
    child!.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the policy pack exited with ${code}: ${stderr}`));
    });
  });
  expect(port).toMatch(/^\d+$/);
  client = new rpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
});

afterAll(() => {
  client?.close();
  child?.kill();
});

describe("the policy pack served as the Pulumi CLI runs it", () => {
  test("describes every policy of the array with its level, remediation and config schema", async () => {
    const info: any = await call("getAnalyzerInfo", new emptypb.Empty());
    expect(info.getName()).toBe("cn-log-backup");
    expect(info.getVersion()).toBe("0.1.0");
    const served = info.getPoliciesList();
    expect(served.map((p: any) => p.getName())).toEqual(policies.map((p) => p.name));
    const s3 = served.find((p: any) => p.getName() === "s3-bucket-encrypted-with-cmk");
    expect(s3.getEnforcementlevel()).toBe(pb.EnforcementLevel.MANDATORY);
    expect(s3.getRemediationSteps()).toContain("BucketServerSideEncryptionConfiguration");
    expect(s3.getConfigschema().getProperties().toJavaScript().sseS3AllowedBuckets).toMatchObject({ type: "array", default: [] });
    expect(served.find((p: any) => p.getName() === "kms-key-rotation-enabled").getEnforcementlevel()).toBe(pb.EnforcementLevel.MANDATORY);
    // Severity and the control a policy maps to reach the engine.
    const retention = served.find((p: any) => p.getName() === "s3-lifecycle-min-retention");
    expect(retention.getSeverity()).not.toBe(0);
    expect(retention.getFramework().getReference()).toBe("Art. 21(3)");
  });

  test("reports a mandatory violation for a resource that breaks a policy, and none for one that does not", async () => {
    expect(await analyze("aws:sqs/queue:Queue", "plain", { name: "plain" })).toEqual([
      // The engine prefixes the policy's description.
      {
        policy: "sqs-queue-encrypted",
        level: "mandatory",
        message:
          'SQS queues are encrypted at rest with a KMS key or SSE-SQS.\nQueue "plain" is not encrypted at rest: set kmsMasterKeyId or sqsManagedSseEnabled: true.',
      },
    ]);
    expect(await analyze("aws:sqs/queue:Queue", "sse", { sqsManagedSseEnabled: true })).toEqual([]);
  });

  test("during preview decides from what is known, and downgrades to advisory what reads an unknown", async () => {
    const diags = await analyze("aws:cloudwatch/logGroup:LogGroup", "g", { name: "/x", kmsKeyId: WIRE_UNKNOWN, retentionInDays: WIRE_UNKNOWN });
    expect(diags).toEqual([
      {
        policy: "cloudwatch-log-group-retention",
        level: "advisory",
        message:
          "can't run policy 'cloudwatch-log-group-retention' from policy pack 'cn-log-backup@v0.1.0' during preview: string value at .retentionInDays can't be known during preview",
      },
    ]);
  });

  test("decides S3 stack checks during preview from property dependencies", async () => {
    const bucketUrn = `${STACK}::aws:s3/bucket:Bucket::archive`;
    const resource = (type: string, name: string, props: Record<string, unknown>, deps: Record<string, string[]> = {}) => {
      const r = new pb.AnalyzerResource();
      r.setType(type);
      r.setName(name);
      r.setUrn(`${STACK}::${type}::${name}`);
      r.setProperties(structpb.Struct.fromJavaScript(props));
      r.setOptions(new pb.AnalyzerResourceOptions());
      r.setProvider(provider());
      for (const [k, urns] of Object.entries(deps)) {
        const d = new pb.AnalyzerPropertyDependencies();
        d.setUrnsList(urns);
        r.getPropertydependenciesMap().set(k, d);
      }
      return r;
    };
    const resources = [
      resource("aws:s3/bucket:Bucket", "archive", { bucket: WIRE_UNKNOWN, arn: WIRE_UNKNOWN }),
      resource(
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "archive-pab",
        { bucket: WIRE_UNKNOWN, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        { bucket: [bucketUrn] },
      ),
      resource("aws:s3/bucket:Bucket", "other", { bucket: WIRE_UNKNOWN, arn: WIRE_UNKNOWN }),
    ];
    const req = new pb.AnalyzeStackRequest();
    req.setResourcesList(resources);
    const diags = diagnosticsOf(await call("analyzeStack", req)).filter((d) => d.policy === "s3-bucket-public-access-blocked");
    expect(diags).toEqual([
      {
        policy: "s3-bucket-public-access-blocked",
        level: "mandatory",
        message:
          'Every S3 bucket has a public access block with all four settings on.\nBucket "other" has no public access block: add an aws.s3.BucketPublicAccessBlock pointing at it with all four settings true.',
      },
    ]);
  });

  test("takes enforcement levels and allow-lists from policy config (--policy-pack-config)", async () => {
    const req = new pb.ConfigureAnalyzerRequest();
    const sqs = new pb.PolicyConfig();
    sqs.setEnforcementlevel(pb.EnforcementLevel.ADVISORY);
    sqs.setProperties(structpb.Struct.fromJavaScript({}));
    req.getPolicyconfigMap().set("sqs-queue-encrypted", sqs);
    const rds = new pb.PolicyConfig();
    rds.setEnforcementlevel(pb.EnforcementLevel.MANDATORY);
    rds.setProperties(structpb.Struct.fromJavaScript({ exemptDatabases: ["aurora-lab"] }));
    req.getPolicyconfigMap().set("rds-database-deletion-protection", rds);
    await call("configure", req);
    expect(await analyze("aws:sqs/queue:Queue", "plain", {})).toEqual([expect.objectContaining({ policy: "sqs-queue-encrypted", level: "advisory" })]);
    const lab = await analyze("aws:rds/cluster:Cluster", "lab", {
      clusterIdentifier: "aurora-lab",
      storageEncrypted: true,
      kmsKeyId: "arn:aws-cn:kms:cn-north-1:111122223333:key/k",
      deletionProtection: false,
    });
    expect(lab).toEqual([]);
    const prod = await analyze("aws:rds/cluster:Cluster", "prod", {
      clusterIdentifier: "prod",
      storageEncrypted: true,
      kmsKeyId: "arn:aws-cn:kms:cn-north-1:111122223333:key/k",
    });
    expect(prod).toEqual([expect.objectContaining({ policy: "rds-database-deletion-protection", level: "mandatory" })]);
  });
});
