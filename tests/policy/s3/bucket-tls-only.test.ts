import { s3BucketTlsOnly } from "../../../policy-pack/s3/bucket-tls-only";
import { ResourceRecord } from "../../../tools/types";
import { res, runOne, UNKNOWN } from "../helpers";
import { bucket, BUCKET, POLICY } from "./buckets";

describe("s3-bucket-tls-only", () => {
  const tlsStatement = (resource: any) => ({
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: resource,
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  });
  const policy = (b: ResourceRecord, doc: any, deps: ResourceRecord[] = [b]) =>
    res(POLICY, `${b.name}-policy`, { bucket: `${b.name}-bucket`, policy: doc }, { deps: { bucket: [b], policy: deps } });

  it("passes a policy (JSON string) that denies insecure transport on the bucket and its objects", async () => {
    const b = bucket();
    const doc = JSON.stringify({ Version: "2012-10-17", Statement: [tlsStatement(["arn:aws-cn:s3:::archive-bucket", "arn:aws-cn:s3:::archive-bucket/*"])] });
    const { result, messages } = await runOne(s3BucketTlsOnly, [b, policy(b, doc)]);
    expect(messages).toEqual([]);
    expect(result.examined).toBe(1);
  });

  it("reports a policy whose Deny lacks the SecureTransport condition, and a bucket with no policy", async () => {
    const b = bucket();
    const c = bucket("second");
    const st = tlsStatement(["arn:aws-cn:s3:::archive-bucket", "arn:aws-cn:s3:::archive-bucket/*"]);
    delete (st as any).Condition;
    const { messages } = await runOne(s3BucketTlsOnly, [b, c, policy(b, { Version: "2012-10-17", Statement: [st] })]);
    expect(messages).toEqual([
      expect.stringContaining(
        'Bucket "archive": bucket policy BucketPolicy "archive-policy" does not deny requests without TLS (its Deny statements: has no condition Bool aws:SecureTransport = false)',
      ),
      'Bucket "second" has no bucket policy: add an aws.s3.BucketPolicy pointing at it that denies requests where aws:SecureTransport is false.',
    ]);
  });

  it("reports a Deny that covers only the objects", async () => {
    const b = bucket();
    const { messages } = await runOne(s3BucketTlsOnly, [b, policy(b, { Statement: [tlsStatement("arn:aws-cn:s3:::archive-bucket/*")] })]);
    expect(messages).toEqual([expect.stringContaining("does not cover both the bucket ARN and <bucket ARN>/*")]);
  });

  it("reports two bucket policies on one bucket", async () => {
    const b = bucket();
    const doc = { Statement: [tlsStatement(["arn:aws-cn:s3:::archive-bucket", "arn:aws-cn:s3:::archive-bucket/*"])] };
    const second = res(POLICY, "archive-policy-2", { bucket: "archive-bucket", policy: { Statement: [] } }, { deps: { bucket: [b] } });
    const { messages } = await runOne(s3BucketTlsOnly, [b, policy(b, doc), second]);
    expect(messages).toContain(
      'Bucket "archive" has 2 bucket policies (archive-policy, archive-policy-2); a bucket keeps only one, so they overwrite each other. Merge them into one aws.s3.BucketPolicy.',
    );
  });

  describe("in preview", () => {
    it("decides from the known parts of an object policy whose Resource ARNs are unknown and come from the bucket", async () => {
      const b = res(BUCKET, "archive", {}, { state: { bucket: UNKNOWN, arn: UNKNOWN } });
      const { result, messages } = await runOne(s3BucketTlsOnly, [b, policy(b, { Version: "2012-10-17", Statement: [tlsStatement([UNKNOWN, UNKNOWN])] })], {
        preview: true,
      });
      expect(result.skipped).toEqual([]);
      expect(messages).toEqual([]);
      expect(result.examined).toBe(1);
    });

    it("still reports a known Allow-only policy", async () => {
      const b = res(BUCKET, "archive", {}, { state: { bucket: UNKNOWN, arn: UNKNOWN } });
      const doc = { Statement: [{ Effect: "Allow", Principal: { AWS: UNKNOWN }, Action: "s3:GetObject", Resource: UNKNOWN }] };
      const { messages } = await runOne(s3BucketTlsOnly, [b, policy(b, doc)], { preview: true });
      expect(messages).toEqual([expect.stringContaining("does not deny requests without TLS")]);
    });

    it("reports unknown Resource ARNs that do not come from the bucket", async () => {
      const b = res(BUCKET, "archive", {}, { state: { bucket: UNKNOWN, arn: UNKNOWN } });
      const other = res(BUCKET, "other", {}, { state: { bucket: UNKNOWN, arn: UNKNOWN } });
      const p = policy(b, { Statement: [tlsStatement([UNKNOWN, UNKNOWN])] }, [other]);
      const { messages } = await runOne(s3BucketTlsOnly, [b, other, p], { preview: true });
      expect(messages).toContain(
        'Bucket "archive": bucket policy BucketPolicy "archive-policy" does not deny requests without TLS (its Deny statements: names resources that are unknown during preview and do not come from this bucket); add a Deny of s3:* for Principal "*" on the bucket and its objects when aws:SecureTransport is false.',
      );
    });

    it("needs one unknown Resource leaf per missing ARN: a single unknown leaf cannot be both the bucket and its objects", async () => {
      const b = res(BUCKET, "archive", {}, { state: { bucket: UNKNOWN, arn: UNKNOWN } });
      const { result, messages } = await runOne(s3BucketTlsOnly, [b, policy(b, { Statement: [tlsStatement([UNKNOWN])] })], { preview: true });
      expect(result.skipped).toEqual([]);
      expect(messages).toEqual([
        'Bucket "archive": bucket policy BucketPolicy "archive-policy" does not deny requests without TLS (its Deny statements: does not cover both the bucket ARN and <bucket ARN>/* (too few resources, some unknown during preview)); add a Deny of s3:* for Principal "*" on the bucket and its objects when aws:SecureTransport is false.',
      ]);
    });

    it("does not take an unknown Effect, Principal or Action for the TLS Deny", async () => {
      const b = res(BUCKET, "archive", {}, { state: { bucket: UNKNOWN, arn: UNKNOWN } });
      for (const part of ["Effect", "Principal", "Action"]) {
        const { result, messages } = await runOne(s3BucketTlsOnly, [b, policy(b, { Statement: [{ ...tlsStatement([UNKNOWN, UNKNOWN]), [part]: UNKNOWN }] })], {
          preview: true,
        });
        expect([part, result.skipped]).toEqual([part, []]);
        expect([part, messages]).toEqual([part, [expect.stringContaining('bucket policy BucketPolicy "archive-policy" does not deny requests without TLS')]]);
      }
    });

    it("judges the other buckets when one bucket's policy is an unknown string, then reports the policy as skipped", async () => {
      const b = res(BUCKET, "archive", {}, { state: { bucket: UNKNOWN, arn: UNKNOWN } });
      const other = res(BUCKET, "other", {}, { state: { bucket: UNKNOWN, arn: UNKNOWN } });
      const { result, messages } = await runOne(s3BucketTlsOnly, [b, other, policy(b, UNKNOWN)], { preview: true });
      expect(messages).toEqual([
        'Bucket "other" has no bucket policy: add an aws.s3.BucketPolicy pointing at it that denies requests where aws:SecureTransport is false.',
      ]);
      expect(result.skipped).toHaveLength(1);
    });

    it("is skipped (advisory) when the whole policy document is an unknown string", async () => {
      const b = res(BUCKET, "archive", {}, { state: { bucket: UNKNOWN, arn: UNKNOWN } });
      const { result, messages } = await runOne(s3BucketTlsOnly, [b, policy(b, UNKNOWN)], { preview: true });
      expect(messages).toEqual([]);
      expect(result.skipped).toEqual([
        {
          message:
            "can't run policy 's3-bucket-tls-only' from policy pack 'cn-log-backup' during preview: string value at .policy can't be known during preview",
        },
      ]);
    });
  });
});
