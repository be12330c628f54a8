/**
 * The hardened profile's config (README "Hardened profile"): the switch, the break-glass role, and
 * the rules that refuse, naming the key, whatever contradicts the profile. app-config.ts spreads
 * `hardenedProfileFields` into the top-level keys; `hardenedProfileRule` is one of index.ts's CONFIG_RULES.
 *
 * Nothing here imports stacks/config.ts at run time (only its types), so neither file's load order matters.
 */
import { ConfigProblem, Field, bool, optionalStr } from "./schema";
import type { AppConfig, RuleInput, StackRole } from "./app-config";
import { MIN_LOG_RETENTION_DAYS } from "./log-archive";
import { PROJECT } from "./top-level";

/** An IAM role name, optionally with a path (`ops/break-glass`): what follows `role/` in its ARN. */
const ROLE_NAME_WITH_PATH = /^([\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

export const hardenedProfileFields = {
  hardenedProfile: bool(
    "Both stacks: the hardened profile (README, Hardened profile). The backup stack in its own account, the replica under COMPLIANCE Object Lock for at least 180 days, compliance-mode Vault Lock, and bucket, key and vault policies that deny policy, lifecycle and deletion changes to everyone but breakGlassRoleName. Irreversible in part: compliance-mode locks cannot be shortened.",
    false,
  ),
  breakGlassRoleName: optionalStr(
    "With hardenedProfile: name (optionally path/name) of an existing IAM role in the backup account, the only principal the hardened denies exempt; the backup stack is deployed as this role. It is not created here (README, Hardened profile).",
    { pattern: ROLE_NAME_WITH_PATH, allowed: "an IAM role name (letters, digits and +=,.@_-, up to 64), optionally after a path (path/name)" },
  ),
} satisfies Record<string, Field<any>>;

/**
 * What contradicts the profile, one problem per key. `cfg` is what parsed (a key that failed to
 * parse is already reported and undefined here). Backup-stack keys are judged in the backup stack
 * only: the primary's stack file need not carry them.
 */
export function hardenedProfileProblems(
  cfg: Partial<Pick<AppConfig, "hardenedProfile" | "breakGlassRoleName" | "backupAccountId" | "logArchive" | "backupEvents">>,
  role: StackRole | undefined,
  prefix: string,
  minLogRetentionDays: number,
): ConfigProblem[] {
  if (!cfg.hardenedProfile) return [];
  const problems: ConfigProblem[] = [];
  const why = "under hardenedProfile";
  if (cfg.breakGlassRoleName === undefined) {
    problems.push({
      key: `${prefix}breakGlassRoleName`,
      message: `is required ${why}; expected the name of an existing IAM role in the backup account (the only principal allowed to change the protected resources)`,
    });
  }
  if (cfg.backupAccountId === undefined) {
    problems.push({
      key: `${prefix}backupAccountId`,
      message: `is required ${why}; expected the 12-digit account of the backup stack, another account than the primary's (an administrator of the primary account must not own the copies)`,
    });
  }
  if (role !== "backup") return problems;

  const la = cfg.logArchive;
  const be = cfg.backupEvents;
  const primaries: [string, string | undefined][] = [
    ["logArchive.primaryAccountId", la?.primaryAccountId],
    ...(be?.enabled ? ([["backupEvents.primaryAccountId", be.primaryAccountId]] as [string, string | undefined][]) : []),
  ];
  for (const [key, id] of primaries) {
    if (id === undefined) {
      problems.push({
        key: `${prefix}${key}`,
        message: `is required in the backup stack ${why}; expected the primary stack's 12-digit account id, which must differ from backupAccountId`,
      });
    } else if (cfg.backupAccountId !== undefined && id === cfg.backupAccountId) {
      problems.push({
        key: `${prefix}${key}`,
        message: `${JSON.stringify(id)} equals backupAccountId; ${why} the backup stack must be in another account than the primary`,
      });
    }
  }
  if (la?.objectLockMode !== undefined && la.objectLockMode !== "COMPLIANCE") {
    problems.push({
      key: `${prefix}logArchive.objectLockMode`,
      message: `${JSON.stringify(la.objectLockMode)} is not allowed ${why}; expected "COMPLIANCE" (set it yourself: it cannot be undone, and Object Lock is enabled only when the replica bucket is created; README, Hardened profile, for an existing replica)`,
    });
  }
  if (la?.objectLockDays !== undefined && la.objectLockDays < minLogRetentionDays) {
    problems.push({
      key: `${prefix}logArchive.objectLockDays`,
      message: `${la.objectLockDays} is not allowed ${why}; expected at least ${minLogRetentionDays} (Cybersecurity Law: network logs kept six months)`,
    });
  }
  if (be?.enabled) {
    if (be.vaultLockMode !== undefined && be.vaultLockMode !== "compliance") {
      problems.push({
        key: `${prefix}backupEvents.vaultLockMode`,
        message: `${JSON.stringify(be.vaultLockMode)} is not allowed ${why}; expected "compliance" (governance mode can be removed by anyone allowed to)`,
      });
    }
    if (be.destinationVaultArn !== undefined) {
      problems.push({
        key: `${prefix}backupEvents.destinationVaultArn`,
        message: `is set ${why}; expected unset: a brought vault keeps its owner's access policy and lock, which the profile cannot harden`,
      });
    }
    if (be.destinationVaultKmsKeyArn !== undefined) {
      problems.push({
        key: `${prefix}backupEvents.destinationVaultKmsKeyArn`,
        message: `is set ${why}; expected unset: a brought key keeps its owner's key policy, which the profile cannot harden (anyone allowed could schedule its deletion)`,
      });
    }
    if ((be.adminRoleArns ?? []).length > 0) {
      problems.push({
        key: `${prefix}backupEvents.adminRoleArns`,
        message: `is not empty ${why}; expected []: only breakGlassRoleName may delete or shorten recovery points`,
      });
    }
  }
  return problems;
}

/** The profile's rule in the one shape every cross-key rule has. */
export function hardenedProfileRule(cfg: RuleInput): ConfigProblem[] {
  return hardenedProfileProblems(cfg, cfg.role, `${PROJECT}:`, MIN_LOG_RETENTION_DAYS);
}
