/**
 * functions/audit-log/downloader.ts against aws-sdk-client-mock (S3, DynamoDB) and the fake RDS
 * REST endpoint: exact API parameters, conditions and failure handling.
 */
import { RDSClient } from "@aws-sdk/client-rds";
import { DynamoDBClient, GetItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  AbortMultipartUploadCommand,
} from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { createDownloaderHandler, transfer } from "../../../functions/audit-log/downloader";
import { FAKE_CREDENTIALS, startFakeRds } from "../../helpers/fake-rds";
import { content } from "../../helpers/log-content";
import { logFileImage as img } from "../../helpers/audit-log-records";

const quiet = () => undefined;

describe("downloader", () => {
  test("upload: SSE-KMS with the archive key, the exact key, the S3 version id recorded with conditions", async () => {
    const fake = await startFakeRds();
    try {
      fake.addInstance("db1", "c1");
      const c = content(5, 12 * 1024 * 1024);
      fake.setFile("db1", "audit/a", { content: c, lastWritten: 5 });
      const s3 = mockClient(S3Client);
      s3.on(CreateMultipartUploadCommand).resolves({ UploadId: "u1" });
      s3.on(UploadPartCommand).resolves({ ETag: '"p"' });
      s3.on(CompleteMultipartUploadCommand).resolves({ VersionId: "ver-123", ETag: '"e-3"', ChecksumCRC32: "AAAA-3" });
      const ddb = mockClient(DynamoDBClient);
      ddb.on(GetItemCommand).resolves({ Item: img(5, c.size) as never });
      ddb.on(UpdateItemCommand).resolves({});
      const { RDSClient: R } = await import("@aws-sdk/client-rds");
      const handler = createDownloaderHandler({
        rds: new R({ region: "cn-north-1", endpoint: fake.url, credentials: FAKE_CREDENTIALS }),
        s3: new S3Client({ region: "cn-north-1" }),
        dynamodb: new DynamoDBClient({ region: "cn-north-1" }),
        tableName: "t",
        archiveBucketName: "archive-bucket",
        archiveKmsKeyArn: "arn:aws-cn:kms:cn-north-1:111122223333:key/k",
        region: "cn-north-1",
        rdsRestEndpoint: fake.url,
        partSizeMb: 5,
        now: () => 777,
        log: quiet,
      });
      const out = await handler({
        Records: [
          {
            eventName: "INSERT",
            dynamodb: { Keys: { DBInstanceIdentifier: { S: "db1" }, LogFileName: { S: "audit/a" } }, NewImage: img(5, c.size) as never, SequenceNumber: "1" },
          },
        ],
      });
      expect(out).toEqual({ batchItemFailures: [] });
      const create = s3.commandCalls(CreateMultipartUploadCommand)[0].args[0].input;
      expect(create).toMatchObject({
        Bucket: "archive-bucket",
        Key: "audit-logs/db1/audit/a",
        ServerSideEncryption: "aws:kms",
        SSEKMSKeyId: "arn:aws-cn:kms:cn-north-1:111122223333:key/k",
      });
      expect(s3.commandCalls(UploadPartCommand)).toHaveLength(3);
      const update = ddb.commandCalls(UpdateItemCommand)[0].args[0].input;
      expect(update.ConditionExpression).toBe(
        "attribute_exists(LogFileName) AND LastWritten = :lw AND #s <= :bytes AND (attribute_not_exists(BackupLastWritten) OR BackupLastWritten < :lw OR (BackupLastWritten = :lw AND BackupSize < :bytes))",
      );
      expect(update.ExpressionAttributeValues).toMatchObject({
        ":ver": { S: "ver-123" },
        ":ck": { S: "AAAA-3" },
        ":bytes": { N: String(c.size) },
        ":now": { N: "777" },
      });
      expect(update.UpdateExpression).toContain("REMOVE PendingSince");
      s3.restore();
      ddb.restore();
    } finally {
      await fake.stop();
    }
  });
  test("an S3 failure aborts the multipart upload and the record is reported, never marked backed up", async () => {
    const fake = await startFakeRds();
    try {
      fake.addInstance("db1", "c1");
      fake.setFile("db1", "audit/a", { content: content(6, 11 * 1024 * 1024), lastWritten: 5 });
      const s3 = mockClient(S3Client);
      s3.on(CreateMultipartUploadCommand).resolves({ UploadId: "u1" });
      s3.on(UploadPartCommand).rejects(Object.assign(new Error("denied"), { name: "AccessDenied", $metadata: { httpStatusCode: 403 } }));
      s3.on(AbortMultipartUploadCommand).resolves({});
      const err = await transfer(
        {
          rds: new RDSClient({ region: "cn-north-1", credentials: FAKE_CREDENTIALS }),
          s3: new S3Client({ region: "cn-north-1" }),
          dynamodb: new DynamoDBClient({}),
          tableName: "t",
          archiveBucketName: "b",
          region: "cn-north-1",
          rdsRestEndpoint: fake.url,
          partSizeMb: 5,
        },
        { DBInstanceIdentifier: "db1", LogFileName: "audit/a", Size: 11 * 1024 * 1024, LastWritten: 5 },
      ).catch((e) => e);
      expect(err.name).toBe("AccessDenied");
      expect(s3.commandCalls(AbortMultipartUploadCommand)[0].args[0].input).toMatchObject({ UploadId: "u1", Key: "audit-logs/db1/audit/a" });
      expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
      s3.restore();
    } finally {
      await fake.stop();
    }
  });
});
