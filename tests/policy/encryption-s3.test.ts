import { s3BucketEncryptedWithCmk, s3BucketPublicAccessBlocked, s3BucketTlsOnly, s3BucketVersioningEnabled } from "../../policy-pack/encryption-s3";
import { ResourceRecord } from "../../tools/types";
import { keyArn, kmsKey, res, runOne, UNKNOWN } from "./helpers";

const BUCKET = "aws:s3/bucket:Bucket";
const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
const VERSIONING = "aws:s3/bucketVersioning:BucketVersioning";
const PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const POLICY = "aws:s3/bucketPolicy:BucketPolicy";

function bucket(name = "archive", inputs: Record<string, any> = {}): ResourceRecord {
    return res(BUCKET, name, { bucket: `${name}-bucket`, ...inputs }, { state: { bucket: `${name}-bucket`, arn: `arn:aws-cn:s3:::${name}-bucket`, ...inputs } });
}

function sse(b: ResourceRecord, rule: Record<string, any>, opts: { bucketRef?: any; key?: ResourceRecord } = {}): ResourceRecord {
    const bucketRef = "bucketRef" in opts ? opts.bucketRef : `${b.name}-bucket`;
    return res(SSE, `${b.name}-sse`, { bucket: bucketRef, rules: [rule] }, { deps: { bucket: [b], ...(opts.key ? { rules: [opts.key] } : {}) } });
}

const kmsRule = (kmsMasterKeyId: any, bucketKeyEnabled: any = true) => ({
    applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId },
    bucketKeyEnabled,
});

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
        expect(messages).toEqual([
            expect.stringContaining('Bucket "archive" has no server-side encryption configuration'),
        ]);
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
        expect((await runOne(s3BucketEncryptedWithCmk, records, { config: { "s3-bucket-encrypted-with-cmk": { sseS3AllowedBuckets: ["access-logs"] } } })).messages).toEqual([]);
        expect((await runOne(s3BucketEncryptedWithCmk, records, { config: { "s3-bucket-encrypted-with-cmk": { sseS3AllowedBuckets: ["access-logs-bucket"] } } })).messages).toEqual([]);
        expect((await runOne(s3BucketEncryptedWithCmk, records, { config: { "s3-bucket-encrypted-with-cmk": { sseS3AllowedBuckets: ["someone-else"] } } })).messages).toHaveLength(1);
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
            const { messages } = await runOne(s3BucketEncryptedWithCmk, [b, notAKey, sse(b, kmsRule(UNKNOWN), { bucketRef: UNKNOWN, key: notAKey })], { preview: true });
            expect(messages).toEqual([expect.stringContaining("has a kmsMasterKeyId that is unknown during preview and does not come from a KMS key in this stack")]);
        });

        it("does not credit a config whose bucket is unknown and depends on another bucket", async () => {
            const b = res(BUCKET, "archive", {}, { state: { bucket: UNKNOWN } });
            const other = res(BUCKET, "other", {}, { state: { bucket: UNKNOWN } });
            const key = kmsKey();
            const { messages } = await runOne(s3BucketEncryptedWithCmk, [b, other, key, sse(other, kmsRule(UNKNOWN), { bucketRef: UNKNOWN, key })], { preview: true });
            expect(messages).toEqual([expect.stringContaining('Bucket "archive" has no server-side encryption configuration')]);
        });
    });
});

describe("s3-bucket-public-access-blocked", () => {
    const pab = (b: ResourceRecord, flags: Record<string, boolean>) =>
        res(PAB, `${b.name}-pab`, { bucket: `${b.name}-bucket`, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true, ...flags }, { deps: { bucket: [b] } });

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
        const block = res(PAB, "archive-pab", { bucket: UNKNOWN, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, { deps: { bucket: [b] } });
        const { result, messages } = await runOne(s3BucketPublicAccessBlocked, [b, block], { preview: true });
        expect(result.skipped).toEqual([]);
        expect(messages).toEqual([]);
    });
});

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
            expect.stringContaining('Bucket "archive": bucket policy BucketPolicy "archive-policy" does not deny requests without TLS (its Deny statements: has no condition Bool aws:SecureTransport = false)'),
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
        expect(messages).toContain('Bucket "archive" has 2 bucket policies (archive-policy, archive-policy-2); a bucket keeps only one, so they overwrite each other. Merge them into one aws.s3.BucketPolicy.');
    });

    describe("in preview", () => {
        it("decides from the known parts of an object policy whose Resource ARNs are unknown and come from the bucket", async () => {
            const b = res(BUCKET, "archive", {}, { state: { bucket: UNKNOWN, arn: UNKNOWN } });
            const { result, messages } = await runOne(s3BucketTlsOnly, [b, policy(b, { Version: "2012-10-17", Statement: [tlsStatement([UNKNOWN, UNKNOWN])] })], { preview: true });
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
                const { result, messages } = await runOne(s3BucketTlsOnly, [b, policy(b, { Statement: [{ ...tlsStatement([UNKNOWN, UNKNOWN]), [part]: UNKNOWN }] })], { preview: true });
                expect([part, result.skipped]).toEqual([part, []]);
                expect([part, messages]).toEqual([part, [expect.stringContaining('bucket policy BucketPolicy "archive-policy" does not deny requests without TLS')]]);
            }
        });

        it("judges the other buckets when one bucket's policy is an unknown string, then reports the policy as skipped", async () => {
            const b = res(BUCKET, "archive", {}, { state: { bucket: UNKNOWN, arn: UNKNOWN } });
            const other = res(BUCKET, "other", {}, { state: { bucket: UNKNOWN, arn: UNKNOWN } });
            const { result, messages } = await runOne(s3BucketTlsOnly, [b, other, policy(b, UNKNOWN)], { preview: true });
            expect(messages).toEqual(['Bucket "other" has no bucket policy: add an aws.s3.BucketPolicy pointing at it that denies requests where aws:SecureTransport is false.']);
            expect(result.skipped).toHaveLength(1);
        });

        it("is skipped (advisory) when the whole policy document is an unknown string", async () => {
            const b = res(BUCKET, "archive", {}, { state: { bucket: UNKNOWN, arn: UNKNOWN } });
            const { result, messages } = await runOne(s3BucketTlsOnly, [b, policy(b, UNKNOWN)], { preview: true });
            expect(messages).toEqual([]);
            expect(result.skipped).toEqual([{ message: "can't run policy 's3-bucket-tls-only' from policy pack 'cn-log-backup' during preview: string value at .policy can't be known during preview" }]);
        });
    });
});
