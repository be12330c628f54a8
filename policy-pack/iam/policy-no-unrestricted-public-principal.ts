/**
 * No trust or resource policy allows Principal "*" without a condition that restricts the caller.
 */
import { conditionHasKey, conditionsOf, DOCUMENT_TYPES, mayAllow, principalsOf } from "../lib/iam-document";
import { MANDATORY, validateMatching } from "../lib/kit";
import { PackResourcePolicy } from "../lib/meta";
import { forEachStatement, where } from "../lib/statements";

/** Condition keys that limit who may use a statement that names Principal "*". */
export const RESTRICTING_KEYS = [
  "aws:SourceAccount",
  "aws:SourceArn",
  "aws:SourceOwner",
  "aws:SourceOrgID",
  "aws:SourceOrgPaths",
  "aws:PrincipalAccount",
  "aws:PrincipalArn",
  "aws:PrincipalOrgID",
  "aws:PrincipalOrgPaths",
  "aws:PrincipalServiceName",
  "aws:SourceVpc",
  "aws:SourceVpce",
  "aws:SourceIp",
  "aws:userid",
  "kms:CallerAccount",
];

export const noUnrestrictedPublicPrincipal: PackResourcePolicy = {
  name: "iam-policy-no-unrestricted-public-principal",
  description:
    'No trust or resource policy allows Principal "*" (or uses NotPrincipal in an Allow) without a condition that restricts the caller (account, organization, source, network).',
  remediationSteps:
    "Name the principal, or add a condition on aws:PrincipalAccount, aws:PrincipalOrgID, aws:SourceAccount, aws:SourceArn, aws:SourceVpce or kms:CallerAccount.",
  enforcementLevel: MANDATORY,
  severity: "critical",
  topics: ["least-privilege", "exposure"],
  validateResource: validateMatching(
    (type) => DOCUMENT_TYPES.includes(type),
    async (_props, args, report) => {
      await forEachStatement(args, ["trust", "resource"], (stmt, i, doc) => {
        if (!mayAllow(stmt)) {
          return;
        }
        // A principal unknown during preview may be "*"; unknown AWS values are ARNs of real principals.
        const p = principalsOf(stmt);
        const notPrincipal = principalsOf(stmt, "NotPrincipal").present;
        if (!p.anyone && !p.wholeUnknown && !notPrincipal) {
          return;
        }
        if (!conditionHasKey(stmt, RESTRICTING_KEYS)) {
          const cond = conditionsOf(stmt);
          const why = cond.unknown ? " (its Condition is unknown during preview: build it from known values)" : "";
          const whom = notPrincipal ? "everyone but its NotPrincipal" : p.anyone ? 'Principal "*"' : 'a Principal unknown during preview (possibly "*")';
          report(`${where(args, doc, stmt, i)} allows ${whom} without a restricting condition${why}.`);
        }
      });
    },
  ),
};
