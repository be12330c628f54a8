/**
 * The export-task chain against the project's fake (fake-logs.ts), because moto 5.2.1 does not
 * model what the chain is about: a task's PENDING/RUNNING/FAILED life (moto completes each task
 * inside CreateExportTask), DescribeExportTasks' statusCode filter, the one-active-task-per-account
 * LimitExceededException, and lost responses. The serialized exporter's first step (parameters
 * moto validates, objects it writes, the SSE-KMS cursor) runs against moto in moto.test.ts.
 */
import { CreateExportTaskCommand, DescribeExportTasksCommand } from "@aws-sdk/client-cloudwatch-logs";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import * as fs from "fs";
import * as path from "path";
import {
  alignDown,
  createExportTaskHandler,
  CursorState,
  ExportDeps,
  exportDestinationPrefix,
  exportTaskName,
  sanitizeLogGroupName,
} from "../../../functions/log-archive/export-tasks";
import { advanceTasks, awsError, createFakeAws, FakeAws } from "./fake-logs";

const fixture = (name: string): any => JSON.parse(fs.readFileSync(path.join(__dirname, "../../fixtures/log-archive", name), "utf8"));
const H = 3_600_000;
const BUCKET = "cn-log-backup-archive-123456789012-cn-north-1";
const CURSOR = "state/log-archive/export-cursor.json";
const AUDIT = "/aws/rds/cluster/lab-aurora/audit";
const APP = "/ec2/app/messages";
const T0 = Date.UTC(2026, 10, 22, 10, 20); // 2026-11-22T10:20Z

