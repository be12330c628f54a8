/**
 * The audit-log pipeline's AWS side on moto: the table with its stream (NEW_AND_OLD_IMAGES, one
 * record per write), the archive bucket versioned with SSE-KMS by default under a moto KMS key, and
 * the clients the tests and the functions use. The RDS log API stays on tests/helpers/fake-rds.ts
 * (moto has no DescribeDBLogFiles / DownloadDBLogFilePortion / REST download).
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { CreateBucketCommand, PutBucketEncryptionCommand, PutBucketVersioningCommand, S3Client } from "@aws-sdk/client-s3";
import { createAuditTable } from "./local-servers";
import { startMoto, type MotoServer } from "./moto";

export const REGION = "cn-north-1";

export interface AuditMoto {
  moto: MotoServer;
  dynamodb: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  s3: S3Client;
  /** The archive key (moto KMS), `arn:aws-cn:kms:cn-north-1:123456789012:key/...`. */
  kmsKeyArn: string;
  /** Creates a pipeline table with its stream; returns the stream ARN. */
  newTable(name: string): Promise<string>;
  /** Creates a versioned bucket with default SSE-KMS under `kmsKeyArn`. */
  newBucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

/** One call of moto's KMS JSON API (no KMS client among the project's packages). */
async function kms(endpoint: string, action: string, body: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await fetch(endpoint, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `TrentService.${action}`,
      // moto reads the region from the credential scope; it does not check signatures.
      authorization: `AWS4-HMAC-SHA256 Credential=testing/20260101/${REGION}/kms/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`moto KMS ${action}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, any>;
}

export async function startAuditMoto(): Promise<AuditMoto> {
  const moto = await startMoto();
  const opts = { endpoint: moto.endpoint, region: REGION, credentials: moto.credentials };
  const dynamodb = new DynamoDBClient(opts);
  const streams = new DynamoDBStreamsClient(opts);
  const s3 = new S3Client({ ...opts, forcePathStyle: true });
  const key = await kms(moto.endpoint, "CreateKey", { Description: "archive key", KeyUsage: "ENCRYPT_DECRYPT" });
  const kmsKeyArn = key.KeyMetadata.Arn as string;
  return {
    moto,
    dynamodb,
    streams,
    s3,
    kmsKeyArn,
    async newTable(name) {
      return createAuditTable(dynamodb, name, { stream: true }) as Promise<string>;
    },
    async newBucket(name) {
      await s3.send(new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: { LocationConstraint: REGION } }));
      await s3.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: "Enabled" } }));
      await s3.send(
        new PutBucketEncryptionCommand({
          Bucket: name,
          ServerSideEncryptionConfiguration: {
            Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: kmsKeyArn }, BucketKeyEnabled: true }],
          },
        }),
      );
    },
    async stop() {
      dynamodb.destroy();
      streams.destroy();
      s3.destroy();
      await moto.stop();
    },
  };
}
