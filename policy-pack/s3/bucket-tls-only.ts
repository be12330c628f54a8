/**
 * Every S3 bucket's policy denies requests made without TLS (a stack policy: lib/s3-bucket.ts).
 */
import { PolicyResource } from "@pulumi/policy";
import { fsbp } from "../lib/controls";
import { conditionsOf, effectOf, InvalidDocumentError, parseDocument, principalsOf, statementsOf, valuesOf } from "../lib/iam-document";
import { BUCKET_TYPES, dependenciesOf, describe, isUnknownError, knownString, MANDATORY, read, T, validateStackOf } from "../lib/kit";
import { PackStackPolicy } from "../lib/meta";
import { attachedTo, bucketsOf } from "../lib/s3-bucket";

/** Whether a statement denies all S3 requests made without TLS. Returns a problem, or undefined when it does. */
function tlsDenyProblem(stmt: Record<string, any>): string | undefined {
  if (effectOf(stmt) !== "Deny") {
    return "is not a Deny";
  }
  const principals = principalsOf(stmt);
  if (!principals.anyone) {
    return 'does not apply to every principal ("*")';
  }
  const actions = valuesOf(() => stmt.Action);
  if (!actions.values.some((a) => a === "*" || a.toLowerCase() === "s3:*")) {
    return "does not deny every S3 action (s3:*)";
  }
  const cond = conditionsOf(stmt);
  const insecure = cond.tests.some(
    (t) =>
      (t.operator === "Bool" || t.operator === "BoolIfExists") &&
      t.key === "aws:securetransport" &&
      t.values.values.some((v) => String(v).toLowerCase() === "false"),
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

export const s3BucketTlsOnly: PackStackPolicy = {
  name: "s3-bucket-tls-only",
  description: "Every S3 bucket has a bucket policy that denies any request made without TLS (aws:SecureTransport = false).",
  remediationSteps:
    "Add an aws.s3.BucketPolicy with `bucket: <bucket>.id` whose policy has a statement " +
    '{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [<bucket ARN>, <bucket ARN>/*], Condition: { Bool: { "aws:SecureTransport": "false" } } }. ' +
    "Pass the policy as an object rather than a JSON string so the pack can read it during preview.",
  enforcementLevel: MANDATORY,
  severity: "medium",
  topics: ["in-transit"],
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
        report(
          `${describe(bucket)} has no bucket policy: add an aws.s3.BucketPolicy pointing at it that denies requests where aws:SecureTransport is false.`,
          bucket.urn,
        );
        continue;
      }
      if (policies.length > 1) {
        report(
          `${describe(bucket)} has ${policies.length} bucket policies (${policies.map((p) => p.name).join(", ")}); a bucket keeps only one, so they overwrite each other. Merge them into one aws.s3.BucketPolicy.`,
          bucket.urn,
        );
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
          report(
            `${describe(bucket)}: bucket policy ${describe(owner)} does not deny requests without TLS${why}; add a Deny of s3:* for Principal "*" on the bucket and its objects when aws:SecureTransport is false.`,
            owner.urn,
          );
        }
      }
    }
    if (pending) {
      throw pending;
    }
  }),
};
