import { s3BucketEncryptedWithCmk } from "../../../policy-pack/s3/bucket-encrypted-with-cmk";
import { keyArn, kmsKey, res, runOne, UNKNOWN } from "../helpers";
import { BUCKET, bucket, kmsRule, sse, SSE } from "./buckets";

describe("s3-bucket-encrypted-with-cmk", () => {
  it("passes a bucket whose separate encryption config uses a customer-managed key with bucket key on", async () => {
    const b = bucket();
    const key = kmsKey();
    const { result, messages } = await runOne(s3BucketEncryptedWithCmk, [b, key, sse(b, kmsRule(keyArn()), { key })]);
    expect(messages).toEqual([]);
    expect(result.examined).toBe(1);
    expect(result.examinedResources).toEqual([`${BUCKET} archive`]);
  });

  it("reports a bucket with no encryption configuration pointing at it", async () => {
    const b = bucket();
    const other = bucket("other");
    const { messages } = await runOne(s3BucketEncryptedWithCmk, [b, other, sse(other, kmsRule(keyArn()))]);
    expect(messages).toEqual([expect.stringContaining('Bucket "archive" has no server-side encryption configuration')]);
  });

  it("reports SSE-S3, the AWS managed key, a missing key and bucket key off", async () => {
    const cases: [Record<string, any>, string][] = [
      [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }, "uses SSE-S3 (AES256) instead of SSE-KMS with a customer-managed key"],
      [kmsRule("alias/aws/s3"), "uses the AWS managed key alias/aws/s3"],
      [kmsRule(undefined), "uses SSE-KMS without kmsMasterKeyId, i.e. the AWS managed key aws/s3"],
      [kmsRule(keyArn(), false), "does not turn bucketKeyEnabled on"],
    ];
    for (const [rule, expected] of cases) {
      const b = bucket();
      const { messages } = await runOne(s3BucketEncryptedWithCmk, [b, sse(b, rule)]);
      expect(messages).toEqual([`Bucket "archive": its encryption configuration BucketServerSideEncryptionConfiguration "archive-sse" ${expected}.`]);
    }
  });

  it("allows SSE-S3 for an allow-listed bucket (by logical or physical name)", async () => {
    const b = bucket("access-logs");
    const records = [b, sse(b, { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } })];
    expect(
      (await runOne(s3BucketEncryptedWithCmk, records, { config: { "s3-bucket-encrypted-with-cmk": { sseS3AllowedBuckets: ["access-logs"] } } })).messages,
    ).toEqual([]);
    expect(
      (await runOne(s3BucketEncryptedWithCmk, records, { config: { "s3-bucket-encrypted-with-cmk": { sseS3AllowedBuckets: ["access-logs-bucket"] } } }))
        .messages,
    ).toEqual([]);
    expect(
      (await runOne(s3BucketEncryptedWithCmk, records, { config: { "s3-bucket-encrypted-with-cmk": { sseS3AllowedBuckets: ["someone-else"] } } })).messages,
    ).toHaveLength(1);
  });

  describe("in preview, with the bucket name and key ARN unknown", () => {
    it("links the config to its bucket through propertyDependencies and accepts a key from an aws:kms/key:Key", async () => {
      const b = res(BUCKET, "archive", { bucketPrefix: "archive-" }, { state: { bucketPrefix: "archive-", bucket: UNKNOWN, arn: UNKNOWN } });
      const key = kmsKey();
      const { result, messages } = await runOne(s3BucketEncryptedWithCmk, [b, key, sse(b, kmsRule(UNKNOWN), { bucketRef: UNKNOWN, key })], { preview: true });
      expect(result.skipped).toEqual([]);
      expect(messages).toEqual([]);
      expect(result.examined).toBe(1);
    });

    it("reports an unknown key that does not come from a KMS key in the stack", async () => {
      const b = res(BUCKET, "archive", {}, { state: { bucket: UNKNOWN } });
      const notAKey = res("aws:sqs/queue:Queue", "q", {});
      const { messages } = await runOne(s3BucketEncryptedWithCmk, [b, notAKey, sse(b, kmsRule(UNKNOWN), { bucketRef: UNKNOWN, key: notAKey })], {
        preview: true,
      });
      expect(messages).toEqual([expect.stringContaining("has a kmsMasterKeyId that is unknown during preview and does not come from a KMS key in this stack")]);
    });

    it("does not credit a config whose bucket is unknown and depends on another bucket", async () => {
      const b = res(BUCKET, "archive", {}, { state: { bucket: UNKNOWN } });
      const other = res(BUCKET, "other", {}, { state: { bucket: UNKNOWN } });
      const key = kmsKey();
      const { messages } = await runOne(s3BucketEncryptedWithCmk, [b, other, key, sse(other, kmsRule(UNKNOWN), { bucketRef: UNKNOWN, key })], {
        preview: true,
      });
      expect(messages).toEqual([expect.stringContaining('Bucket "archive" has no server-side encryption configuration')]);
    });
  });
});
