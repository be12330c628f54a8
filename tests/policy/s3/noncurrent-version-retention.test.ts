import { s3NoncurrentVersionRetention } from "../../../policy-pack/s3/noncurrent-version-retention";
import { res, runOne } from "../helpers";

const LC = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";

describe("s3-noncurrent-version-retention", () => {
  it("passes 90 days or more, in both modes", async () => {
    for (const preview of [false, true]) {
      const { result, messages } = await runOne(
        s3NoncurrentVersionRetention,
        [res(LC, "lc", { rules: [{ id: "all", status: "Enabled", noncurrentVersionExpiration: { noncurrentDays: 90 } }] })],
        { preview },
      );
      expect(messages).toEqual([]);
      expect(result.examined).toBe(1);
    }
  });

  it("reports noncurrent versions expired in fewer days than the recovery window", async () => {
    for (const preview of [false, true]) {
      const { messages } = await runOne(
        s3NoncurrentVersionRetention,
        [res(LC, "lc", { rules: [{ id: "state", status: "Enabled", noncurrentVersionExpiration: { noncurrentDays: 7 } }] })],
        { preview },
      );
      expect(messages).toEqual(['BucketLifecycleConfiguration "lc" rule "state" expires noncurrent versions after 7 days; keep them at least 90 days.']);
    }
    const cfg = { "s3-noncurrent-version-retention": { minimumDays: 30 } };
    expect(
      (
        await runOne(
          s3NoncurrentVersionRetention,
          [res(LC, "lc", { rules: [{ id: "s", status: "Enabled", noncurrentVersionExpiration: { noncurrentDays: 30 } }] })],
          { config: cfg },
        )
      ).messages,
    ).toEqual([]);
  });
});
