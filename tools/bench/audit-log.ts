/**
 * Audit-log pipeline figures, each beside a floor measured in the same run:
 * - downloader throughput for a 256 MB file vs a plain stream copy fake-RDS -> s3rver;
 * - the downloader's peak RSS (VmHWM, read by the child itself) for a 256 MB file vs a 16 MB file
 *   (must not grow with the size);
 * - API calls per file vs the least a multipart copy can make; the portion-API fallback likewise;
 * - the detector's DynamoDB writes on an unchanged scan of 1,000 files (goal 0).
 * The fake RDS, s3rver and dynalite run in this process; each transfer runs in its own child
 * process, which reads its own peak from /proc/self/status (see audit-log.child.ts).
 * `BENCH_CPU_PROF=<dir>` runs the children with `--cpu-prof` into that directory (for profiling).
 */
import * as path from "path";
import { PROJECT_ROOT } from "../harness";
import type { BenchFigure } from "../types";
import { startFakeRds } from "../../tests/helpers/fake-rds";
import { content } from "../../tests/helpers/log-content";
import { createAuditTable, startDynalite, startS3rver } from "../../tests/helpers/local-servers";
import { countCommands, rdsClientFor, writes } from "../../tests/helpers/audit-log-clients";
import { createDetectorHandler } from "../../functions/audit-log/detector";
import { transfer } from "../../functions/audit-log/downloader";
import { execFile } from "child_process";

const MB = 1024 * 1024;

interface ChildResult {
  ms: number;
  bytes: number;
  /** VmRSS before the transfer. */
  startRssBytes: number;
  /** VmHWM before the transfer (start-up's peak). */
  startHwmBytes: number;
  /** VmHWM after the transfer (the transfer's peak when `hwmReset`). */
  hwmBytes: number;
  hwmReset: boolean;
  /** ms spent in each S3 operation (download mode). */
  s3WaitMs: Record<string, number>;
}

function child(env: Record<string, string>, args: string[]): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [
        ...(process.env.BENCH_CPU_PROF ? ["--cpu-prof", "--cpu-prof-dir", process.env.BENCH_CPU_PROF] : []),
        path.join(PROJECT_ROOT, "tools/run-ts.js"),
        path.join(__dirname, "audit-log.child.ts"),
        ...args,
      ],
      { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, encoding: "utf8", maxBuffer: 1 << 20 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`${err.message}\n${stderr}`));
        resolve(JSON.parse(stdout.trim().split("\n").pop() as string));
      },
    );
  });
}

