/**
 * One measured process for the audit-log bench (servers run in the parent). Modes:
 * - `download <instance> <file> <size>`: the downloader's transfer (complete-file endpoint ->
 *   multipart upload with verification), as the Lambda runs it;
 * - `copy <instance> <file> <size>`: the floor, a plain stream copy of the same endpoint's body
 *   into one S3 PUT, no multipart, no hashing, no verification.
 * Endpoints come from BENCH_RDS / BENCH_S3 / BENCH_DDB. Prints one JSON line:
 * { ms, bytes, maxRssBytes, startRssBytes }.
 */
import * as http from "http";
import { RDSClient } from "@aws-sdk/client-rds";
import { S3Client } from "@aws-sdk/client-s3";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { openCompleteFile, transfer } from "../../functions/audit-log/downloader";
import { FAKE_CREDENTIALS } from "../../tests/helpers/fake-rds";

const CREDS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

export async function main(argv: string[]): Promise<number> {
  const [mode, instance, file, sizeText] = argv;
  const size = Number(sizeText);
  const rdsUrl = process.env.BENCH_RDS as string;
  const s3Url = process.env.BENCH_S3 as string;
  const rds = new RDSClient({ endpoint: rdsUrl, region: "cn-north-1", credentials: FAKE_CREDENTIALS });
  const job = { DBInstanceIdentifier: instance, LogFileName: file, Size: size, LastWritten: 1 };
  const startRssBytes = process.memoryUsage().rss;
  const t0 = process.hrtime.bigint();
  let bytes = 0;
  if (mode === "download") {
    const s3 = new S3Client({ endpoint: s3Url, region: "cn-north-1", forcePathStyle: true, credentials: CREDS });
    const dynamodb = new DynamoDBClient({ endpoint: process.env.BENCH_DDB, region: "cn-north-1", credentials: CREDS });
    const t = await transfer(
      { rds, s3, dynamodb, tableName: "unused", archiveBucketName: "bench", region: "cn-north-1", rdsRestEndpoint: rdsUrl, partSizeMb: 8, queueSize: 2 },
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
  const maxRssBytes = process.resourceUsage().maxRSS * 1024;
  console.log(JSON.stringify({ ms, bytes, maxRssBytes, startRssBytes }));
  return 0;
}
