/**
 * Reading IAM policy documents the way the policies need them: as JSON strings or as objects
 * whose parts may be unknown during preview. Every accessor reports what it could not know instead
 * of failing, so a policy can decide from the known parts of a document.
 *
 * How the policies decide when a part is unknown (a JSON string is all or nothing; an object built
 * with infra/iam.ts `policyDocument` is unknown only at the leaves that hold outputs of resources
 * this deployment creates):
 *  - An unknown `Resource`/`NotResource` leaf, principal value or condition value is the output of
 *    a resource or data source: a concrete ARN or id, never the literal `"*"` (a wildcard is always
 *    written as a literal).
 *  - `Effect`, `Action`/`NotAction`, the principal itself (`"*"` or its AWS/Service/Federated key)
 *    and condition operators and keys are literals. If one of them is unknown anyway, a check
 *    assumes the worst for what it guards: an unknown Effect may be Allow (and is not a Deny), an
 *    unknown action may be `*`, iam:PassRole or a typo, an unknown principal may be `"*"` or a
 *    service, an unknown condition restricts nothing.
 *  - A document (or its `Statement` list) that is entirely unknown cannot be read at all: the
 *    policy is then skipped during preview as the engine does. Pass documents as objects.
 */
import { read, T } from "./kit";

/** identity: attached to a principal; trust: a role's assume-role policy; resource: on a resource. */
export type DocKind = "identity" | "trust" | "resource";

/** Where a document lives in a resource's inputs, read lazily (it may be unknown). */
export interface DocRef {
  kind: DocKind;
  /** Property path for messages, e.g. `policy` or `inlinePolicies[0].policy`. */
  path: string;
  get: () => unknown;
}

const SINGLE_DOC: Record<string, { kind: DocKind; property: string }> = {
  [T.iamRolePolicy]: { kind: "identity", property: "policy" },
  [T.iamPolicy]: { kind: "identity", property: "policy" },
  [T.iamUserPolicy]: { kind: "identity", property: "policy" },
  [T.iamGroupPolicy]: { kind: "identity", property: "policy" },
  [T.bucket]: { kind: "resource", property: "policy" },
  [T.bucketV2]: { kind: "resource", property: "policy" },
  [T.bucketPolicy]: { kind: "resource", property: "policy" },
  [T.kmsKey]: { kind: "resource", property: "policy" },
  [T.kmsReplicaKey]: { kind: "resource", property: "policy" },
  [T.kmsKeyPolicy]: { kind: "resource", property: "policy" },
  [T.sqsQueue]: { kind: "resource", property: "policy" },
  [T.sqsQueuePolicy]: { kind: "resource", property: "policy" },
  [T.snsTopic]: { kind: "resource", property: "policy" },
  [T.snsTopicPolicy]: { kind: "resource", property: "policy" },
  [T.backupVaultPolicy]: { kind: "resource", property: "policy" },
  [T.logResourcePolicy]: { kind: "resource", property: "policyDocument" },
  [T.logDestinationPolicy]: { kind: "resource", property: "accessPolicy" },
  [T.eventBusPolicy]: { kind: "resource", property: "policy" },
  [T.secretPolicy]: { kind: "resource", property: "policy" },
};

/** Every type that can carry a policy document. */
export const DOCUMENT_TYPES: readonly string[] = [...Object.keys(SINGLE_DOC), T.iamRole];

/** KMS key policy types: their `kms:*`-to-root statement is judged by the KMS policy instead. */
export const KEY_POLICY_TYPES: readonly string[] = [T.kmsKey, T.kmsReplicaKey, T.kmsKeyPolicy];

/** The policy documents a resource carries. Absent documents are left out. */
export function documentsOf(type: string, props: Record<string, any>): DocRef[] {
  const single = SINGLE_DOC[type];
  if (single) {
    return present(() => props[single.property]) ? [{ kind: single.kind, path: single.property, get: () => props[single.property] }] : [];
  }
  if (type === T.iamRole) {
    const docs: DocRef[] = [{ kind: "trust", path: "assumeRolePolicy", get: () => props.assumeRolePolicy }];
    const inline = read(() => props.inlinePolicies);
    if (!inline.known) {
      docs.push({ kind: "identity", path: "inlinePolicies", get: () => props.inlinePolicies });
    } else if (Array.isArray(inline.value)) {
      inline.value.forEach((_: unknown, i: number) => {
        if (present(() => props.inlinePolicies[i].policy)) {
          docs.push({ kind: "identity", path: `inlinePolicies[${i}].policy`, get: () => props.inlinePolicies[i].policy });
        }
      });
    }
    return docs;
  }
  return [];
}

function present(get: () => unknown): boolean {
  const r = read(get);
  return !r.known || (r.value !== undefined && r.value !== null && r.value !== "");
}

/** A document parsed from JSON, or the (possibly partly unknown) object itself. Throws if the whole document is unknown. */
export function parseDocument(raw: unknown): Record<string, any> {
  if (typeof raw === "string") {
    try {
      return JSON.parse(raw);
    } catch {
      throw new InvalidDocumentError(`is not valid JSON`);
    }
  }
  if (raw && typeof raw === "object") {
    return raw as Record<string, any>;
  }
  throw new InvalidDocumentError(`is not a policy document (got ${typeof raw})`);
}

export class InvalidDocumentError extends Error {}

