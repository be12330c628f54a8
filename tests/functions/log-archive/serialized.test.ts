/**
 * The two LogArchive Lambdas executed from the `__index.js` Pulumi serialized for the primary
 * stack, with the environment the stack gives them, against SDK mocks (every client instance),
 * for what moto cannot do (moto.test.ts runs the rest on moto): a missing setting, and the export
 * chain across task lifecycles, injected LimitExceededException and lost responses (moto completes
 * every export task inside CreateExportTask and has no one-active-task limit).
 */
import { CreateExportTaskCommand, PutSubscriptionFilterCommand } from "@aws-sdk/client-cloudwatch-logs";
import * as fs from "fs";
import * as path from "path";
import { artifactOf, loadHandler, one, runStack } from "../../helpers/pulumi";
import { unavailableInRuntime } from "../../../tools/serialized";
import type { StackRun } from "../../../tools/harness";
import { advanceTasks, awsError, createFakeAws, isolateEachTest } from "./fake-logs";

const fixture = (name: string): any => JSON.parse(fs.readFileSync(path.join(__dirname, "../../fixtures/log-archive", name), "utf8"));
const H = 3_600_000;

function lambdaOf(run: StackRun, name: string) {
  const rec = run.lambdas.find((l) => l.name === name);
  if (!rec) throw new Error(`no lambda ${name}: ${run.lambdas.map((l) => l.name).join(", ")}`);
  return rec.lambda;
}
function envOf(run: StackRun, name: string): Record<string, string> {
  return { AWS_REGION: "cn-north-1", ...one(run, "aws:lambda/function:Function", name).inputs.environment.variables };
}

const each = isolateEachTest();
/** The function's environment while it runs (it reads its settings on the first invocation). */
function useEnv(env: Record<string, string>): void {
  Object.assign(process.env, env);
}

describe("serialized subscriber (firehose mode)", () => {
  let run: StackRun;
  beforeAll(async () => {
    run = await runStack("cn-north-1");
  });

  test("artifact is the handler alone and needs nothing the runtime lacks", async () => {
    const a = await artifactOf(lambdaLogOf());
    expect(a.entries.map((e) => e.path)).toEqual(["__index.js"]);
    expect(unavailableInRuntime(a.indexJs)).toEqual([]);
    function lambdaLogOf() {
      return lambdaOf(run, "log-archive-subscriber").code;
    }
  });

  // First invocation of this artifact in the file: jest keeps the loaded module between tests (its
  // registry ignores require.cache), and the handler reads its settings once, on first use.
  test("without its settings the loaded handler fails the invocation (to the failure queue), naming the variable", async () => {
    const handler = await loadHandler(lambdaOf(run, "log-archive-subscriber"), {});
    delete process.env.destinationArn;
    each.fake = createFakeAws({ byClass: true });
    await expect(handler(fixture("scheduled-event.json"))).rejects.toThrow("environment variable destinationArn is not set");
  });
  // Subscribing (CreateLogGroup events, the scheduled re-check, the filter quota) runs against moto:
  // moto.test.ts.
});

describe("serialized export-task chain (exportTask mode)", () => {
  let run: StackRun;
  beforeAll(async () => {
    run = await runStack("cn-north-1", { config: { logArchive: { cloudWatchLogsMode: "exportTask", exportPeriod: "hour" } } });
  });

  test("across invocations with LimitExceededException injected, every period is exported exactly once", async () => {
    const env = envOf(run, "log-archive-exporter");
    const handler = await loadHandler(lambdaOf(run, "log-archive-exporter"), env);
    useEnv(env);
    each.fake = createFakeAws({ byClass: true });
    const t0 = Date.UTC(2026, 10, 22, 6, 20);
    let now = t0;
    jest.spyOn(Date, "now").mockImplementation(() => now);
    each.fake.groups.push(
      { logGroupName: "/aws/rds/cluster/lab/audit", creationTime: t0 - 48 * H },
      { logGroupName: "/ec2/app", creationTime: t0 - 48 * H },
      { logGroupName: "/not/archived", creationTime: t0 - 48 * H },
    );
    const context = { getRemainingTimeInMillis: () => 65_000 }; // one step per invocation, no waiting
    let limits = 0;
    for (let i = 0; i < 40; i++) {
      if (i % 5 === 2) each.fake.inject.CreateExportTask = [awsError("LimitExceededException", "Resource limit exceeded.")];
      const res = await handler({ "detail-type": "Scheduled Event", source: "aws.events" }, context);
      if (res.limitExceeded) limits++;
      advanceTasks(each.fake);
      now += 15 * 60_000;
    }
    // Then the clock stops and the chain drains (two tasks per hour of logs need two runs each).
    let upToDate = false;
    for (let i = 0; i < 100 && !upToDate; i++) {
      const res = await handler({ "detail-type": "Scheduled Event", source: "aws.events" }, context);
      upToDate = res.upToDate;
      advanceTasks(each.fake);
    }
    expect(upToDate).toBe(true);
    expect(limits).toBeGreaterThanOrEqual(4);
    const creates = each.fake.logsMock.commandCalls(CreateExportTaskCommand).map((c) => c.args[0].input as any);
    const ok = each.fake.tasks.map((t) => `${t.logGroupName}@${new Date(t.from!).toISOString()}`);
    expect(new Set(ok).size).toBe(ok.length); // no period twice
    expect(creates.length).toBe(ok.length + limits); // every refused create was retried, never duplicated
    const lastEnd = Math.floor((now - 15 * 60_000) / H) * H;
    for (const g of ["/aws/rds/cluster/lab/audit", "/ec2/app"]) {
      const got = each.fake.tasks
        .filter((t) => t.logGroupName === g && t.status?.code === "COMPLETED")
        .map((t) => t.from!)
        .sort((a, b) => a - b);
      const want: number[] = [];
      for (let f = Date.UTC(2026, 10, 22, 5); f + H <= lastEnd; f += H) want.push(f);
      expect(got).toEqual(want);
    }
    for (const c of creates) {
      expect(c.destination).toBe(env.archiveBucketName);
      expect(c.destinationPrefix).toMatch(/^exports\/(aws_rds_cluster_lab_audit|ec2_app)\/2026\/11\/22\/\d\d$/);
      expect(c.to - c.from).toBe(H - 1);
    }
    expect(each.fake.objects.has(`${env.archiveBucketName}/state/log-archive/export-cursor.json`)).toBe(true);
  });
});
