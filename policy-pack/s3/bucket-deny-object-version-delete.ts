/**
 * Every log bucket's policy denies s3:DeleteObjectVersion to everyone: versions disappear only
 * through lifecycle rules (the ransomware / insider guard of LogArchive).
 */
import { PolicyResource } from "@pulumi/policy";
import { actionMatches, unconditionalDeny } from "../lib/actions";
import { attachedBy } from "../lib/attach";
import { design } from "../lib/controls";
import { effectOf, InvalidDocumentError, parseDocument, principalsOf, statementsOf, valuesOf } from "../lib/iam-document";
import {
  allowListSchema,
  BUCKET_TYPES,
  dependenciesOf,
  describe,
  isUnknownError,
  knownString,
  MANDATORY,
  onAllowList,
  read,
  T,
  validateStackOf,
} from "../lib/kit";
import { PackStackPolicy } from "../lib/meta";

/** Whether the statement's resources cover every object of the bucket (`<bucket ARN>/*` or `*`). */
function coversObjects(stmt: Record<string, any>, bucket: PolicyResource, owner: PolicyResource): boolean {
  const res = valuesOf(() => stmt.Resource);
  if (res.values.includes("*")) {
    return true;
  }
  const arn = knownString(() => bucket.props.arn);
  if (res.values.some((r) => (arn ? r === `${arn}/*` : /^arn:[a-z-]+:s3:::[^/]+\/\*$/.test(r)))) {
    return true;
  }
  // During preview the ARN leaf is unknown: it must come from this bucket.
  return res.unknown && dependenciesOf(owner, "policy").some((d) => d.urn === bucket.urn);
}

export const s3DenyVersionDelete: PackStackPolicy = {
  name: "s3-bucket-deny-object-version-delete",
  description:
    'Every log bucket\'s policy has an unconditional Deny (admin exceptions by aws:PrincipalArn aside) of s3:DeleteObjectVersion for Principal "*" on all of its objects.',
  remediationSteps:
    'Keep the bucket policy statement DenyDeletingObjectVersions { Effect: "Deny", Principal: "*", Action: ["s3:DeleteObjectVersion", ...], Resource: "<bucket ARN>/*" }.',
  enforcementLevel: MANDATORY,
  severity: "high",
  topics: ["retention"],
  framework: design("LogArchive", "Versions disappear only through lifecycle rules."),
  configSchema: { properties: { allowedBuckets: allowListSchema("Buckets (logical or physical names) that hold no logs.") } },
  validateStack: validateStackOf([...BUCKET_TYPES, T.bucketPolicy], (args, report) => {
    let pending: unknown;
    for (const bucket of args.resources.filter((r) => BUCKET_TYPES.includes(r.type))) {
      if (
        onAllowList(
          args.getConfig<{ allowedBuckets?: string[] }>().allowedBuckets,
          bucket.name,
          knownString(() => bucket.props.bucket),
        )
      ) {
        continue;
      }
      const owners = attachedBy(bucket, args.resources, [T.bucketPolicy], "bucket", ["bucket", "id"]);
      if (owners.length === 0 && (read(() => bucket.props.policy).known ? bucket.props.policy : true)) {
        owners.push(bucket);
      }
      let ok = false;
      for (const owner of owners) {
        try {
          ok =
            ok ||
            statementsOf(parseDocument(owner.props.policy)).some(
              (s) =>
                effectOf(s) === "Deny" &&
                principalsOf(s).anyone &&
                unconditionalDeny(s) &&
                valuesOf(() => s.Action).values.some((a) => actionMatches(a, "s3:DeleteObjectVersion")) &&
                coversObjects(s, bucket, owner),
            );
        } catch (e) {
          if (isUnknownError(e)) {
            pending = pending ?? e;
            ok = true;
          } else if (!((e as Error) instanceof InvalidDocumentError)) {
            throw e;
          }
        }
      }
      if (!ok) {
        report(
          `${describe(bucket)}: no bucket policy denies s3:DeleteObjectVersion to Principal "*" on its objects, so any principal allowed to can erase log versions.`,
          bucket.urn,
        );
      }
    }
    if (pending) {
      throw pending;
    }
  }),
};
