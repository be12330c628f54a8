/** iam:PassRole is pinned to named roles and to the service it is passed to. */
import { conditionsOf, DOCUMENT_TYPES, mayAllow, valuesOf } from "../lib/iam-document";
import { MANDATORY, validateMatching } from "../lib/kit";
import { PackResourcePolicy } from "../lib/meta";
import { forEachStatement, where } from "../lib/statements";

const PASS_ROLE = "iam:passrole";

function coversPassRole(action: string): boolean {
  const re = new RegExp(
    `^${action
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
    "i",
  );
  return re.test(PASS_ROLE);
}

export const iamPassRoleRestricted: PackResourcePolicy = {
  name: "iam-policy-passrole-restricted",
  description: "iam:PassRole is allowed only on named roles and only with an iam:PassedToService condition.",
  remediationSteps:
    'Give iam:PassRole its own statement with Resource set to the role ARN(s) (no wildcards) and Condition { StringEquals: { "iam:PassedToService": <service principal from infra/partition.ts> } }.',
  enforcementLevel: MANDATORY,
  severity: "high",
  topics: ["least-privilege"],
  validateResource: validateMatching(
    (type) => DOCUMENT_TYPES.includes(type),
    async (_props, args, report) => {
      await forEachStatement(args, ["identity"], (stmt, i, doc) => {
        const actions = valuesOf(() => stmt.Action);
        const notAction = valuesOf(() => stmt.NotAction);
        // A NotAction that does not exclude iam:PassRole allows it.
        const viaNotAction = notAction.present && !notAction.unknown && !notAction.values.some(coversPassRole);
        // An action unknown during preview may be iam:PassRole: the statement must then meet the rule too.
        if (!mayAllow(stmt) || !(actions.values.some(coversPassRole) || actions.unknown || viaNotAction)) {
          return;
        }
        const what = actions.values.some(coversPassRole) || viaNotAction ? "iam:PassRole" : "actions unknown during preview (possibly iam:PassRole)";
        const passed = conditionsOf(stmt).tests.filter((t) => t.key === "iam:passedtoservice");
        if (passed.length === 0) {
          report(`${where(args, doc, stmt, i)} allows ${what} without an iam:PassedToService condition.`);
        }
        for (const t of passed) {
          // Unknown values are service principals from infra/partition.ts; a written wildcard or a negation passes the role to anyone.
          if (/Not/.test(t.operator) || t.values.values.some((v) => v.includes("*") || v.includes("?"))) {
            report(
              `${where(args, doc, stmt, i)} allows ${what} with ${t.operator} iam:PassedToService ${JSON.stringify(t.values.values)}, which does not name the service; use StringEquals with the service principal.`,
            );
          }
        }
        // Unknown Resource leaves are ARNs of resources in this deployment: named, not wildcards.
        const resources = valuesOf(() => stmt.Resource);
        const wild = resources.values.filter((r) => r.includes("*") || r.includes("?") || !/:role\//.test(r));
        if (wild.length > 0) {
          report(`${where(args, doc, stmt, i)} allows iam:PassRole on ${wild.map((r) => JSON.stringify(r)).join(", ")}; name the role ARN(s).`);
        }
      });
    },
  ),
};
