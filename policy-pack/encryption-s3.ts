/**
 * S3: encryption at rest with a customer-managed key, public access blocked, versioning, and TLS
 * only. In provider v7 these settings are separate resources pointing at the bucket, so these are
 * stack-level policies: a bucket passes when a resource of the right kind points at it.
 *
 * "Points at" is decided from the resource's `propertyDependencies.bucket` (it holds the bucket's
 * URN when `bucket: myBucket.id` is passed), which is known during preview even when the bucket's
 * name is not; a known, equal bucket name also counts.
 */
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { fsbp } from "./lib/controls";
import { conditionsOf, effectOf, InvalidDocumentError, parseDocument, principalsOf, statementsOf, valuesOf } from "./lib/iam-document";
import {
    allowListSchema,
    BUCKET_TYPES,
    CMK_TYPES,
    dependenciesOf,
    dependsOnType,
    describe,
    isAwsManagedKeyRef,
    isUnknownError,
    knownString,
    MANDATORY,
    onAllowList,
    read,
    T,
    validateStackOf,
} from "./lib/kit";

/** The resources of the given types that configure `bucket`. */
export function attachedTo(bucket: PolicyResource, resources: PolicyResource[], types: readonly string[]): PolicyResource[] {
    const bucketName = knownString(() => bucket.props.bucket);
    return resources.filter((r) => {
        if (!types.includes(r.type)) {
            return false;
        }
        if (dependenciesOf(r, "bucket").some((d) => d.urn === bucket.urn)) {
            return true;
        }
        const target = knownString(() => r.props.bucket);
        return bucketName !== undefined && target === bucketName;
    });
}

function bucketsOf(resources: PolicyResource[]): PolicyResource[] {
    return resources.filter((r) => BUCKET_TYPES.includes(r.type));
}

function physicalName(bucket: PolicyResource): string | undefined {
    return knownString(() => bucket.props.bucket);
}

export interface S3EncryptionConfig {
    /** Buckets (logical or physical names) where AWS requires SSE-S3, e.g. server access log targets. */
    sseS3AllowedBuckets?: string[];
}

/** Judges one encryption rule list; returns the problems found (empty = compliant). */
function judgeRules(rules: unknown, owner: PolicyResource, rulesProperty: string, sseS3Allowed: boolean): string[] {
    const list = Array.isArray(rules) ? rules : rules ? [rules] : [];
    if (list.length === 0) {
        return ["has no encryption rule"];
    }
    const problems: string[] = [];
    for (let i = 0; i < list.length; i++) {
        const rule = list[i];
        const byDefault = rule.applyServerSideEncryptionByDefault;
        const algorithm = byDefault?.sseAlgorithm;
        if (algorithm === "AES256") {
            if (!sseS3Allowed) {
                problems.push(`uses SSE-S3 (AES256) instead of SSE-KMS with a customer-managed key`);
            }
            continue;
        }
        if (algorithm !== "aws:kms" && algorithm !== "aws:kms:dsse") {
            problems.push(`has sseAlgorithm ${JSON.stringify(algorithm)}; expected "aws:kms"`);
            continue;
        }
        const key = read(() => byDefault.kmsMasterKeyId);
        if (key.known) {
            if (key.value === undefined || key.value === null || key.value === "") {
                problems.push(`uses SSE-KMS without kmsMasterKeyId, i.e. the AWS managed key aws/s3`);
            } else if (isAwsManagedKeyRef(String(key.value))) {
                problems.push(`uses the AWS managed key ${key.value}`);
            }
        } else if (!dependsOnType(owner, rulesProperty, CMK_TYPES)) {
            problems.push(`has a kmsMasterKeyId that is unknown during preview and does not come from a KMS key in this stack`);
        }
        if (algorithm === "aws:kms" && rule.bucketKeyEnabled !== true) {
            problems.push(`does not turn bucketKeyEnabled on`);
        }
    }
    return problems;
}

