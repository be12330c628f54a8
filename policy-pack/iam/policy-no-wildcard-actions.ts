/** IAM statements name their actions: no `*`, `service:*` or NotAction in an Allow. */
import { fsbp } from "../lib/controls";
import { DOCUMENT_TYPES, KEY_POLICY_TYPES, mayAllow, valuesOf } from "../lib/iam-document";
import { MANDATORY, validateMatching } from "../lib/kit";
import { PackResourcePolicy } from "../lib/meta";
import { forEachStatement, where } from "../lib/statements";

const docTypesExceptKeyPolicies = (type: string) => DOCUMENT_TYPES.includes(type) && !KEY_POLICY_TYPES.includes(type);

export const iamNoWildcardActions: PackResourcePolicy = {
  name: "iam-policy-no-wildcard-actions",
  description:
    "No IAM statement allows `*` or `service:*` actions (or everything but a NotAction list). KMS key policies are judged by kms-key-policy-no-wildcard-grants.",
  remediationSteps: 'List the exact actions the principal needs, e.g. ["s3:PutObject", "s3:GetObject"] instead of "s3:*".',
  enforcementLevel: MANDATORY,
  severity: "high",
  topics: ["least-privilege"],
  framework: fsbp("IAM.21", "IAM customer managed policies that you create should not allow wildcard actions for services"),
  validateResource: validateMatching(docTypesExceptKeyPolicies, async (_props, args, report) => {
    await forEachStatement(args, ["identity", "trust", "resource"], (stmt, i, doc) => {
      if (!mayAllow(stmt)) {
        return;
      }
      const actions = valuesOf(() => stmt.Action);
      const wild = actions.values.filter((a) => a === "*" || /^[^:]+:\*$/.test(a));
      if (wild.length > 0) {
        report(`${where(args, doc, stmt, i)} allows ${wild.map((a) => JSON.stringify(a)).join(", ")}; list the exact actions instead.`);
      }
      if (actions.unknown) {
        // Actions are literals; one that is unknown during preview could be "*".
        report(`${where(args, doc, stmt, i)} allows actions that are unknown during preview (they could be "*"); write the exact actions as literals.`);
      }
      if (valuesOf(() => stmt.NotAction).present) {
        report(`${where(args, doc, stmt, i)} allows everything except its NotAction list; use Action with the exact actions instead.`);
      }
    });
  }),
};
