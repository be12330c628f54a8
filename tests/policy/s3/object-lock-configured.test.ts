import { s3ObjectLockConfigured } from "../../../policy-pack/s3/object-lock-configured";
import { res, runOne, UNKNOWN } from "../helpers";

const B = "aws:s3/bucket:Bucket";
const OL = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration";

describe("s3-object-lock-configured", () => {
  it("passes a locked bucket with a default retention and buckets without Object Lock", async () => {
    for (const preview of [false, true]) {
      const b = res(B, "replica", { objectLockEnabled: true, bucket: UNKNOWN });
      const { messages } = await runOne(
        s3ObjectLockConfigured,
        [b, res(B, "plain", {}), res(OL, "ol", { bucket: UNKNOWN, rule: { defaultRetention: { mode: "GOVERNANCE", days: 180 } } }, { deps: { bucket: [b] } })],
        { preview },
      );
      expect(messages).toEqual([]);
    }
  });

  it("reports Object Lock without its configuration, or a configuration without default retention", async () => {
    for (const preview of [false, true]) {
      expect((await runOne(s3ObjectLockConfigured, [res(B, "replica", { objectLockEnabled: true })], { preview })).messages).toEqual([
        'Bucket "replica" has Object Lock enabled but no aws.s3.BucketObjectLockConfiguration: objects would not be locked.',
      ]);
      const b = res(B, "replica", { objectLockEnabled: true, bucket: "r" });
      expect(
        (await runOne(s3ObjectLockConfigured, [b, res(OL, "ol", { bucket: "r", rule: { defaultRetention: { mode: "GOVERNANCE" } } })], { preview }))
          .messages[0],
      ).toMatch(/has no default retention/);
    }
  });
});
