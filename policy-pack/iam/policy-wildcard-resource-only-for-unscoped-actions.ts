/**
 * `Resource: "*"` only for actions without resource-level permissions (AWS's IAM catalogue, lib/iam-catalog.ts).
 */
import { isWildcardOnly, resolveAction } from "../lib/iam-catalog";
import { DOCUMENT_TYPES, mayAllow, valuesOf } from "../lib/iam-document";
import { allowListSchema, MANDATORY, validateMatching } from "../lib/kit";
import { PackResourcePolicy } from "../lib/meta";
import { forEachStatement, where } from "../lib/statements";

export interface WildcardResourceConfig {
  allowedActions?: string[];
}

export const iamWildcardResourceOnlyForUnscopedActions: PackResourcePolicy = {
  name: "iam-policy-wildcard-resource-only-for-unscoped-actions",
  description:
    'An identity policy statement uses `Resource: "*"` only when every action in it has no resource-level permission in AWS\'s IAM catalogue (e.g. logs:DescribeLogGroups, rds:DescribeDBInstances is scoped and must name resources).',
  remediationSteps:
    'Name the resources (ARNs built with infra/partition.ts) for the actions that support them, and keep only the actions without resource-level permissions in a `Resource: "*"` statement. ' +
    'An action AWS scopes but that is only ever used with "*" and a condition (e.g. cloudwatch:PutMetricData with cloudwatch:namespace) can be added to this policy\'s `allowedActions`.',
  enforcementLevel: MANDATORY,
  severity: "high",
  topics: ["least-privilege"],
  configSchema: {
    properties: {
      allowedActions: allowListSchema(
        'Actions allowed with Resource "*" although AWS supports a resource for them (e.g. cloudwatch:PutMetricData, limited by a condition).',
      ),
    },
  },
  validateResource: validateMatching(
    (type) => DOCUMENT_TYPES.includes(type),
    async (_props, args, report) => {
      const allowed = (args.getConfig<WildcardResourceConfig>().allowedActions ?? []).map((a) => a.toLowerCase());
      await forEachStatement(args, ["identity"], async (stmt, i, doc) => {
        // An unknown Resource leaf is the ARN of a resource this deployment creates, never "*".
        if (!mayAllow(stmt) || !valuesOf(() => stmt.Resource).values.includes("*")) {
          return;
        }
        const scoped: string[] = [];
        const actions = valuesOf(() => stmt.Action);
        if (actions.unknown) {
          // An action unknown during preview may support resource-level permissions.
          scoped.push("actions unknown during preview");
        }
        for (const written of actions.values) {
          if (written === "*") {
            scoped.push(written);
            continue;
          }
          const resolved = await resolveAction(written);
          for (const action of resolved.actions) {
            if (!allowed.includes(action.toLowerCase()) && !allowed.includes(written.toLowerCase()) && !(await isWildcardOnly(action))) {
              scoped.push(written === action ? action : `${written} (${action})`);
            }
          }
        }
        if (scoped.length > 0) {
          const shown = scoped.length > 5 ? `${scoped.slice(0, 5).join(", ")} and ${scoped.length - 5} more` : scoped.join(", ");
          report(`${where(args, doc, stmt, i)} uses Resource "*" for actions that support resource-level permissions: ${shown}; name their resources.`);
        }
      });
    },
  ),
};
