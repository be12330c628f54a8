/**
 * `node tools/run-ts.js tools/downloader-rss.ts`: the audit-log downloader's start-up RSS, which
 * stacks/config/audit-log-pipeline.ts's memory rule adds to the part buffers.
 *
 * The downloader's serialized artifact (`__index.js` as Pulumi packages it, from the Beijing stack
 * under mocks) is written inside the project, so its `require("@aws-sdk/...")` resolve to the SDK as
 * the Lambda runtime's would, and loaded by a plain `node` child (no ts-node, no jest) with the
 * function's environment. The child prints VmRSS and VmHWM (/proc/self/status, proc(5)) before the
 * require, after it (the module's top level: `callbackFactory` creating the RDS, S3 and DynamoDB
 * clients) and after one invocation with an empty stream batch (the deferred settings read and
 * handler creation, and the metrics line). Also printed: a bare `node -e ""` for comparison.
 *
 * Not measured: the Lambda Node.js runtime's own bootstrap (its runtime interface client, which
 * loads the handler); no figure for its RSS is published, and it cannot run here.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT, runStack } from "./harness";
import { artifactOf, writeArtifact } from "./serialized";

const CHILD = `
const fs = require("fs");
const status = () => {
  const s = fs.readFileSync("/proc/self/status", "utf8");
  const kb = (f) => Number(new RegExp("^" + f + ":\\\\s+(\\\\d+) kB", "m").exec(s)[1]);
  return { rssMiB: +(kb("VmRSS") / 1024).toFixed(1), hwmMiB: +(kb("VmHWM") / 1024).toFixed(1) };
};
(async () => {
  const before = status();
  const mod = require(process.argv[1]);
  const loaded = status();
  const out = await mod.handler({ Records: [] }, {});
  const invoked = status();
  console.log(JSON.stringify({ before, loaded, invoked, emptyBatchResult: out }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

export async function main(): Promise<number> {
  const run = await runStack("cn-north-1");
  const lambda = run.lambdas.find((l) => l.name === "audit-log-downloader");
  const fn = run.resources.find((r) => r.type === "aws:lambda/function:Function" && r.name === "audit-log-downloader");
  if (!lambda || !fn) throw new Error("no audit-log-downloader in the cn-north-1 stack (auditLogPipeline.enabled?)");
  const { indexJs, totalBytes } = await artifactOf(lambda.lambda.code);
  const file = writeArtifact(indexJs, "downloader-rss-");
  const env = {
    PATH: process.env.PATH ?? "",
    AWS_REGION: "cn-north-1",
    AWS_ACCESS_KEY_ID: "AKIDRSS",
    AWS_SECRET_ACCESS_KEY: "rss-secret",
    ...(fn.inputs.environment?.variables ?? {}),
  };
  const child = spawnSync(process.execPath, ["-e", CHILD, file], { env, encoding: "utf8" });
  if (child.status !== 0) throw new Error(`the child failed: ${child.stderr}`);
  const bare = spawnSync(process.execPath, ["-e", CHILD.replace("require(process.argv[1])", "({ handler: async () => null })")], {
    env,
    encoding: "utf8",
  });
  const lastLine = (s: string) => JSON.parse(s.trim().split("\n").pop()!);
  console.log(
    JSON.stringify(
      {
        node: process.version,
        artifact: { file: path.relative(PROJECT_ROOT, file), totalBytes, memorySize: fn.inputs.memorySize },
        downloader: lastLine(child.stdout),
        bareNode: lastLine(bare.stdout),
      },
      null,
      2,
    ),
  );
  fs.rmSync(file);
  return 0;
}