export const s3BucketEncryptedWithCmk: StackValidationPolicy = {
    name: "s3-bucket-encrypted-with-cmk",
    description: "Every S3 bucket has default encryption SSE-KMS with a customer-managed key and S3 Bucket Keys on (SSE-S3 only for allow-listed buckets where AWS requires it).",
    remediationSteps:
        "Add an aws.s3.BucketServerSideEncryptionConfiguration with `bucket: <bucket>.id` and one rule " +
        "{ applyServerSideEncryptionByDefault: { sseAlgorithm: \"aws:kms\", kmsMasterKeyId: <aws.kms.Key>.arn }, bucketKeyEnabled: true }. " +
        "Only where AWS requires SSE-S3 (e.g. a server access logging target), add the bucket to this policy's `sseS3AllowedBuckets`.",
    enforcementLevel: MANDATORY,
    severity: "high",
    framework: fsbp("S3.17", "S3 general purpose buckets should be encrypted at rest with AWS KMS keys"),
    configSchema: {
        properties: {
            sseS3AllowedBuckets: allowListSchema("Buckets (logical or physical names) that may use SSE-S3 because AWS requires it."),
        },
    },
    validateStack: validateStackOf(BUCKET_TYPES, (args, report) => {
        const cfg = args.getConfig<S3EncryptionConfig>();
        for (const bucket of bucketsOf(args.resources)) {
            const sseS3Allowed = onAllowList(cfg.sseS3AllowedBuckets, bucket.name, physicalName(bucket));
            const configs = attachedTo(bucket, args.resources, [T.bucketSse, T.bucketSseV2]);
            const inline = read(() => bucket.props.serverSideEncryptionConfiguration);
            const inlineRules = inline.known && inline.value ? bucket.props.serverSideEncryptionConfiguration.rule ?? bucket.props.serverSideEncryptionConfiguration.rules : undefined;
            if (configs.length === 0 && !inlineRules) {
                report(`${describe(bucket)} has no server-side encryption configuration: add an aws.s3.BucketServerSideEncryptionConfiguration pointing at it with sseAlgorithm "aws:kms", a customer-managed kmsMasterKeyId and bucketKeyEnabled: true.`, bucket.urn);
                continue;
            }
            for (const c of configs) {
                for (const p of judgeRules(c.props.rules, c, "rules", sseS3Allowed)) {
                    report(`${describe(bucket)}: its encryption configuration ${describe(c)} ${p}.`, c.urn);
                }
            }
            if (configs.length === 0 && inlineRules) {
                for (const p of judgeRules(inlineRules, bucket, "serverSideEncryptionConfiguration", sseS3Allowed)) {
                    report(`${describe(bucket)}: its inline encryption configuration ${p}.`, bucket.urn);
                }
            }
        }
    }),
};

export const s3BucketPublicAccessBlocked: StackValidationPolicy = {
    name: "s3-bucket-public-access-blocked",
    description: "Every S3 bucket has a public access block with all four settings on.",
    remediationSteps:
        "Add an aws.s3.BucketPublicAccessBlock with `bucket: <bucket>.id` and blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true.",
    enforcementLevel: MANDATORY,
    severity: "critical",
    framework: fsbp("S3.8", "S3 general purpose buckets should block public access"),
    validateStack: validateStackOf(BUCKET_TYPES, (args, report) => {
        for (const bucket of bucketsOf(args.resources)) {
            const blocks = attachedTo(bucket, args.resources, [T.bucketPublicAccessBlock]);
            if (blocks.length === 0) {
                report(`${describe(bucket)} has no public access block: add an aws.s3.BucketPublicAccessBlock pointing at it with all four settings true.`, bucket.urn);
                continue;
            }
            for (const b of blocks) {
                const off = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].filter((k) => b.props[k] !== true);
                if (off.length > 0) {
                    report(`${describe(bucket)}: its public access block ${describe(b)} leaves ${off.join(", ")} off; set all four to true.`, b.urn);
                }
            }
        }
    }),
};