beforeEach(() => {
  jest.spyOn(console, "log").mockImplementation(() => undefined);
  jest.spyOn(console, "warn").mockImplementation(() => undefined);
  jest.spyOn(console, "error").mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

/** A context whose remaining time is below the safety margin's reach for polling: one step per run. */
const shortContext = { getRemainingTimeInMillis: () => 65_000 };

function setup(extra: Partial<ExportDeps> = {}): { fake: FakeAws; clock: { now: number }; deps: ExportDeps } {
  const fake = createFakeAws();
  fake.groups.push(
    { logGroupName: AUDIT, creationTime: T0 - 10 * H },
    { logGroupName: APP, creationTime: T0 - 3 * H },
    { logGroupName: "/other/thing", creationTime: T0 - 10 * H },
  );
  const clock = { now: T0 };
  const deps: ExportDeps = {
    logs: fake.logs,
    s3: fake.s3,
    bucket: BUCKET,
    period: "hour",
    logGroupPatterns: ["/aws/rds/cluster/", "/ec2/"],
    now: () => clock.now,
    sleep: async () => undefined,
    pollIntervalMs: 10_000,
    safetyMarginMs: 60_000,
    retry: { attempts: 3, baseDelayMs: 1, sleep: async () => undefined },
    ...extra,
  };
  return { fake, clock, deps };
}

function cursor(fake: FakeAws): CursorState {
  return JSON.parse(fake.objects.get(`${BUCKET}/${CURSOR}`)!);
}

/** Every (group, from, to) CreateExportTask accepted, in order. */
function accepted(fake: FakeAws): { g: string; from: number; to: number; status: string }[] {
  return fake.tasks
    .filter((t) => t.taskName?.startsWith("cn-log-backup-"))
    .map((t) => ({ g: t.logGroupName!, from: t.from!, to: t.to!, status: t.status!.code! }));
}

describe("export-task helpers", () => {
  it("sanitizes group names into one key segment and lays out the prefix by UTC hour", () => {
    expect(sanitizeLogGroupName("/aws/rds/cluster/lab-aurora/audit")).toBe("aws_rds_cluster_lab-aurora_audit");
    expect(sanitizeLogGroupName("app#1.log")).toBe("app_1.log");
    expect(exportDestinationPrefix("exports/", AUDIT, Date.UTC(2026, 0, 5, 7))).toBe("exports/aws_rds_cluster_lab-aurora_audit/2026/01/05/07");
    expect(exportDestinationPrefix("exports", APP, Date.UTC(2026, 11, 31, 0))).toBe("exports/ec2_app_messages/2026/12/31/00");
    expect(exportTaskName("cn-log-backup", APP, Date.UTC(2026, 11, 31, 23))).toBe("cn-log-backup-ec2_app_messages-20261231T2300");
    expect(alignDown(Date.UTC(2026, 10, 22, 10, 59, 59), "day")).toBe(Date.UTC(2026, 10, 22));
    expect(() => createExportTaskHandler({ ...setup().deps, period: "week" as any })).toThrow('export period "week" is not one of "hour", "day"');
  });
});

describe("export-task chain", () => {
  it("first run exports the previous hour of the first group with exact parameters and saves the cursor", async () => {
    const { fake, deps } = setup();
    const res = await createExportTaskHandler(deps)(fixture("scheduled-event.json"), shortContext);
    expect(res.started).toEqual([{ logGroupName: AUDIT, from: Date.UTC(2026, 10, 22, 9), to: Date.UTC(2026, 10, 22, 10), taskId: "task-1" }]);
    const creates = fake.logsMock.commandCalls(CreateExportTaskCommand);
    expect(creates).toHaveLength(1);
    expect(creates[0].args[0].input).toEqual({
      taskName: "cn-log-backup-aws_rds_cluster_lab-aurora_audit-20261122T0900",
      logGroupName: AUDIT,
      from: Date.UTC(2026, 10, 22, 9),
      to: Date.UTC(2026, 10, 22, 10) - 1,
      destination: BUCKET,
      destinationPrefix: "exports/aws_rds_cluster_lab-aurora_audit/2026/11/22/09",
    });
    // It looked for active tasks (RUNNING then PENDING) before creating, then checked its own task once.
    const desc = fake.logsMock.commandCalls(DescribeExportTasksCommand).map((c) => c.args[0].input);
    expect(desc).toEqual([{ statusCode: "RUNNING" }, { statusCode: "PENDING" }, { taskId: "task-1" }]);
    const c = cursor(fake);
    expect(c.groups).toEqual({ [AUDIT]: Date.UTC(2026, 10, 22, 9), [APP]: Date.UTC(2026, 10, 22, 9) });
    expect(c.inFlight).toMatchObject({ logGroupName: AUDIT, taskId: "task-1" });
    const puts = fake.s3Mock.commandCalls(PutObjectCommand);
    expect(puts.every((p) => p.args[0].input.Bucket === BUCKET && p.args[0].input.Key === CURSOR)).toBe(true);
  });

  it("does not create a task while another (foreign) export task is running", async () => {
    const { fake, deps } = setup();
    fake.tasks.push({ taskId: "someone-else", taskName: "manual-export", logGroupName: "/x", status: { code: "RUNNING" } });
    const res = await createExportTaskHandler(deps)({}, shortContext);
    expect(res.blockedBy).toBe("someone-else");
    expect(fake.logsMock.commandCalls(CreateExportTaskCommand)).toHaveLength(0);
  });

  it("across many runs with LimitExceededException, failures and a lost response, exports every period exactly once", async () => {
    const { fake, clock, deps } = setup();
    const handler = createExportTaskHandler(deps);
    let limitRuns = 0;
    let lostRuns = 0;
    for (let run = 0; run < 60; run++) {
      // Chaos, deterministic: a foreign task grabs the slot between our check and our create,
      // a task fails, a CreateExportTask response is lost after the task was created.
      if (run % 7 === 3) fake.inject.CreateExportTask = [awsError("LimitExceededException", "Resource limit exceeded.")];
      if (run === 11) fake.createThenThrow.push(awsError("TimeoutError", "socket hang up"));
      const res = await handler(fixture("scheduled-event.json"), shortContext).catch((e) => {
        expect(e.name).toBe("TimeoutError");
        lostRuns++;
        return undefined;
      });
      if (res?.limitExceeded) limitRuns++;
      advanceTasks(fake, run === 20 ? "FAILED" : "COMPLETED");
      clock.now += 10 * 60_000; // runs every 10 minutes
    }
    expect(limitRuns).toBeGreaterThanOrEqual(5);
    expect(lostRuns).toBe(1);
    expect(fake.tasks.some((t) => t.status?.code === "FAILED")).toBe(true);

    // Every complete hour from 09:00 up to the last one past the settle delay, per group, exactly once.
    const cutoff = clock.now - 10 * 60_000 - 15 * 60_000;
    const lastEnd = alignDown(cutoff, "hour");
    for (const g of [AUDIT, APP]) {
      const done = accepted(fake)
        .filter((t) => t.g === g && t.status === "COMPLETED")
        .map((t) => t.from)
        .sort((a, b) => a - b);
      const expected: number[] = [];
      for (let f = Date.UTC(2026, 10, 22, 9); f + H <= lastEnd; f += H) expected.push(f);
      expect(done.map((f) => new Date(f).toISOString())).toEqual(expected.map((f) => new Date(f).toISOString()));
      for (const t of accepted(fake).filter((t) => t.g === g)) expect(t.to - t.from).toBe(H - 1);
    }
    // The only repeated period is the one whose task FAILED; the lost response did not duplicate anything.
    const keys = accepted(fake).map((t) => `${t.g}@${t.from}`);
    const dupes = keys.filter((k, i) => keys.indexOf(k) !== i);
    const failed = accepted(fake)
      .filter((t) => t.status === "FAILED")
      .map((t) => `${t.g}@${t.from}`);
    expect(dupes).toEqual(failed);
    expect(fake.tasks.some((t) => t.logGroupName === "/other/thing")).toBe(false);
    // At no time were two of our tasks active together (the fake would have thrown LimitExceeded otherwise,
    // and every create that was not injected succeeded).
    expect(cursor(fake).inFlight === undefined || cursor(fake).inFlight!.taskId !== undefined).toBe(true);
  });

  it("LimitExceededException leaves the cursor where it was and the next run retries the same period", async () => {
    const { fake, deps } = setup();
    fake.inject.CreateExportTask = [awsError("LimitExceededException")];
    const handler = createExportTaskHandler(deps);
    const first = await handler({}, shortContext);
    expect(first.limitExceeded).toBe(true);
    expect(first.started).toEqual([]);
    expect(cursor(fake).inFlight).toBeUndefined();
    expect(cursor(fake).groups[AUDIT]).toBe(Date.UTC(2026, 10, 22, 9));
    const second = await handler({}, shortContext);
    expect(second.started).toEqual([{ logGroupName: AUDIT, from: Date.UTC(2026, 10, 22, 9), to: Date.UTC(2026, 10, 22, 10), taskId: "task-1" }]);
    const creates = fake.logsMock.commandCalls(CreateExportTaskCommand).map((c) => c.args[0].input);
    expect(creates[0]).toEqual(creates[1]);
  });

  it("recovers a task whose CreateExportTask response was lost, by name, without creating it again", async () => {
    const { fake, deps } = setup();
    fake.createThenThrow.push(awsError("TimeoutError"));
    const handler = createExportTaskHandler(deps);
    await expect(handler({}, shortContext)).rejects.toMatchObject({ name: "TimeoutError" });
    expect(cursor(fake).inFlight).toMatchObject({ logGroupName: AUDIT, taskName: "cn-log-backup-aws_rds_cluster_lab-aurora_audit-20261122T0900" });
    expect(cursor(fake).inFlight!.taskId).toBeUndefined();
    advanceTasks(fake);
    advanceTasks(fake);
    const res = await handler({}, shortContext);
    expect(res.completed).toEqual([{ logGroupName: AUDIT, from: Date.UTC(2026, 10, 22, 9), to: Date.UTC(2026, 10, 22, 10), taskId: "task-1" }]);
    expect(fake.tasks.filter((t) => t.logGroupName === AUDIT)).toHaveLength(1);
    expect(res.started.map((s) => s.logGroupName)).toEqual([APP]);
  });

  it("within one long run, polls the task in flight and chains tasks until up to date", async () => {
    const { fake, deps } = setup({ now: () => T0 + 2 * H });
    let remaining = 900_000;
    const sleeps: number[] = [];
    const handler = createExportTaskHandler({
      ...deps,
      sleep: async (ms) => {
        sleeps.push(ms);
        remaining -= ms;
        advanceTasks(fake);
      },
    });
    const res = await handler({}, { getRemainingTimeInMillis: () => remaining });
    // cutoff 12:05 -> last complete hour 11:00; new groups start there.
    expect(res.upToDate).toBe(true);
    expect(res.completed.map((c) => [c.logGroupName, new Date(c.from).toISOString()])).toEqual([
      [AUDIT, "2026-11-22T11:00:00.000Z"],
      [APP, "2026-11-22T11:00:00.000Z"],
    ]);
    expect(sleeps.every((s) => s === 10_000)).toBe(true);
    expect(cursor(fake)).toEqual({ version: 1, groups: { [AUDIT]: Date.UTC(2026, 10, 22, 12), [APP]: Date.UTC(2026, 10, 22, 12) } });
  });

  it("day periods and a group created mid-day start at the group's creation day", async () => {
    const { fake, deps } = setup({ period: "day", now: () => Date.UTC(2026, 10, 24, 3) });
    const res = await createExportTaskHandler(deps)({}, shortContext);
    // cutoff 02:45 on the 24th -> last complete day is the 23rd for both groups
    expect(res.started[0]).toMatchObject({ logGroupName: AUDIT, from: Date.UTC(2026, 10, 23), to: Date.UTC(2026, 10, 24) });
    expect(fake.logsMock.commandCalls(CreateExportTaskCommand)[0].args[0].input.destinationPrefix).toBe(
      "exports/aws_rds_cluster_lab-aurora_audit/2026/11/23/00",
    );
  });

  it("a group created after the last complete period waits for its first period", async () => {
    const { fake, deps } = setup();
    fake.groups.length = 0;
    fake.groups.push({ logGroupName: APP, creationTime: T0 - 5 * 60_000 }); // 10:15, period 10:00-11:00 not over
    const res = await createExportTaskHandler(deps)({}, shortContext);
    expect(res.upToDate).toBe(true);
    expect(fake.logsMock.commandCalls(CreateExportTaskCommand)).toHaveLength(0);
    expect(cursor(fake).groups[APP]).toBe(Date.UTC(2026, 10, 22, 10));
  });

  it("a changed period (hour -> day) exports the partial remainder once, then whole days", async () => {
    const { fake, deps } = setup({ period: "day", now: () => Date.UTC(2026, 10, 24, 3) });
    fake.groups.splice(1); // AUDIT only
    fake.objects.set(`${BUCKET}/${CURSOR}`, JSON.stringify({ version: 1, groups: { [AUDIT]: Date.UTC(2026, 10, 22, 17) } }));
    let remaining = 900_000;
    const handler = createExportTaskHandler({
      ...deps,
      sleep: async (ms) => {
        remaining -= ms;
        advanceTasks(fake);
      },
    });
    await handler({}, { getRemainingTimeInMillis: () => remaining });
    expect(accepted(fake).map((t) => [new Date(t.from).toISOString(), new Date(t.to + 1).toISOString()])).toEqual([
      ["2026-11-22T17:00:00.000Z", "2026-11-23T00:00:00.000Z"],
      ["2026-11-23T00:00:00.000Z", "2026-11-24T00:00:00.000Z"],
    ]);
  });
});
