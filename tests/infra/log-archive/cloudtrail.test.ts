/** The stack's trail into the archive (infra/log-archive/cloudtrail.ts). */
import { ofType, one, policyOf, runStack } from "../../helpers/pulumi";
import type { StackRun } from "../../../tools/harness";
import { byName, primaryStacks } from "./helpers";

describe("LogArchive CloudTrail", () => {
  let run: StackRun;
  beforeAll(async () => {
    ({ run } = await primaryStacks());
  });
  const key = () => byName(run, "aws:kms/key:Key", "log-archive-archive-key");
  const bucket = () => byName(run, "aws:s3/bucket:Bucket", "log-archive-archive");

  test("CloudTrail: into cloudtrail/ with KMS, log file validation and management events", () => {
    const t = byName(run, "aws:cloudtrail/trail:Trail", "log-archive-trail").inputs;
    expect(t).toMatchObject({
      name: "cn-log-backup-cn-north-1",
      s3BucketName: bucket().state.bucket,
      s3KeyPrefix: "cloudtrail",
      kmsKeyId: key().state.arn,
      enableLogFileValidation: true,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      eventSelectors: [{ readWriteType: "All", includeManagementEvents: true }],
    });
  });
});

describe("LogArchive CloudTrail: variants", () => {
  test("CloudTrail off removes the trail and its bucket/key grants", async () => {
    const run = await runStack("cn-north-1", { config: { logArchive: { cloudTrail: false } } });
    expect(ofType(run, "aws:cloudtrail/trail:Trail")).toHaveLength(0);
    expect(policyOf(one(run, "aws:s3/bucketPolicy:BucketPolicy", "log-archive-archive-policy")).Statement.some((s: any) => /CloudTrail/.test(s.Sid))).toBe(
      false,
    );
    expect(policyOf(one(run, "aws:kms/key:Key", "log-archive-archive-key")).Statement.some((s: any) => /CloudTrail/.test(s.Sid))).toBe(false);
  });
});
