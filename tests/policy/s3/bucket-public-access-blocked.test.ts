import { s3BucketPublicAccessBlocked } from "../../../policy-pack/s3/bucket-public-access-blocked";
import { ResourceRecord } from "../../../tools/types";
import { res, runOne, UNKNOWN } from "../helpers";
import { bucket, BUCKET, PAB } from "./buckets";

describe("s3-bucket-public-access-blocked", () => {
  const pab = (b: ResourceRecord, flags: Record<string, boolean>) =>
    res(
      PAB,
      `${b.name}-pab`,
      { bucket: `${b.name}-bucket`, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true, ...flags },
      { deps: { bucket: [b] } },
    );

  it("passes a bucket with all four settings on", async () => {
    const b = bucket();
    const { result, messages } = await runOne(s3BucketPublicAccessBlocked, [b, pab(b, {})]);
    expect(messages).toEqual([]);
    expect(result.examined).toBe(1);
  });

  it("reports a setting left off, and a bucket with no block", async () => {
    const b = bucket();
    const c = bucket("second");
    const { messages } = await runOne(s3BucketPublicAccessBlocked, [b, c, pab(b, { restrictPublicBuckets: false })]);
    expect(messages).toEqual([
      'Bucket "archive": its public access block BucketPublicAccessBlock "archive-pab" leaves restrictPublicBuckets off; set all four to true.',
      'Bucket "second" has no public access block: add an aws.s3.BucketPublicAccessBlock pointing at it with all four settings true.',
    ]);
  });

  it("decides in preview from propertyDependencies when the bucket name is unknown", async () => {
    const b = res(BUCKET, "archive", {}, { state: { bucket: UNKNOWN } });
    const block = res(
      PAB,
      "archive-pab",
      { bucket: UNKNOWN, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      { deps: { bucket: [b] } },
    );
    const { result, messages } = await runOne(s3BucketPublicAccessBlocked, [b, block], { preview: true });
    expect(result.skipped).toEqual([]);
    expect(messages).toEqual([]);
  });
});
