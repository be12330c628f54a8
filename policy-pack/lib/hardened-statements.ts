/**
 * What the hardened profile's denies must cover (the pack's own list, kept apart from the
 * program's infra/hardened-profile.ts on purpose: the pack judges the program, and a test checks
 * that the two agree), and a reader of deny statements that admits exactly one break-glass role.
 */
import { actionMatches } from "./actions";
import { conditionsOf, effectOf, labelOf, principalsOf, valuesOf } from "./iam-document";

export const S3_BUCKET_ACTIONS = [
  "s3:PutBucketPolicy",
  "s3:DeleteBucketPolicy",
  "s3:PutLifecycleConfiguration",
  "s3:PutBucketObjectLockConfiguration",
  "s3:PutBucketVersioning",
  "s3:PutReplicationConfiguration",
  "s3:PutEncryptionConfiguration",
  "s3:DeleteBucket",
];
export const S3_OBJECT_ACTIONS = [
  "s3:DeleteObject",
  "s3:DeleteObjectVersion",
  "s3:BypassGovernanceRetention",
  "s3:PutObjectRetention",
  "s3:PutObjectLegalHold",
];
export const KMS_ACTIONS = ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKey"];
/** Denied unless the grant is for an AWS resource (kms:GrantIsForAWSResource). */
export const KMS_GRANT_ACTION = "kms:CreateGrant";
export const BACKUP_VAULT_ACTIONS = [
  "backup:DeleteBackupVault",
  "backup:DeleteBackupVaultAccessPolicy",
  "backup:PutBackupVaultAccessPolicy",
  "backup:DeleteBackupVaultLockConfiguration",
  "backup:PutBackupVaultLockConfiguration",
  "backup:DeleteRecoveryPoint",
  "backup:UpdateRecoveryPointLifecycle",
];

/** A role ARN without wildcards: the one exception a hardened deny may carry. */
const ROLE_ARN = /^arn:aws(-cn)?:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const EXCEPTION_OPERATORS = ["ArnNotEquals", "ArnNotLike", "StringNotEquals", "StringNotLike"];

/** The break-glass exception of a Deny: its role ARN, "unknown" during preview, or why it is not one. */
export type Exception = { role: string } | { unknown: true } | { problem: string };

/**
 * Reads a Deny's condition: exactly one aws:PrincipalArn test naming one role ARN, plus the
 * `extra` tests allowed for this statement (key -> operator and value), nothing else.
 */
export function breakGlassException(stmt: Record<string, any>, extra: Record<string, { operators: string[]; value: string }> = {}): Exception {
  const c = conditionsOf(stmt);
  if (c.unknown) {
    return { unknown: true };
  }
  const principalTests = c.tests.filter((t) => t.key === "aws:principalarn");
  const others = c.tests.filter((t) => t.key !== "aws:principalarn");
  for (const t of others) {
    const allowed = extra[t.key];
    if (
      !allowed ||
      !allowed.operators.includes(t.operator) ||
      t.values.unknown ||
      t.values.values.length !== 1 ||
      t.values.values[0].toLowerCase() !== allowed.value
    ) {
      return { problem: `its condition ${t.operator} ${t.key} is not the break-glass exception` };
    }
  }
  if (principalTests.length !== 1) {
    return {
      problem: principalTests.length === 0 ? "it has no aws:PrincipalArn exception for the break-glass role" : "it tests aws:PrincipalArn more than once",
    };
  }
  const t = principalTests[0];
  if (!EXCEPTION_OPERATORS.includes(t.operator)) {
    return { problem: `its aws:PrincipalArn test uses ${t.operator}, not one of ${EXCEPTION_OPERATORS.join(", ")}` };
  }
  if (t.values.unknown) {
    return { unknown: true };
  }
  if (t.values.values.length !== 1) {
    return { problem: `it exempts ${t.values.values.length} principals; expected exactly one break-glass role` };
  }
  const role = t.values.values[0];
  if (!ROLE_ARN.test(role)) {
    return { problem: `it exempts ${JSON.stringify(role)}, which is not one IAM role ARN without wildcards` };
  }
  return { role };
}

export interface Coverage {
  /** The wanted actions some statement denies with a break-glass exception only. */
  covered: Set<string>;
  /** Break-glass role ARNs those statements name. */
  roles: Set<string>;
  /** Some statement's condition was unknown (preview): the actions it names count as covered. */
  unknown: boolean;
  /** Deny statements naming wanted actions whose exception is wrong. */
  problems: string[];
}

/** Which of `wanted` the statements deny to Principal "*" with only the break-glass exception (plus `extra`), on resources `resourceOk` accepts. */
export function coverage(
  statements: Record<string, any>[],
  wanted: readonly string[],
  resourceOk: (stmt: Record<string, any>) => boolean,
  extra: Record<string, { operators: string[]; value: string }> = {},
): Coverage {
  const out: Coverage = { covered: new Set(), roles: new Set(), unknown: false, problems: [] };
  statements.forEach((s, i) => {
    if (effectOf(s) !== "Deny" || !principalsOf(s).anyone) {
      return;
    }
    const actions = valuesOf(() => s.Action).values;
    const hits = wanted.filter((w) => actions.some((a) => actionMatches(a, w)));
    if (hits.length === 0 || !resourceOk(s)) {
      return;
    }
    const tests = conditionsOf(s).tests;
    if (tests.length === 0) {
      // A deny to everyone, break-glass included (the older DenyDeletingObjectVersions): stricter, and fine.
      hits.forEach((h) => out.covered.add(h));
      return;
    }
    const e = breakGlassException(s, extra);
    if ("problem" in e) {
      // Without an aws:PrincipalArn test it is some other guard (the TLS deny): it covers nothing.
      // With one, it is an exception list, and a wrong one is reported.
      if (tests.some((t) => t.key === "aws:principalarn")) {
        out.problems.push(`${labelOf(s, i)}: ${e.problem}`);
      }
      return;
    }
    if ("unknown" in e) {
      out.unknown = true;
    } else {
      out.roles.add(e.role);
    }
    hits.forEach((h) => out.covered.add(h));
  });
  return out;
}
