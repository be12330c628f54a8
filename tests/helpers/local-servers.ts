/**
 * Local servers on 127.0.0.1 port 0, stopped after use: dynalite (DynamoDB) and s3rver (S3, in a
 * temporary directory removed on stop), plus the pipeline table's definition.
 *
 * The functions' tests run on moto instead (tests/helpers/moto-audit.ts): dynalite has no DynamoDB
 * Streams and s3rver no versioning or SSE-KMS. These two stay for `npm run bench`
 * (tools/bench/audit-log.ts), which measures the downloader's throughput and memory and wants a
 * sink that costs little CPU next to it. s3rver completes multipart uploads as S3 does
 * (./s3rver-completion.ts, tested against moto_server): its own completion checks nothing and
 * hashes the whole object again for an ETag S3 would not give.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AddressInfo } from "net";
import { type AttributeValue, CreateTableCommand, DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { completeMultipartUploadsAsS3 } from "./s3rver-completion";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require("dynalite");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require("s3rver");

export interface LocalDynamo {
  endpoint: string;
  client: DynamoDBClient;
  stop(): Promise<void>;
}

export interface LocalS3 {
  endpoint: string;
  client: S3Client;
  dir: string;
  stop(): Promise<void>;
}

export async function startDynalite(): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({ endpoint, region: "cn-north-1", credentials: { accessKeyId: "fake", secretAccessKey: "fake" } });
  return {
    endpoint,
    client,
    stop: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function startS3rver(bucket?: string): Promise<LocalS3> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "s3rver-"));
  const server = new S3rver({ port: 0, address: "127.0.0.1", directory: dir, silent: true, configureBuckets: bucket ? [{ name: bucket }] : [] });
  completeMultipartUploadsAsS3(server.store);
  const addr = await server.run();
  const endpoint = `http://127.0.0.1:${addr.port}`;
  const client = newS3Client(endpoint);
  if (bucket) await client.send(new CreateBucketCommand({ Bucket: bucket })).catch(() => undefined);
  return {
    endpoint,
    client,
    dir,
    stop: async () => {
      client.destroy();
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function newS3Client(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: "cn-north-1",
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
  });
}

/**
 * The pipeline's table as infra creates it: key, the sparse PendingSince index and (moto only:
 * dynalite has no streams) the NEW_AND_OLD_IMAGES stream. Returns the stream ARN when there is one.
 */
export async function createAuditTable(client: DynamoDBClient, tableName: string, opts: { stream?: boolean } = {}): Promise<string | undefined> {
  const out = await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [
        { AttributeName: "DBInstanceIdentifier", AttributeType: "S" },
        { AttributeName: "LogFileName", AttributeType: "S" },
        { AttributeName: "PendingSince", AttributeType: "N" },
      ],
      KeySchema: [
        { AttributeName: "DBInstanceIdentifier", KeyType: "HASH" },
        { AttributeName: "LogFileName", KeyType: "RANGE" },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: "PendingSince",
          KeySchema: [
            { AttributeName: "DBInstanceIdentifier", KeyType: "HASH" },
            { AttributeName: "PendingSince", KeyType: "RANGE" },
          ],
          Projection: { ProjectionType: "KEYS_ONLY" },
        },
      ],
      ...(opts.stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" as const } } : {}),
    }),
  );
  return out.TableDescription?.LatestStreamArn;
}

export async function scanAll(client: DynamoDBClient, tableName: string): Promise<Record<string, AttributeValue>[]> {
  const items: Record<string, AttributeValue>[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const out = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start, ConsistentRead: true }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}