export const s3BucketVersioningEnabled: StackValidationPolicy = {
    name: "s3-bucket-versioning-enabled",
    description: "Every S3 bucket has versioning enabled, so overwritten or deleted objects can be recovered.",
    remediationSteps: "Add an aws.s3.BucketVersioning with `bucket: <bucket>.id` and versioningConfiguration: { status: \"Enabled\" }.",
    enforcementLevel: MANDATORY,
    severity: "medium",
    framework: fsbp("S3.14", "S3 general purpose buckets should have versioning enabled"),
    validateStack: validateStackOf(BUCKET_TYPES, (args, report) => {
        for (const bucket of bucketsOf(args.resources)) {
            const configs = attachedTo(bucket, args.resources, [T.bucketVersioning, T.bucketVersioningV2]);
            const inline = read(() => bucket.props.versioning);
            const inlineOn = inline.known && inline.value ? bucket.props.versioning.enabled === true : undefined;
            if (configs.length === 0) {
                if (inlineOn === undefined) {
                    report(`${describe(bucket)} has no versioning configuration: add an aws.s3.BucketVersioning pointing at it with status "Enabled".`, bucket.urn);
                } else if (!inlineOn) {
                    report(`${describe(bucket)} has inline versioning turned off: enable it with an aws.s3.BucketVersioning (status "Enabled").`, bucket.urn);
                }
                continue;
            }
            for (const c of configs) {
                const status = c.props.versioningConfiguration?.status;
                if (status !== "Enabled") {
                    report(`${describe(bucket)}: its versioning configuration ${describe(c)} has status ${JSON.stringify(status)}; set it to "Enabled".`, c.urn);
                }
            }
        }
    }),
};

/** Whether a statement denies all S3 requests made without TLS. Returns a problem, or undefined when it does. */
function tlsDenyProblem(stmt: Record<string, any>): string | undefined {
    if (effectOf(stmt) !== "Deny") {
        return "is not a Deny";
    }
    const principals = principalsOf(stmt);
    if (!principals.anyone) {
        return "does not apply to every principal (\"*\")";
    }
    const actions = valuesOf(() => stmt.Action);
    if (!actions.values.some((a) => a === "*" || a.toLowerCase() === "s3:*")) {
        return "does not deny every S3 action (s3:*)";
    }
    const cond = conditionsOf(stmt);
    const insecure = cond.tests.some(
        (t) => (t.operator === "Bool" || t.operator === "BoolIfExists") && t.key === "aws:securetransport" && t.values.values.some((v) => String(v).toLowerCase() === "false"),
    );
    if (!insecure) {
        return "has no condition Bool aws:SecureTransport = false";
    }
    return undefined;
}

/**
 * Whether the statement's resources cover the bucket and its objects. During preview the bucket's
 * ARN is unknown, and so are the Resource leaves built from it: a missing part may be an unknown
 * leaf when the document depends on this bucket (its property dependencies name it), one unknown
 * leaf per missing part (a single unknown leaf cannot be both the bucket and `<bucket>/*`).
 */
function resourcesCoverBucket(stmt: Record<string, any>, bucket: PolicyResource, policyOwner: PolicyResource, policyProperty: string): string | undefined {
    const res = valuesOf(() => stmt.Resource);
    if (res.values.includes("*")) {
        return undefined;
    }
    const bucketArn = knownString(() => bucket.props.arn);
    const hasBucket = res.values.some((r) => (bucketArn ? r === bucketArn : !r.includes("/")));
    const hasObjects = res.values.some((r) => (bucketArn ? r === `${bucketArn}/*` : r.endsWith("/*")));
    if (hasBucket && hasObjects) {
        return undefined;
    }
    if (res.unknown) {
        const fromBucket = dependenciesOf(policyOwner, policyProperty).some((d) => d.urn === bucket.urn);
        if (!fromBucket) {
            return "names resources that are unknown during preview and do not come from this bucket";
        }
        const missing = (hasBucket ? 0 : 1) + (hasObjects ? 0 : 1);
        return res.unknownItems >= missing ? undefined : "does not cover both the bucket ARN and <bucket ARN>/* (too few resources, some unknown during preview)";
    }
    return "does not cover both the bucket ARN and <bucket ARN>/*";
}

