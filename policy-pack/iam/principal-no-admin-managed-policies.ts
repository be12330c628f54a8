/**
 * No role, user or group gets an AWS managed policy that grants admin, full or read-everything access.
 */
import { fsbp } from "../lib/controls";
import { valuesOf } from "../lib/iam-document";
import { allowListSchema, describe, MANDATORY, T, validateTypes } from "../lib/kit";
import { PackResourcePolicy } from "../lib/meta";

export interface ManagedPolicyConfig {
  allowedPolicies?: string[];
}

/** An AWS managed policy (arn:<partition>:iam::aws:policy/...) granting admin or full access. */
export function adminManagedPolicyName(arn: string): string | undefined {
  const m = /^arn:[a-z-]+:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (!m) {
    return undefined;
  }
  const name = m[1];
  // Read-everything policies too: ReadOnlyAccess, ViewOnlyAccess, SecurityAudit and every <Service>ReadOnlyAccess.
  const admin = /^AdministratorAccess/i.test(name) || /PowerUserAccess$/i.test(name) || /FullAccess/i.test(name);
  const readAll = /ReadOnlyAccess$/i.test(name) || /^ViewOnlyAccess$/i.test(name) || /^SecurityAudit$/i.test(name) || /^DatabaseAdministrator$/i.test(name);
  return admin || readAll ? name : undefined;
}

export const iamNoAdminManagedPolicies: PackResourcePolicy = {
  name: "iam-principal-no-admin-managed-policies",
  description:
    "No AWS managed policy that grants admin or full access (AdministratorAccess, PowerUserAccess, *FullAccess ...) or reads everything (ReadOnlyAccess, ViewOnlyAccess, SecurityAudit, *ReadOnlyAccess) is attached to a role, user or group.",
  remediationSteps: "Replace the managed policy with an inline policy that lists the exact actions and resources the principal uses.",
  enforcementLevel: MANDATORY,
  severity: "high",
  topics: ["least-privilege"],
  framework: fsbp("IAM.1", 'IAM policies should not allow full "*" administrative privileges'),
  configSchema: {
    properties: {
      allowedPolicies: allowListSchema("AWS managed policy names that may be attached even though they grant full access."),
    },
  },
  validateResource: validateTypes(
    [T.iamRolePolicyAttachment, T.iamUserPolicyAttachment, T.iamGroupPolicyAttachment, T.iamPolicyAttachment, T.iamRole, T.iamRolePoliciesExclusive],
    (props, args, report) => {
      const allowed = args.getConfig<ManagedPolicyConfig>().allowedPolicies ?? [];
      const arns =
        args.type === T.iamRole
          ? valuesOf(() => props.managedPolicyArns).values
          : args.type === T.iamRolePoliciesExclusive
            ? valuesOf(() => props.policyArns).values
            : valuesOf(() => props.policyArn).values;
      for (const arn of arns) {
        const name = adminManagedPolicyName(arn);
        if (name && !allowed.includes(name)) {
          report(
            `${describe(args)} attaches the AWS managed policy ${name}, which grants admin, full or read-everything access; use an inline least-privilege policy instead.`,
          );
        }
      }
    },
  ),
};
