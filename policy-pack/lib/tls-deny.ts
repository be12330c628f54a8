/**
 * Shared by the queue and topic TLS policies: whether a resource policy carries a Deny for
 * Principal "*" of the given action when aws:SecureTransport is false, on the resource itself.
 */
import { PolicyResource, ReportViolation } from "@pulumi/policy";
import { actionMatches } from "./actions";
import { attachedBy } from "./attach";
import { conditionsOf, effectOf, InvalidDocumentError, parseDocument, principalsOf, statementsOf, valuesOf } from "./iam-document";
import { dependenciesOf, describe, isUnknownError, knownString, read } from "./kit";

function denyProblem(stmt: Record<string, any>, actions: string[], target: PolicyResource, owner: PolicyResource): string | undefined {
  if (!principalsOf(stmt).anyone) {
    return 'does not apply to Principal "*"';
  }
  const written = valuesOf(() => stmt.Action).values;
  const missing = actions.filter((action) => !written.some((a) => actionMatches(a, action)));
  if (missing.length > 0) {
    return `does not deny ${missing.join(", ")}`;
  }
  const insecure = conditionsOf(stmt).tests.some(
    (t) =>
      (t.operator === "Bool" || t.operator === "BoolIfExists") &&
      t.key === "aws:securetransport" &&
      t.values.values.some((v) => String(v).toLowerCase() === "false"),
  );
  if (!insecure) {
    return "has no condition Bool aws:SecureTransport = false";
  }
  const res = valuesOf(() => stmt.Resource);
  const arn = knownString(() => target.props.arn);
  if (res.values.includes("*") || (arn !== undefined && res.values.includes(arn))) {
    return undefined;
  }
  if (res.unknown && dependenciesOf(owner, "policy").some((d) => d.urn === target.urn)) {
    return undefined;
  }
  return `covers ${JSON.stringify(res.values)}, not ${arn ?? "this resource"}`;
}

/** Judges every target (queue or topic) of the stack. Re-throws an unknown whole document at the end. */
export function judgeTlsDeny(
  resources: PolicyResource[],
  report: ReportViolation,
  opts: { targetType: string; policyType: string; policyProperty: string; targetKeys: string[]; actions: string[]; noun: string },
): void {
  let pending: unknown;
  for (const target of resources.filter((r) => r.type === opts.targetType)) {
    const owners = attachedBy(target, resources, [opts.policyType], opts.policyProperty, opts.targetKeys);
    const inline = read(() => target.props.policy);
    if (owners.length === 0 && (!inline.known || inline.value)) {
      owners.push(target);
    }
    if (owners.length === 0) {
      report(
        `${describe(target)} has no ${opts.noun} policy: add one that denies ${opts.actions.join(", ")} to Principal "*" when aws:SecureTransport is false.`,
        target.urn,
      );
      continue;
    }
    for (const owner of owners) {
      let statements: Record<string, any>[];
      try {
        statements = statementsOf(parseDocument(owner.props.policy));
      } catch (e) {
        if (isUnknownError(e)) {
          pending = pending ?? e;
          continue;
        }
        if ((e as Error) instanceof InvalidDocumentError) {
          report(`${describe(owner)} policy ${(e as Error).message}.`, owner.urn);
          continue;
        }
        throw e;
      }
      const problems: string[] = [];
      const ok = statements.some((s) => {
        if (effectOf(s) !== "Deny") {
          return false;
        }
        const p = denyProblem(s, opts.actions, target, owner);
        if (p) {
          problems.push(p);
        }
        return p === undefined;
      });
      if (!ok) {
        report(
          `${describe(target)}: its policy ${describe(owner)} does not deny requests without TLS${problems.length ? ` (its Deny statements: ${problems.join("; ")})` : ""}.`,
          owner.urn,
        );
      }
    }
  }
  if (pending) {
    throw pending;
  }
}