export const s3BucketTlsOnly: StackValidationPolicy = {
    name: "s3-bucket-tls-only",
    description: "Every S3 bucket has a bucket policy that denies any request made without TLS (aws:SecureTransport = false).",
    remediationSteps:
        "Add an aws.s3.BucketPolicy with `bucket: <bucket>.id` whose policy has a statement " +
        "{ Effect: \"Deny\", Principal: \"*\", Action: \"s3:*\", Resource: [<bucket ARN>, <bucket ARN>/*], Condition: { Bool: { \"aws:SecureTransport\": \"false\" } } }. " +
        "Pass the policy as an object rather than a JSON string so the pack can read it during preview.",
    enforcementLevel: MANDATORY,
    severity: "medium",
    framework: fsbp("S3.5", "S3 general purpose buckets should require requests to use SSL"),
    validateStack: validateStackOf(BUCKET_TYPES, (args, report) => {
        // A policy document that is entirely unknown (a JSON string built from outputs) cannot be
        // read during preview: the other buckets are still judged, then the engine's unknown error
        // is re-thrown so the policy is reported as not decidable. Object documents are read leaf by leaf.
        let pending: unknown;
        for (const bucket of bucketsOf(args.resources)) {
            const policies = attachedTo(bucket, args.resources, [T.bucketPolicy]);
            const owners: { owner: PolicyResource; property: string }[] = policies.map((p) => ({ owner: p, property: "policy" }));
            if (policies.length === 0) {
                const inline = read(() => bucket.props.policy);
                if (!inline.known || inline.value) {
                    owners.push({ owner: bucket, property: "policy" });
                }
            }
            if (owners.length === 0) {
                report(`${describe(bucket)} has no bucket policy: add an aws.s3.BucketPolicy pointing at it that denies requests where aws:SecureTransport is false.`, bucket.urn);
                continue;
            }
            if (policies.length > 1) {
                report(`${describe(bucket)} has ${policies.length} bucket policies (${policies.map((p) => p.name).join(", ")}); a bucket keeps only one, so they overwrite each other. Merge them into one aws.s3.BucketPolicy.`, bucket.urn);
            }
            for (const { owner, property } of owners) {
                let statements: Record<string, any>[];
                try {
                    statements = statementsOf(parseDocument(owner.props[property]));
                } catch (e) {
                    if (isUnknownError(e)) {
                        pending = pending ?? e;
                        continue;
                    }
                    if ((e as Error) instanceof InvalidDocumentError) {
                        report(`${describe(bucket)}: bucket policy ${describe(owner)} ${property} ${(e as Error).message}.`, owner.urn);
                        continue;
                    }
                    throw e;
                }
                const problems: string[] = [];
                let ok = false;
                statements.forEach((stmt) => {
                    if (ok) {
                        return;
                    }
                    const p = tlsDenyProblem(stmt) ?? resourcesCoverBucket(stmt, bucket, owner, property);
                    if (p === undefined) {
                        ok = true;
                    } else if (effectOf(stmt) === "Deny") {
                        problems.push(p);
                    }
                });
                if (!ok) {
                    const why = problems.length > 0 ? ` (its Deny statements: ${problems.join("; ")})` : "";
                    report(`${describe(bucket)}: bucket policy ${describe(owner)} does not deny requests without TLS${why}; add a Deny of s3:* for Principal "*" on the bucket and its objects when aws:SecureTransport is false.`, owner.urn);
                }
            }
        }
        if (pending) {
            throw pending;
        }
    }),
};

export const s3Policies = [s3BucketEncryptedWithCmk, s3BucketPublicAccessBlocked, s3BucketVersioningEnabled, s3BucketTlsOnly];
