import { s3LifecycleMinRetention } from "../../../policy-pack/s3/lifecycle-min-retention";
import { res, runOne, UNKNOWN } from "../helpers";

const LC = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";
const rule = (id: string, prefix: string, days?: number, extra: Record<string, any> = {}) => ({
  id,
  status: "Enabled",
  filter: { prefix },
  ...(days !== undefined ? { expiration: { days } } : {}),
  ...extra,
});

describe("s3-lifecycle-min-retention", () => {
  it("passes 180 days and more, rules without expiry, and disabled rules, in both modes", async () => {
    for (const preview of [false, true]) {
      const { result, messages } = await runOne(
        s3LifecycleMinRetention,
        [
          res(LC, "lc", {
            bucket: UNKNOWN,
            rules: [
              rule("cloudwatch", "cloudwatch/", 180),
              rule("state", "state/"),
              rule("old", "tmp/", 1, { status: "Disabled" }),
              { id: "markers", status: "Enabled", filter: { prefix: "" }, expiration: { expiredObjectDeleteMarker: true } },
            ],
          }),
        ],
        { preview },
      );
      expect(messages).toEqual([]);
      expect(result.examined).toBe(1);
    }
  });

  it("reports a prefix that expires under 180 days, in update and preview mode", async () => {
    for (const preview of [false, true]) {
      const { messages } = await runOne(
        s3LifecycleMinRetention,
        [res(LC, "lc", { bucket: UNKNOWN, rules: [rule("cloudwatch", "cloudwatch/", 400), rule("flow-logs", "flow-logs/", 179)] })],
        { preview },
      );
      expect(messages).toEqual([
        'BucketLifecycleConfiguration "lc" rule "flow-logs" expires objects after 179 days; log retention must be at least 180 days (Cybersecurity Law Art. 21).',
      ]);
    }
  });

  it("reports fixed expiry dates and unknown rules, and honours a configured minimum", async () => {
    const dated = await runOne(s3LifecycleMinRetention, [
      res(LC, "lc", { rules: [rule("x", "", undefined, { expiration: { date: "2027-01-01T00:00:00Z" } })] }),
    ]);
    expect(dated.messages).toEqual(['BucketLifecycleConfiguration "lc" rule "x" expires objects on a fixed date; use expiration.days of at least 180.']);
    const unknown = await runOne(s3LifecycleMinRetention, [res(LC, "lc", { rules: UNKNOWN })], { preview: true });
    expect(unknown.messages[0]).toMatch(/lifecycle rules are unknown during preview/);
    const cfg = { "s3-lifecycle-min-retention": { minimumDays: 365 } };
    expect((await runOne(s3LifecycleMinRetention, [res(LC, "lc", { rules: [rule("a", "", 300)] })], { config: cfg })).messages).toHaveLength(1);
  });
});