/** The statements of a document, in order. Throws the engine's unknown error if `Statement` itself is unknown. */
export function statementsOf(doc: Record<string, any>): Record<string, any>[] {
  const s = doc.Statement;
  if (Array.isArray(s)) {
    const out: Record<string, any>[] = [];
    for (let i = 0; i < s.length; i++) {
      out.push(s[i]);
    }
    return out;
  }
  return s && typeof s === "object" ? [s] : [];
}

/** String values of a field that may be a string or a list, some of it unknown. */
export interface Values {
  /** The field is present (or unknown). */
  present: boolean;
  /** The known string values. */
  values: string[];
  /** Some part of the field is unknown. */
  unknown: boolean;
  /** How many values are unknown: unknown list items, 1 for an unknown single value, Infinity when the whole list is unknown. */
  unknownItems: number;
}

export function valuesOf(get: () => unknown): Values {
  const r = read(get);
  if (!r.known) {
    // A single unknown value and an unknown list look the same through the proxy.
    return { present: true, values: [], unknown: true, unknownItems: Infinity };
  }
  const v = r.value;
  if (v === undefined || v === null) {
    return { present: false, values: [], unknown: false, unknownItems: 0 };
  }
  if (typeof v === "string") {
    return { present: true, values: [v], unknown: false, unknownItems: 0 };
  }
  if (Array.isArray(v)) {
    const out: Values = { present: true, values: [], unknown: false, unknownItems: 0 };
    for (let i = 0; i < v.length; i++) {
      const e = read(() => v[i]);
      if (!e.known || e.value === undefined) {
        out.unknown = true;
        out.unknownItems += 1;
      } else if (typeof e.value === "string") {
        out.values.push(e.value);
      }
    }
    return out;
  }
  return { present: true, values: [String(v)], unknown: false, unknownItems: 0 };
}

/** The statement's effect, when known. */
export function effectOf(stmt: Record<string, any>): string | undefined {
  const r = read(() => stmt.Effect);
  return r.known && typeof r.value === "string" ? r.value : undefined;
}

/** Whether the statement may allow: its Effect is Allow, or unknown during preview (the worst case). */
export function mayAllow(stmt: Record<string, any>): boolean {
  const r = read(() => stmt.Effect);
  return !r.known || r.value === "Allow";
}

/** `Sid` or the statement's position, for messages. */
export function labelOf(stmt: Record<string, any>, index: number): string {
  const r = read(() => stmt.Sid);
  return r.known && typeof r.value === "string" && r.value ? `statement "${r.value}"` : `statement #${index + 1}`;
}

export interface Principals {
  present: boolean;
  /** `"*"` or `{ AWS: "*" }`: anyone. */
  anyone: boolean;
  aws: Values;
  service: Values;
  federated: Values;
  /** Some part is unknown. */
  unknown: boolean;
  /** The principal itself is unknown (not only values under a known AWS/Service/Federated key): it may be `"*"` or a service. */
  wholeUnknown: boolean;
}

export function principalsOf(stmt: Record<string, any>, field: "Principal" | "NotPrincipal" = "Principal"): Principals {
  const empty: Values = { present: false, values: [], unknown: false, unknownItems: 0 };
  const r = read(() => stmt[field]);
  if (!r.known) {
    return { present: true, anyone: false, aws: empty, service: empty, federated: empty, unknown: true, wholeUnknown: true };
  }
  const p = r.value;
  if (p === undefined || p === null) {
    return { present: false, anyone: false, aws: empty, service: empty, federated: empty, unknown: false, wholeUnknown: false };
  }
  if (typeof p === "string") {
    return {
      present: true,
      anyone: p === "*",
      aws: { present: true, values: [p], unknown: false, unknownItems: 0 },
      service: empty,
      federated: empty,
      unknown: false,
      wholeUnknown: false,
    };
  }
  const aws = valuesOf(() => p.AWS);
  const service = valuesOf(() => p.Service);
  const federated = valuesOf(() => p.Federated);
  return {
    present: true,
    anyone: aws.values.includes("*"),
    aws,
    service,
    federated,
    unknown: aws.unknown || service.unknown || federated.unknown,
    wholeUnknown: false,
  };
}

/** One condition test: operator, key (lower case) and its known values. */
export interface ConditionTest {
  operator: string;
  key: string;
  values: Values;
}

/** The condition tests of a statement; `unknown` when the Condition block (or an operator's map) is unknown. */
export function conditionsOf(stmt: Record<string, any>): { tests: ConditionTest[]; unknown: boolean } {
  const r = read(() => stmt.Condition);
  if (!r.known) {
    return { tests: [], unknown: true };
  }
  const c = r.value;
  if (!c || typeof c !== "object") {
    return { tests: [], unknown: false };
  }
  const tests: ConditionTest[] = [];
  let unknown = false;
  for (const operator of Object.keys(c)) {
    const block = read(() => c[operator]);
    if (!block.known) {
      unknown = true;
      continue;
    }
    if (!block.value || typeof block.value !== "object") {
      continue;
    }
    for (const key of Object.keys(block.value)) {
      const values = valuesOf(() => block.value[key]);
      tests.push({ operator, key: key.toLowerCase(), values });
    }
  }
  return { tests, unknown };
}

/** Whether the statement's condition tests one of the given keys (case-insensitive). */
export function conditionHasKey(stmt: Record<string, any>, keys: readonly string[]): boolean {
  const wanted = keys.map((k) => k.toLowerCase());
  return conditionsOf(stmt).tests.some((t) => wanted.includes(t.key));
}
