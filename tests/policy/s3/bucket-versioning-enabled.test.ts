import { s3BucketVersioningEnabled } from "../../../policy-pack/s3/bucket-versioning-enabled";
import { ResourceRecord } from "../../../tools/types";
import { res, runOne, UNKNOWN } from "../helpers";
import { bucket, BUCKET, VERSIONING } from "./buckets";

describe("s3-bucket-versioning-enabled", () => {
  const versioning = (b: ResourceRecord, status: string) =>
    res(VERSIONING, `${b.name}-versioning`, { bucket: `${b.name}-bucket`, versioningConfiguration: { status } }, { deps: { bucket: [b] } });

  it("passes an Enabled versioning configuration", async () => {
    const b = bucket();
    expect((await runOne(s3BucketVersioningEnabled, [b, versioning(b, "Enabled")])).messages).toEqual([]);
  });

  it("reports Suspended versioning and a missing configuration", async () => {
    const b = bucket();
    expect((await runOne(s3BucketVersioningEnabled, [b, versioning(b, "Suspended")])).messages).toEqual([
      'Bucket "archive": its versioning configuration BucketVersioning "archive-versioning" has status "Suspended"; set it to "Enabled".',
    ]);
    expect((await runOne(s3BucketVersioningEnabled, [b])).messages).toEqual([
      'Bucket "archive" has no versioning configuration: add an aws.s3.BucketVersioning pointing at it with status "Enabled".',
    ]);
  });

  it("decides in preview from propertyDependencies when the bucket name is unknown", async () => {
    const b = res(BUCKET, "archive", {}, { state: { bucket: UNKNOWN } });
    const other = res(BUCKET, "other", {}, { state: { bucket: UNKNOWN } });
    const v = res(VERSIONING, "archive-versioning", { bucket: UNKNOWN, versioningConfiguration: { status: "Enabled" } }, { deps: { bucket: [b] } });
    const { result, messages } = await runOne(s3BucketVersioningEnabled, [b, other, v], { preview: true });
    expect(result.skipped).toEqual([]);
    expect(messages).toEqual(['Bucket "other" has no versioning configuration: add an aws.s3.BucketVersioning pointing at it with status "Enabled".']);
    expect(result.examined).toBe(2);
  });
});
