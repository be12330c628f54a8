/** Whether written IAM actions (wildcards allowed, case-insensitive) cover a given action. */
import { conditionsOf, valuesOf } from "./iam-document";

export function actionMatches(written: string, action: string): boolean {
  if (written === "*") {
    return true;
  }
  const re = new RegExp(
    `^${written
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
    "i",
  );
  return re.test(action);
}

/** Which of `wanted` a statement's Action covers (an unknown Action covers nothing: it cannot be relied on). */
export function coveredActions(stmt: Record<string, any>, wanted: readonly string[]): string[] {
  const actions = valuesOf(() => stmt.Action);
  return wanted.filter((w) => actions.values.some((a) => actionMatches(a, w)));
}

/**
 * Whether a Deny applies to every request but named exceptions: no Condition, or only conditions on
 * aws:PrincipalArn (an admin exception list). A Deny conditioned on anything else (e.g. the TLS
 * deny's aws:SecureTransport) does not protect in general.
 */
export function unconditionalDeny(stmt: Record<string, any>): boolean {
  const c = conditionsOf(stmt);
  return !c.unknown && c.tests.every((t) => t.key === "aws:principalarn" && /^ArnNotLike|^ArnNotEquals|^StringNotLike|^StringNotEquals/.test(t.operator));
}
