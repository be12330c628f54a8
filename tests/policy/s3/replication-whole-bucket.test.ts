import { s3ReplicationWholeBucket } from "../../../policy-pack/s3/replication-whole-bucket";
import { res, runOne, UNKNOWN } from "../helpers";

const B = "aws:s3/bucket:Bucket";
const RC = "aws:s3/bucketReplicationConfig:BucketReplicationConfig";
const good = {
  id: "all",
  status: "Enabled",
  filter: { prefix: "" },
  deleteMarkerReplication: { status: "Enabled" },
  destination: { bucket: "arn:aws-cn:s3:::replica" },
};
const cfg = { "s3-replication-whole-bucket": { sourceBuckets: ["archive"] } };

function stack(rule: Record<string, any> | undefined) {
  const bucket = res(B, "archive", { bucket: UNKNOWN });
  return rule ? [bucket, res(RC, "rep", { bucket: UNKNOWN, role: UNKNOWN, rules: [rule] }, { deps: { bucket: [bucket] } })] : [bucket];
}

describe("s3-replication-whole-bucket", () => {
  it("passes an enabled whole-bucket rule with delete markers to aws-cn, in both modes", async () => {
    for (const preview of [false, true]) {
      expect((await runOne(s3ReplicationWholeBucket, stack(good), { preview, config: cfg })).messages).toEqual([]);
    }
  });

  it("reports a rule limited to one prefix, a disabled rule, missing delete markers and a global-partition destination", async () => {
    for (const preview of [false, true]) {
      const prefix = await runOne(s3ReplicationWholeBucket, stack({ ...good, filter: { prefix: "cloudtrail/" } }), { preview, config: cfg });
      expect(prefix.messages).toEqual([
        'BucketReplicationConfig "rep" has no enabled rule that replicates the whole bucket to aws-cn (rule #1: its filter is limited to prefix "cloudtrail/").',
      ]);
      const off = await runOne(s3ReplicationWholeBucket, stack({ ...good, status: "Disabled" }), { preview, config: cfg });
      expect(off.messages[0]).toMatch(/rule #1: its status is "Disabled"/);
      const markers = await runOne(s3ReplicationWholeBucket, stack({ ...good, deleteMarkerReplication: { status: "Disabled" } }), { preview, config: cfg });
      expect(markers.messages[0]).toMatch(/delete-marker replication is "Disabled", expected Enabled/);
      const global = await runOne(s3ReplicationWholeBucket, stack({ ...good, destination: { bucket: "arn:aws:s3:::replica" } }), { preview, config: cfg });
      expect(global.messages[0]).toMatch(/is not an S3 bucket in the aws-cn partition/);
    }
  });

  it("reports a source bucket without replication, and follows the configured delete-marker setting", async () => {
    expect((await runOne(s3ReplicationWholeBucket, stack(undefined), { config: cfg })).messages).toEqual([
      'Bucket "archive" must replicate to the backup region but has no aws.s3.BucketReplicationConfig.',
    ]);
    const noMarkers = { "s3-replication-whole-bucket": { sourceBuckets: ["archive"], deleteMarkerReplication: "Disabled" } };
    expect(
      (await runOne(s3ReplicationWholeBucket, stack({ ...good, deleteMarkerReplication: { status: "Disabled" } }), { config: noMarkers })).messages,
    ).toEqual([]);
  });
});
