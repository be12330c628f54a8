import { s3BucketNoForceDestroy } from "../../../policy-pack/s3/bucket-no-force-destroy";
import { res, runOne, UNKNOWN } from "../helpers";

const B = "aws:s3/bucket:Bucket";

describe("s3-bucket-no-force-destroy", () => {
  it("passes buckets without forceDestroy", async () => {
    const { result, messages } = await runOne(s3BucketNoForceDestroy, [res(B, "a", { forceDestroy: false }), res(B, "b", {})], { preview: true });
    expect(messages).toEqual([]);
    expect(result.examined).toBe(2);
  });

  it("reports forceDestroy true in both modes, and an unknown value in preview", async () => {
    for (const preview of [false, true]) {
      expect((await runOne(s3BucketNoForceDestroy, [res(B, "logs", { forceDestroy: true })], { preview })).messages).toEqual([
        'Bucket "logs" sets forceDestroy: a destroy or replacement would delete every log in it.',
      ]);
    }
    expect((await runOne(s3BucketNoForceDestroy, [res(B, "logs", { forceDestroy: UNKNOWN })], { preview: true })).messages).toHaveLength(1);
  });

  it("skips allow-listed buckets", async () => {
    const { result } = await runOne(s3BucketNoForceDestroy, [res(B, "scratch", { forceDestroy: true })], {
      config: { "s3-bucket-no-force-destroy": { allowedBuckets: ["scratch"] } },
    });
    expect(result.violations).toEqual([]);
  });
});
