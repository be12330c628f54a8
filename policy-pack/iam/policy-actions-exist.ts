/** Every action an IAM document names exists in AWS's IAM catalogue (lib/iam-catalog.ts). */
import { resolveAction } from "../lib/iam-catalog";
import { DOCUMENT_TYPES, valuesOf } from "../lib/iam-document";
import { describe, MANDATORY, validateMatching } from "../lib/kit";
import { PackResourcePolicy } from "../lib/meta";
import { forEachStatement, where } from "../lib/statements";

export const iamActionsExist: PackResourcePolicy = {
  name: "iam-policy-actions-exist",
  description:
    "Every action named in an IAM document (Action or NotAction, Allow or Deny) exists in AWS's IAM catalogue: a typo silently grants or denies nothing.",
  remediationSteps: "Fix the spelling of the action (service prefix and name, as in the Service Authorization Reference), or remove it.",
  enforcementLevel: MANDATORY,
  severity: "medium",
  topics: ["least-privilege"],
  validateResource: validateMatching(
    (type) => DOCUMENT_TYPES.includes(type),
    async (_props, args, report) => {
      await forEachStatement(
        args,
        ["identity", "trust", "resource"],
        async (stmt, i, doc) => {
          for (const field of ["Action", "NotAction"]) {
            const actions = valuesOf(() => stmt[field]);
            if (actions.unknown) {
              report(
                `${where(args, doc, stmt, i)}: ${field} is unknown during preview, so it cannot be checked against AWS's IAM catalogue; write the actions as literals.`,
              );
            }
            for (const written of actions.values) {
              const resolved = await resolveAction(written);
              if (resolved.problem) {
                report(`${where(args, doc, stmt, i)}: ${resolved.problem}.`);
              }
            }
          }
        },
        (doc, e) => report(`${describe(args)} ${doc.path} ${e.message}.`),
      );
    },
  ),
};
