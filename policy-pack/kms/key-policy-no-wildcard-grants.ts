/** Key policies give `kms:*` to nobody but the account root. */
import { labelOf, mayAllow, parseDocument, principalsOf, statementsOf, valuesOf } from "../lib/iam-document";
import { describe, MANDATORY, read, T, validateTypes } from "../lib/kit";
import { PackResourcePolicy } from "../lib/meta";

/** Whether a principal value is an account root: `arn:<partition>:iam::<account>:root` or a bare account id. */
export function isAccountRoot(principal: string): boolean {
  return /^arn:[a-z-]+:iam::\d{12}:root$/.test(principal) || /^\d{12}$/.test(principal);
}

export const kmsKeyPolicyNoWildcardGrants: PackResourcePolicy = {
  name: "kms-key-policy-no-wildcard-grants",
  description: "A KMS key policy grants kms:* (or *) only to the account root; every other principal gets the specific actions it needs.",
  remediationSteps:
    "In the key policy, keep `kms:*` only in the statement whose Principal is { AWS: arn:<partition>:iam::<account>:root }; " +
    "give roles and services the exact actions they use (kms:Encrypt, kms:Decrypt, kms:GenerateDataKey*, kms:DescribeKey ...).",
  enforcementLevel: MANDATORY,
  severity: "high",
  topics: ["key-management", "least-privilege"],
  validateResource: validateTypes([T.kmsKey, T.kmsReplicaKey, T.kmsKeyPolicy], (props, args, report) => {
    const raw = read(() => props.policy);
    if (raw.known && (raw.value === undefined || raw.value === null || raw.value === "")) {
      // No policy: AWS applies its default key policy, which grants kms:* to the account root only.
      return;
    }
    const doc = parseDocument(props.policy);
    statementsOf(doc).forEach((stmt, i) => {
      if (!mayAllow(stmt)) {
        return;
      }
      const actions = valuesOf(() => stmt.Action);
      const notAction = valuesOf(() => stmt.NotAction);
      // Actions are literals: one unknown during preview may be kms:* (lib/iam-document.ts).
      const wildcard = notAction.present || actions.unknown || actions.values.some((a) => a === "*" || a.toLowerCase() === "kms:*");
      if (!wildcard) {
        return;
      }
      const p = principalsOf(stmt);
      const others = [...p.aws.values.filter((v) => !isAccountRoot(v)), ...p.service.values, ...p.federated.values];
      const grant = notAction.present
        ? "everything but NotAction"
        : actions.values.some((a) => a === "*" || a.toLowerCase() === "kms:*")
          ? "kms:*"
          : "actions unknown during preview (possibly kms:*)";
      if (p.anyone || others.length > 0) {
        report(`${describe(args)}: ${labelOf(stmt, i)} grants ${grant} to ${p.anyone ? '"*"' : others.join(", ")}; only the account root may hold kms:*.`);
      } else if (p.unknown) {
        report(
          `${describe(args)}: ${labelOf(stmt, i)} grants ${grant} to a principal that is unknown during preview; build the root principal from aws.getCallerIdentity and aws.getPartition so it is known.`,
        );
      }
    });
  }),
};
