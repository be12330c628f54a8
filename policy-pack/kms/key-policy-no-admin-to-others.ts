/**
 * Key administration stays in the key's own account: no key policy lets another account or an AWS
 * service change the policy (kms:PutKeyPolicy), schedule the key's deletion (kms:ScheduleKeyDeletion)
 * or create grants (kms:CreateGrant) other than for AWS resources (kms:GrantIsForAWSResource true).
 * Wildcards (`kms:*`, `kms:Put*`, `*`) are expanded with AWS's catalogue.
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-administrators
 * https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grant-is-for-aws-resource
 */
import { design } from "../lib/controls";
import { resolveAction } from "../lib/iam-catalog";
import { conditionsOf, labelOf, mayAllow, parseDocument, principalsOf, statementsOf, valuesOf } from "../lib/iam-document";
import { describe, MANDATORY, read, T, validateTypes } from "../lib/kit";
import { PackResourcePolicy } from "../lib/meta";

export const ADMIN_ACTIONS = ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:CreateGrant"];

function accountOf(principal: string): string | undefined {
  if (/^\d{12}$/.test(principal)) {
    return principal;
  }
  const m = /^arn:[a-z-]+:(?:iam|sts)::(\d{12}):/.exec(principal);
  return m?.[1];
}

function grantIsForAwsResource(stmt: Record<string, any>): boolean {
  return conditionsOf(stmt).tests.some(
    (t) => t.operator === "Bool" && t.key === "kms:grantisforawsresource" && t.values.values.some((v) => String(v).toLowerCase() === "true"),
  );
}

async function adminActionsOf(stmt: Record<string, any>): Promise<string[]> {
  const actions = valuesOf(() => stmt.Action);
  if (actions.unknown || valuesOf(() => stmt.NotAction).present) {
    return [...ADMIN_ACTIONS];
  }
  const out = new Set<string>();
  for (const written of actions.values) {
    const expanded = written === "*" ? ADMIN_ACTIONS : (await resolveAction(written)).actions;
    for (const a of expanded) {
      const hit = ADMIN_ACTIONS.find((x) => x.toLowerCase() === a.toLowerCase());
      if (hit) {
        out.add(hit);
      }
    }
  }
  return [...out];
}

export const kmsNoKeyAdminToOthers: PackResourcePolicy = {
  name: "kms-key-policy-no-admin-to-others",
  description:
    "No key policy grants kms:PutKeyPolicy, kms:ScheduleKeyDeletion or kms:CreateGrant (without kms:GrantIsForAWSResource) to another account or to a service.",
  remediationSteps:
    'Keep key administration with the key\'s own account root (the AccountRootAdministers statement); give other accounts and services only the cryptographic actions they use, and kms:CreateGrant only with Condition { Bool: { "kms:GrantIsForAWSResource": true } }.',
  enforcementLevel: MANDATORY,
  severity: "critical",
  topics: ["key-management", "least-privilege"],
  framework: design("Key policies", "Only the key's own account administers it (cf. CIS 'no full kms:* to other principals')."),
  validateResource: validateTypes([T.kmsKey, T.kmsReplicaKey, T.kmsKeyPolicy], async (props, args, report) => {
    const raw = read(() => props.policy);
    if (raw.known && (raw.value === undefined || raw.value === null || raw.value === "")) {
      return; // AWS's default key policy: the account root only.
    }
    const statements = statementsOf(parseDocument(props.policy));
    // The key's own account: the root that administers it in the first kms:* statement (AWS's default policy shape).
    let own: string | undefined;
    for (const s of statements) {
      const acts = valuesOf(() => s.Action).values;
      const p = principalsOf(s);
      if (mayAllow(s) && acts.some((a) => a === "*" || a.toLowerCase() === "kms:*") && p.aws.values.length === 1 && /:root$/.test(p.aws.values[0])) {
        own = accountOf(p.aws.values[0]);
        break;
      }
    }
    for (let i = 0; i < statements.length; i++) {
      const s = statements[i];
      if (!mayAllow(s)) {
        continue;
      }
      let admin = await adminActionsOf(s);
      if (grantIsForAwsResource(s)) {
        admin = admin.filter((a) => a !== "kms:CreateGrant");
      }
      if (admin.length === 0) {
        continue;
      }
      const p = principalsOf(s);
      const whom = [
        ...(p.anyone ? ['"*"'] : []),
        ...p.service.values.map((v) => `service ${v}`),
        ...p.federated.values.map((v) => `federated ${v}`),
        ...p.aws.values.filter((v) => v !== "*" && (own === undefined || accountOf(v) !== own)).map((v) => `${v} (another account)`),
        ...(p.unknown ? ["a principal unknown during preview"] : []),
      ];
      if (whom.length > 0) {
        report(`${describe(args)}: ${labelOf(s, i)} grants ${admin.join(", ")} to ${whom.join(", ")}; key administration stays with the key's own account.`);
      }
    }
  }),
};
