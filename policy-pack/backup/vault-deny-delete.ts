/**
 * The destination vault's access policy denies deleting recovery points and shortening their
 * lifecycle (backup:DeleteRecoveryPoint, backup:UpdateRecoveryPointLifecycle) to everyone but the
 * configured admin roles. https://docs.aws.amazon.com/aws-backup/latest/devguide/create-a-vault-access-policy.html
 */
import { actionMatches, unconditionalDeny } from "../lib/actions";
import { attachedBy } from "../lib/attach";
import { design } from "../lib/controls";
import { destinationTagsSchema, destinationVaults } from "../lib/destination-vaults";
import { effectOf, InvalidDocumentError, parseDocument, principalsOf, statementsOf, valuesOf } from "../lib/iam-document";
import { describe, isUnknownError, MANDATORY, T, validateStackOf } from "../lib/kit";
import { PackStackPolicy } from "../lib/meta";

export const PROTECTED_ACTIONS = ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"];

export const backupVaultDenyDelete: PackStackPolicy = {
  name: "backup-vault-deny-delete",
  description:
    'Every destination backup vault has an access policy whose Deny for Principal "*" covers backup:DeleteRecoveryPoint and backup:UpdateRecoveryPointLifecycle on every recovery point.',
  remediationSteps:
    'Keep the aws.backup.VaultPolicy statement { Effect: "Deny", Principal: "*", Action: ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"], Resource: "*" } (admins excepted by an aws:PrincipalArn condition).',
  enforcementLevel: MANDATORY,
  severity: "high",
  topics: ["retention", "replication"],
  framework: design("BackupEvents", "Backup role: an access policy that denies deleting recovery points."),
  configSchema: { properties: { destinationTags: destinationTagsSchema } },
  validateStack: validateStackOf([T.backupVault, T.backupVaultPolicy], (args, report) => {
    let pending: unknown;
    for (const vault of destinationVaults(args.resources, args.getConfig<{ destinationTags?: Record<string, string> }>().destinationTags)) {
      const policies = attachedBy(vault, args.resources, [T.backupVaultPolicy], "backupVaultName", ["name"]);
      if (policies.length === 0) {
        report(`${describe(vault)} is a destination vault without an access policy denying ${PROTECTED_ACTIONS.join(" and ")}.`, vault.urn);
        continue;
      }
      for (const p of policies) {
        let statements: Record<string, any>[];
        try {
          statements = statementsOf(parseDocument(p.props.policy));
        } catch (e) {
          if (isUnknownError(e)) {
            pending = pending ?? e;
            continue;
          }
          if ((e as Error) instanceof InvalidDocumentError) {
            report(`${describe(p)} policy ${(e as Error).message}.`, p.urn);
            continue;
          }
          throw e;
        }
        const covered = new Set<string>();
        for (const s of statements) {
          if (effectOf(s) !== "Deny" || !principalsOf(s).anyone || !unconditionalDeny(s)) {
            continue;
          }
          const res = valuesOf(() => s.Resource);
          if (!res.values.includes("*") && !res.values.some((r) => /recovery-point:\*$/.test(r))) {
            continue;
          }
          const actions = valuesOf(() => s.Action).values;
          PROTECTED_ACTIONS.filter((a) => actions.some((w) => actionMatches(w, a))).forEach((a) => covered.add(a));
        }
        const missing = PROTECTED_ACTIONS.filter((a) => !covered.has(a));
        if (missing.length > 0) {
          report(
            `${describe(vault)}: its access policy ${describe(p)} does not deny ${missing.join(" and ")} to Principal "*" on every recovery point.`,
            p.urn,
          );
        }
      }
    }
    if (pending) {
      throw pending;
    }
  }),
};
