/**
 * One measured process for the audit-log bench (servers run in the parent). Modes:
 * - `download <instance> <file> <size>`: the downloader's transfer (complete-file endpoint ->
 *   multipart upload with verification), as the Lambda runs it;
 * - `copy <instance> <file> <size>`: the floor, a plain stream copy of the same endpoint's body
 *   into one S3 PUT, no multipart, no hashing, no verification.
 * Endpoints come from BENCH_RDS / BENCH_S3 / BENCH_DDB (BENCH_PART_MB / BENCH_QUEUE: part size and
 * queue size, default 8 and 2 as the Lambda runs). Prints one JSON line:
 * { ms, bytes, startRssBytes, startHwmBytes, hwmBytes, hwmReset, s3WaitMs } (s3WaitMs: ms spent in each S3 operation, download only).
 *
 * Memory is this process's own, from /proc/self/status (proc(5)): VmRSS before the transfer, and
 * VmHWM (peak RSS) after it. Start-up (ts-node compiling, the SDK loading) peaks on its own, so
 * before the transfer the peak is reset by writing "5" to /proc/self/clear_refs (proc(5): "Reset
 * the peak resident set size ("high water mark") to the process's current resident set size",
 * Linux 4.0): `hwmBytes` is then the transfer's peak, start RSS included. (`resourceUsage().maxRSS`
 * is getrusage's ru_maxrss, which a child forked from a larger parent starts from: not its own.)
 */
import * as fs from "fs";
import * as http from "http";
import { RDSClient } from "@aws-sdk/client-rds";
import { S3Client } from "@aws-sdk/client-s3";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { openCompleteFile, transfer } from "../../functions/audit-log/downloader";
import { FAKE_CREDENTIALS } from "../../tests/helpers/fake-rds";

const CREDS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

/** A field of /proc/self/status in bytes (the file gives kB). */
export function procStatusBytes(field: "VmRSS" | "VmHWM"): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(fs.readFileSync("/proc/self/status", "utf8"));
  if (!m) throw new Error(`/proc/self/status has no ${field}`);
  return Number(m[1]) * 1024;
}

function resetPeakRss(): boolean {
  try {
    fs.writeFileSync("/proc/self/clear_refs", "5");
    return true;
  } catch {
    return false;
  }
}

export async function main(argv: string[]): Promise<number> {
  const [mode, instance, file, sizeText] = argv;
  const size = Number(sizeText);
  const rdsUrl = process.env.BENCH_RDS as string;
  const s3Url = process.env.BENCH_S3 as string;
  const rds = new RDSClient({ endpoint: rdsUrl, region: "cn-north-1", credentials: FAKE_CREDENTIALS });
  const job = { DBInstanceIdentifier: instance, LogFileName: file, Size: size, LastWritten: 1 };
  const startHwmBytes = procStatusBytes("VmHWM");
  const startRssBytes = procStatusBytes("VmRSS");
  const hwmReset = resetPeakRss();
  const t0 = process.hrtime.bigint();
  let bytes = 0;
  const s3WaitMs: Record<string, number> = {};
  if (mode === "download") {
    const s3 = new S3Client({ endpoint: s3Url, region: "cn-north-1", forcePathStyle: true, credentials: CREDS });
    // Time spent waiting on each S3 operation (the sink's own work shows up here).
    s3.middlewareStack.add(
      (next, context) => async (args) => {
        const t = process.hrtime.bigint();
        try {
          return await next(args);
        } finally {
          const op = context.commandName ?? "?";
          s3WaitMs[op] = (s3WaitMs[op] ?? 0) + Number(process.hrtime.bigint() - t) / 1e6;
        }
      },
      { step: "initialize", name: "benchS3Wait" },
    );
    const dynamodb = new DynamoDBClient({ endpoint: process.env.BENCH_DDB, region: "cn-north-1", credentials: CREDS });
    const t = await transfer(
      {
        rds,
        s3,
        dynamodb,
        tableName: "unused",
        archiveBucketName: "bench",
        region: "cn-north-1",
        rdsRestEndpoint: rdsUrl,
        partSizeMb: Number(process.env.BENCH_PART_MB ?? 8),
        queueSize: Number(process.env.BENCH_QUEUE ?? 2),
      },
      job,
    );
    bytes = t.bytesUploaded;
  } else if (mode === "copy") {
    const res = await openCompleteFile({ rds, region: "cn-north-1", rdsRestEndpoint: rdsUrl }, job);
    if (res.status !== 200) throw new Error(`GET ${res.status}`);
    const u = new URL(`${s3Url}/bench/copy/${instance}/${file}`);
    await new Promise<void>((resolve, reject) => {
      const put = http.request(
        { method: "PUT", hostname: u.hostname, port: u.port, path: u.pathname, headers: { "content-length": String(size), "content-type": "text/plain" } },
        (r) => {
          r.resume();
          r.on("end", () => (r.statusCode === 200 ? resolve() : reject(new Error(`PUT ${r.statusCode}`))));
        },
      );
      put.on("error", reject);
      res.body.on("data", (c: Buffer) => (bytes += c.length));
      res.body.pipe(put);
    });
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const hwmBytes = procStatusBytes("VmHWM");
  console.log(JSON.stringify({ ms, bytes, startRssBytes, startHwmBytes, hwmBytes, hwmReset, s3WaitMs }));
  return 0;
}
