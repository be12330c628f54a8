/**
 * The serialized LogArchive Lambdas read their settings through functions/log-archive/settings.ts:
 * a bad value in the environment the stack sets fails the first invocation (to the failure queue)
 * with a message naming the variable and what it allows, instead of a JSON.parse SyntaxError or an
 * unchecked period. Its own file: jest keeps a loaded artifact for the whole file, and each
 * handler reads its environment once per container (serialized.test.ts loads the good ones).
 */
import { loadHandler, one, runStack } from "../../helpers/pulumi";
import type { StackRun } from "../../../tools/harness";
import { createFakeAws, isolateEachTest } from "./fake-logs";

function lambdaOf(run: StackRun, name: string) {
  const rec = run.lambdas.find((l) => l.name === name);
  if (!rec) throw new Error(`no lambda ${name}: ${run.lambdas.map((l) => l.name).join(", ")}`);
  return rec.lambda;
}
const envOf = (run: StackRun, name: string): Record<string, string> => one(run, "aws:lambda/function:Function", name).inputs.environment.variables;
const scheduled = { "detail-type": "Scheduled Event", source: "aws.events" };

const each = isolateEachTest();

test("exporter: an exportPeriod other than hour or day fails the invocation, naming the variable and the values allowed", async () => {
  const run = await runStack("cn-north-1", { config: { logArchive: { cloudWatchLogsMode: "exportTask", exportPeriod: "hour" } } });
  const env = envOf(run, "log-archive-exporter");
  expect(env.exportPeriod).toBe("hour");
  const handler = await loadHandler(lambdaOf(run, "log-archive-exporter"), { AWS_REGION: "cn-north-1", ...env, exportPeriod: "week" });
  each.fake = createFakeAws({ byClass: true });
  await expect(handler(scheduled, { getRemainingTimeInMillis: () => 65_000 })).rejects.toThrow(
    'environment variable exportPeriod must be one of "hour", "day", got "week"',
  );
}, 300000);

test("subscriber: logGroupPatterns that are not a JSON list fail the invocation, naming the variable", async () => {
  const run = await runStack("cn-north-1");
  const env = envOf(run, "log-archive-subscriber");
  expect(JSON.parse(env.logGroupPatterns)).toContain("/ec2/");
  const handler = await loadHandler(lambdaOf(run, "log-archive-subscriber"), { AWS_REGION: "cn-north-1", ...env, logGroupPatterns: "/ec2/" });
  each.fake = createFakeAws({ byClass: true });
  await expect(handler(scheduled)).rejects.toThrow('environment variable logGroupPatterns must be a JSON array of strings, got "/ec2/"');
}, 300000);
