/**
 * The export chain's cursor against a real S3 API on loopback (s3rver): the real SDK's request and
 * error shapes (a missing object is `NoSuchKey`, bodies are streams), with CloudWatch Logs mocked.
 * The chain must behave exactly as against the in-memory fake.
 */
import * as fs from "fs";
import * as http from "http";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import * as os from "os";
import * as path from "path";
import { S3Client, CreateBucketCommand, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { CreateExportTaskCommand } from "@aws-sdk/client-cloudwatch-logs";
import { createExportTaskHandler, loadCursor, saveCursor } from "../../functions/log-archive/export-tasks";
import { advanceTasks, awsError, createFakeAws } from "../functions/log-archive/fake-logs";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const S3rver = require("s3rver");

const BUCKET = "cn-log-backup-archive-test";
const H = 3_600_000;
let server: any;
let dir: string;
let s3: S3Client;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "s3rver-"));
  server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory: dir, resetOnClose: true });
  const { port } = await server.run();
  s3 = new S3Client({
    region: "cn-north-1",
    endpoint: `http://127.0.0.1:${port}`,
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    // One connection per request: s3rver may close kept-alive sockets between requests.
    requestHandler: new NodeHttpHandler({ httpAgent: new http.Agent({ keepAlive: false }) }),
    maxAttempts: 5,
  });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});
afterAll(async () => {
  s3?.destroy();
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  jest.spyOn(console, "log").mockImplementation(() => undefined);
  jest.spyOn(console, "warn").mockImplementation(() => undefined);
});
afterEach(() => jest.restoreAllMocks());

test("a missing cursor is a fresh start; a saved one reads back as written", async () => {
  expect(await loadCursor(s3, BUCKET, "state/missing.json")).toEqual({ version: 1, groups: {} });
  const state = {
    version: 1 as const,
    groups: { "/ec2/app": Date.UTC(2026, 10, 22, 9) },
    inFlight: { logGroupName: "/ec2/app", from: 1, to: 2, taskName: "t", destinationPrefix: "exports/x" },
  };
  await saveCursor(s3, BUCKET, "state/c.json", state);
  expect(await loadCursor(s3, BUCKET, "state/c.json")).toEqual(state);
  const raw = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: "state/c.json" }));
  expect(raw.ContentType).toBe("application/json");
});

test("a corrupt cursor fails the run instead of restarting the chain", async () => {
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "state/bad.json", Body: '{"groups":[]}' }));
  await expect(loadCursor(s3, BUCKET, "state/bad.json")).rejects.toThrow(/unknown shape; fix or delete it/);
});

test("the export chain over real S3 exports every period once across LimitExceededException", async () => {
  const fake = createFakeAws(); // CloudWatch Logs only; S3 is s3rver
  const t0 = Date.UTC(2026, 10, 22, 3, 20);
  let now = t0;
  fake.groups.push({ logGroupName: "/ec2/app", creationTime: t0 - 24 * H });
  const handler = createExportTaskHandler({
    logs: fake.logs,
    s3,
    bucket: BUCKET,
    cursorKey: "state/log-archive/export-cursor.json",
    period: "hour",
    logGroupPatterns: ["/ec2/"],
    now: () => now,
    sleep: async () => undefined,
    retry: { attempts: 2, baseDelayMs: 1, sleep: async () => undefined },
  });
  const ctx = { getRemainingTimeInMillis: () => 65_000 };
  for (let i = 0; i < 24; i++) {
    if (i % 4 === 1) fake.inject.CreateExportTask = [awsError("LimitExceededException")];
    await handler({}, ctx);
    advanceTasks(fake);
    now += 20 * 60_000;
  }
  const froms = fake.tasks.map((t) => t.from!);
  expect(new Set(froms).size).toBe(froms.length);
  const completed = fake.tasks
    .filter((t) => t.status?.code === "COMPLETED")
    .map((t) => new Date(t.from!).toISOString().slice(11, 13))
    .sort();
  expect(completed.slice(0, 3)).toEqual(["02", "03", "04"]);
  for (let i = 1; i < completed.length; i++) expect(Number(completed[i])).toBe(Number(completed[i - 1]) + 1);
  expect(fake.logsMock.commandCalls(CreateExportTaskCommand).length).toBeGreaterThan(fake.tasks.length);
  // The cursor in S3 holds the task in flight (the newest) and points at its hour: it advances only
  // once the chain has seen the task COMPLETED.
  const cursor = await loadCursor(s3, BUCKET, "state/log-archive/export-cursor.json");
  const newest = fake.tasks[fake.tasks.length - 1];
  expect(cursor.inFlight).toMatchObject({ logGroupName: "/ec2/app", from: newest.from, taskId: newest.taskId });
  expect(cursor.groups["/ec2/app"]).toBe(newest.from);
});