/** Runs `f` with console.log silenced: the handler's EMF metric lines are not bench figures. */
async function quietly<T>(f: () => Promise<T>): Promise<T> {
  const log = console.log;
  console.log = () => undefined;
  try {
    return await f();
  } finally {
    console.log = log;
  }
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

export async function run(): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  const [fake, s3, ddb] = await Promise.all([startFakeRds(), startS3rver("bench"), startDynalite()]);
  try {
    fake.addInstance("bench-db", "c1");
    fake.setFile("bench-db", "audit/big.log", { content: content(256, 256 * MB), lastWritten: 1 });
    fake.setFile("bench-db", "audit/small.log", { content: content(16, 16 * MB), lastWritten: 1 });
    fake.setFile("bench-db", "audit/mid.log", { content: content(64, 64 * MB), lastWritten: 1 });
    const env = { BENCH_RDS: fake.url, BENCH_S3: s3.endpoint, BENCH_DDB: ddb.endpoint };

    // Throughput, 256 MB: three runs each, alternating so machine load hits both alike.
    const dl: ChildResult[] = [];
    const cp: ChildResult[] = [];
    for (let i = 0; i < 3; i++) {
      cp.push(await child(env, ["copy", "bench-db", "audit/big.log", String(256 * MB)]));
      dl.push(await child(env, ["download", "bench-db", "audit/big.log", String(256 * MB)]));
    }
    const mbps = (r: ChildResult) => r.bytes / MB / (r.ms / 1000);
    const completeMs = median(dl.map((r) => r.s3WaitMs.CompleteMultipartUploadCommand ?? 0));
    const withoutComplete = median(dl.map((r) => r.bytes / MB / ((r.ms - (r.s3WaitMs.CompleteMultipartUploadCommand ?? 0)) / 1000)));
    figures.push({
      name: "downloader throughput, 256 MB file (complete-file endpoint -> verified multipart upload), median of 3",
      value: median(dl.map(mbps)),
      floor: median(cp.map(mbps)),
      floorName: "plain stream copy fake-RDS -> s3rver (one PUT, no hashing)",
      unit: "MB/s",
      higherIsBetter: true,
      goalRatio: 1.5,
      note:
        `of the downloader's ${median(dl.map((r) => r.ms)).toFixed(0)} ms, ${completeMs.toFixed(0)} ms wait on CompleteMultipartUpload ` +
        "(s3rver, in the parent process, checks the part list and concatenates the parts into one file, as tests/helpers/s3rver-completion.ts " +
        "makes it answer like S3; s3rver's own completion also hashed the whole object again, for an ETag S3 does not give); " +
        `without that wait ${withoutComplete.toFixed(2)} MB/s, ${(median(cp.map(mbps)) / withoutComplete).toFixed(2)}x (for reading, not the goal). ` +
        "The client runs as the Lambda does (SDK defaults: CRC32 per part, which S3 verifies, so parts go UNSIGNED-PAYLOAD; the downloader's own SHA-256 of the file); only the endpoint is plain http.",
    });

    const small: ChildResult[] = [];
    const mid: ChildResult[] = [];
    for (let i = 0; i < 3; i++) {
      small.push(await child(env, ["download", "bench-db", "audit/small.log", String(16 * MB)]));
      mid.push(await child(env, ["download", "bench-db", "audit/mid.log", String(64 * MB)]));
    }
    const mib = (n: number) => n / MB;
    const hwm = (v: ChildResult[]) => mib(median(v.map((r) => r.hwmBytes)));
    const startRss = (v: ChildResult[]) => mib(median(v.map((r) => r.startRssBytes)));
    // Without the reset both peaks are mostly start-up's, their difference near 0: no goal then.
    const reset = [...dl, ...small].every((r) => r.hwmReset);
    figures.push({
      name: `downloader peak RSS (VmHWM of the child's own /proc/self/status), 256 MB file (${process.env.BENCH_PART_MB ?? 8} MiB parts, ${process.env.BENCH_QUEUE ?? 2} in flight), median of 3${reset ? "" : " (NOT MEASURED: VmHWM could not be reset)"}`,
      value: hwm(dl),
      floor: hwm(small),
      floorName: "VmHWM for a 16 MB file",
      unit: "MiB",
      ...(reset ? { goalDelta: 32 } : {}),
      note:
        `VmHWM 64 MB file: ${hwm(mid).toFixed(0)} MiB (a plateau, not a slope, means memory is bounded by the parts); ` +
        `VmRSS before the transfer: ${startRss(dl).toFixed(0)} MiB (256 MB), ${startRss(small).toFixed(0)} MiB (16 MB); ` +
        `start-up VmHWM ${mib(median(dl.map((r) => r.startHwmBytes))).toFixed(0)} MiB, ` +
        (reset ? "reset before the transfer (clear_refs 5), so VmHWM is the transfer's peak; " : "NOT reset (clear_refs refused): VmHWM includes start-up; ") +
        `the plain copy's VmHWM: ${hwm(cp).toFixed(0)} MiB.`,
    });

    // API calls per file, counted on the wire.
    const rds = rdsClientFor(fake.url);
    const { newS3Client } = await import("../../tests/helpers/local-servers");
    const s3c = newS3Client(s3.endpoint);
    const calls = { rds: countCommands(rds), s3: countCommands(s3c) };
    const job = { DBInstanceIdentifier: "bench-db", LogFileName: "audit/small.log", Size: 16 * MB, LastWritten: 1 };
    const deps = {
      rds,
      s3: s3c,
      dynamodb: ddb.client,
      tableName: "unused",
      archiveBucketName: "bench",
      region: "cn-north-1",
      rdsRestEndpoint: fake.url,
      partSizeMb: 8,
    };
    fake.resetCounters();
    await transfer(deps, job);
    const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
    // + GetItem (is it covered already?) + UpdateItem (record the backup) the handler makes per file.
    const restCalls = (fake.calls.REST ?? 0) + sum(calls.s3) + 2;
    const minimum = 1 + (Math.ceil(job.Size / (8 * MB)) + 2) + 1;
    figures.push({
      name: "API calls per 16 MB file (complete-file endpoint)",
      value: restCalls,
      floor: minimum,
      floorName: "least possible: 1 download + multipart (create, 2 parts, complete) + 1 record",
      unit: "calls",
      goalRatio: 1.25,
    });
    for (const k of Object.keys(calls.s3)) delete calls.s3[k];
    fake.faults.refuseRest.add("bench-db");
    fake.resetCounters();
    await transfer(deps, job);
    fake.faults.refuseRest.clear();
    figures.push({
      name: "API calls per 16 MB file (portion-API fallback, 1 MB pages)",
      value: (fake.calls.REST ?? 0) + (fake.calls.DownloadDBLogFilePortion ?? 0) + sum(calls.s3) + 2,
      floor: minimum,
      floorName: "least possible with the complete-file endpoint",
      unit: "calls",
      note: "why the complete-file endpoint is tried first",
    });

    // Detector: 1,000 files, then an unchanged scan.
    fake.addInstance("many-db", "c1");
    for (let i = 0; i < 1000; i++)
      fake.setFile("many-db", `audit/audit.log.${i}`, { content: content(i, 1000 + i), lastWritten: 1_795_000_000_000 + i * 1000 });
    await createAuditTable(ddb.client, "bench-detector");
    const ddbCalls = countCommands(ddb.client);
    const detector = createDetectorHandler({ rds, dynamodb: ddb.client, tableName: "bench-detector", log: () => undefined });
    const event = { Records: [{ messageId: "1", body: JSON.stringify({ DBInstanceIdentifier: "many-db" }) } as never] };
    await quietly(() => detector(event));
    const firstWrites = writes(ddbCalls);
    for (const k of Object.keys(ddbCalls)) delete ddbCalls[k];
    await quietly(() => detector(event));
    figures.push({
      name: "detector DynamoDB writes, unchanged scan of 1,000 files",
      value: writes(ddbCalls),
      floor: firstWrites,
      floorName: "the first scan of the same files (one write per file + the watermark); goal 0",
      unit: "writes",
      note: `the unchanged scan made ${sum(ddbCalls)} DynamoDB calls in all, every one a read`,
    });
    return figures;
  } finally {
    await Promise.all([fake.stop(), s3.stop(), ddb.stop()]);
  }
}
