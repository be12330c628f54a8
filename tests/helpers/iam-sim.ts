/**
 * IAM simulation for tests, on @cloud-copilot/iam-simulate: given the identity policies of a
 * principal (inline documents), a resource policy (bucket, key, queue, vault, trust ...) and a
 * request (principal, action, resource ARN, context keys), says whether AWS would allow it.
 *
 * Works in partition aws-cn (ARNs `arn:aws-cn:...`, China service principals); see
 * tests/helpers/iam-sim.test.ts. Invalid input (an action that does not exist, a malformed policy,
 * a resource ARN the action does not accept) throws rather than reading as "denied", so a test
 * cannot pass because of a typo.
 *
 * Also reads the identity policies of a role out of the harness's resource records.
 */
import { runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import { ResourceRecord } from "../../tools/types";

/** A policy document, as a JSON string or an object. */
export type PolicyDoc = string | Record<string, any>;

export interface SimRequest {
  /** The caller: a role/user ARN, an assumed-role session ARN, a service principal, or an account root ARN. */
  principal: string;
  /** `service:Action`, e.g. `s3:PutObject`. */
  action: string;
  /** The resource ARN the request acts on (`*` for actions without resource-level permissions). */
  resource: string;
  /** The account owning the resource; defaults to the account in the resource ARN, else the principal's. */
  resourceAccount?: string;
  /** Request context keys: aws:SourceAccount, aws:SourceArn, kms:ViaService, aws:SecureTransport ... */
  context?: Record<string, string | string[]>;
}

export interface SimInput {
  /** The principal's identity policies (inline documents), by name or as a list. */
  identityPolicies?: PolicyDoc[] | Record<string, PolicyDoc>;
  /** The resource's policy (bucket policy, key policy, queue policy, vault access policy, role trust policy ...). */
  resourcePolicy?: PolicyDoc;
  /** A permissions boundary on the principal, if any. */
  permissionsBoundary?: PolicyDoc;
  request: SimRequest;
  /**
   * Accept a result although the simulator dropped some context keys (keys it does not know for
   * the action, or colon-separated variable keys such as `kms:EncryptionContext:aws:logs:arn`,
   * which it cannot evaluate). Off by default: the result would not reflect those keys.
   */
  allowIgnoredContextKeys?: boolean;
}

export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

export interface SimResult {
  allowed: boolean;
  decision: Decision;
  /** Context keys the simulator did not evaluate (empty unless `allowIgnoredContextKeys`). */
  ignoredContextKeys: string[];
  /** The simulator's full answer, for debugging a failing test. */
  raw: unknown;
}

/**
 * A document as the simulator takes it. Object documents (infra/iam.ts `policyDocument`) are
 * checked to hold only plain values: a preview record has unknown leaves (unknown ARNs), and
 * simulating those would answer for a different policy.
 */
function asObject(doc: PolicyDoc): Record<string, any> {
  if (typeof doc === "string") {
    return JSON.parse(doc);
  }
  const check = (v: unknown, path: string): void => {
    if (v === null || ["string", "number", "boolean", "undefined"].includes(typeof v)) {
      return;
    }
    if (Array.isArray(v)) {
      v.forEach((e, i) => check(e, `${path}[${i}]`));
      return;
    }
    const proto = typeof v === "object" ? Object.getPrototypeOf(v) : undefined;
    if (proto !== Object.prototype && proto !== null) {
      throw new Error(
        `iam-sim: the policy document has a value at ${path || "the top"} that is not plain data (an unknown preview value?); simulate documents recorded in update mode`,
      );
    }
    for (const [k, e] of Object.entries(v as Record<string, unknown>)) {
      check(e, `${path}.${k}`);
    }
  };
  check(doc, "");
  return doc;
}

/** The account id in an ARN (`arn:partition:service:region:account:...`), if it has one. */
export function accountOf(arn: string): string | undefined {
  const parts = arn.split(":");
  return parts.length >= 5 && /^\d{12}$/.test(parts[4]) ? parts[4] : undefined;
}

/** Simulates one request. Throws on invalid input (unknown action, bad policy, resource type mismatch). */
export async function simulate(input: SimInput): Promise<SimResult> {
  const { request } = input;
  const identity = input.identityPolicies ?? [];
  const identityPolicies = Array.isArray(identity)
    ? identity.map((p, i) => ({ name: `policy-${i + 1}`, policy: asObject(p) }))
    : Object.entries(identity).map(([name, p]) => ({ name, policy: asObject(p) }));
  const accountId = request.resourceAccount ?? accountOf(request.resource) ?? accountOf(request.principal);
  if (!accountId) {
    throw new Error(`iam-sim: cannot tell the resource's account from ${request.resource} or ${request.principal}; pass request.resourceAccount`);
  }
  const simulation: Simulation = {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId },
      contextVariables: request.context ?? {},
    },
    identityPolicies,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(input.resourcePolicy !== undefined ? { resourcePolicy: asObject(input.resourcePolicy) } : {}),
    ...(input.permissionsBoundary !== undefined ? { permissionBoundaryPolicies: [{ name: "boundary", policy: asObject(input.permissionsBoundary) }] } : {}),
  };
  const raw = await runSimulation(simulation, {});
  if (raw.resultType === "error") {
    throw new Error(`iam-sim: invalid simulation of ${request.action} on ${request.resource}: ${JSON.stringify(raw.errors)}`);
  }
  const ignored = [...new Set(raw.resultType === "single" ? (raw.result.ignoredContextKeys ?? []) : raw.results.flatMap((r) => r.ignoredContextKeys ?? []))];
  if (ignored.length > 0 && !input.allowIgnoredContextKeys) {
    throw new Error(
      `iam-sim: the simulator ignored context key(s) ${ignored.join(", ")} for ${request.action} on ${request.resource}, so its answer would not reflect them ` +
        `(it evaluates only the keys AWS documents for the action, and no colon-separated variable keys such as kms:EncryptionContext:<key>)`,
    );
  }
  const decision = raw.overallResult as Decision;
  return { allowed: decision === "Allowed", decision, ignoredContextKeys: ignored, raw };
}

/** Whether the request is allowed. */
export async function isAllowed(input: SimInput): Promise<boolean> {
  return (await simulate(input)).allowed;
}

/** The decision for a request, e.g. to assert `ExplicitlyDenied` (a Deny statement) rather than just "not allowed". */
export async function decide(input: SimInput): Promise<Decision> {
  return (await simulate(input)).decision;
}

/** The identity policy documents a role carries in the recorded stack, and what cannot be simulated. */
export interface RolePolicies {
  /** Inline documents by a readable name: `inline:<name>` or `RolePolicy:<logical name>`. */
  documents: Record<string, PolicyDoc>;
  /** ARNs of managed policies attached (AWS managed policies cannot be simulated offline). */
  managedPolicyArns: string[];
}

/** Whether `rec`'s `property` refers to the role: through its property dependencies, or by the role's known name. */
function refersTo(rec: ResourceRecord, property: string, role: ResourceRecord): boolean {
  if ((rec.propertyDependencies?.[property] ?? []).includes(role.urn)) {
    return true;
  }
  const value = rec.inputs?.[property];
  const names = [role.state?.name, role.inputs?.name, role.state?.id, role.state?.arn].filter((n) => typeof n === "string" && n);
  return typeof value === "string" && names.includes(value);
}

/** Collects a role's identity policies from the harness's records (inline policies, RolePolicy resources, attachments). */
export function rolePolicies(records: ResourceRecord[], role: ResourceRecord): RolePolicies {
  const documents: Record<string, PolicyDoc> = {};
  const managedPolicyArns: string[] = [];
  const inline = role.inputs?.inlinePolicies;
  if (Array.isArray(inline)) {
    inline.forEach((p: any, i: number) => {
      if (p?.policy !== undefined) {
        documents[`inline:${p.name ?? i}`] = p.policy;
      }
    });
  }
  for (const arn of role.inputs?.managedPolicyArns ?? []) {
    managedPolicyArns.push(arn);
  }
  for (const rec of records) {
    if (rec.type === "aws:iam/rolePolicy:RolePolicy" && refersTo(rec, "role", role)) {
      documents[`RolePolicy:${rec.name}`] = rec.inputs.policy;
    }
    if (rec.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment" && refersTo(rec, "role", role)) {
      const arn = rec.inputs.policyArn;
      const customer = records.find(
        (r) => r.type === "aws:iam/policy:Policy" && (r.state?.arn === arn || (rec.propertyDependencies?.policyArn ?? []).includes(r.urn)),
      );
      if (customer) {
        documents[`Policy:${customer.name}`] = customer.inputs.policy;
      } else {
        managedPolicyArns.push(arn);
      }
    }
  }
  return { documents, managedPolicyArns };
}

/**
 * Simulates a request made by a role of the recorded stack: its identity policies are read from the
 * records (rolePolicies), the principal is the role's ARN. Throws if the role has managed policies
 * attached, which cannot be simulated offline (pass `ignoreManagedPolicies` to accept that).
 */
export async function simulateAsRole(
  records: ResourceRecord[],
  role: ResourceRecord,
  request: Omit<SimRequest, "principal">,
  opts: { resourcePolicy?: PolicyDoc; ignoreManagedPolicies?: boolean; allowIgnoredContextKeys?: boolean } = {},
): Promise<SimResult> {
  const { documents, managedPolicyArns } = rolePolicies(records, role);
  if (managedPolicyArns.length > 0 && !opts.ignoreManagedPolicies) {
    throw new Error(`iam-sim: role ${role.name} has managed policies attached (${managedPolicyArns.join(", ")}), which cannot be simulated offline`);
  }
  const principal = role.state?.arn;
  if (typeof principal !== "string") {
    throw new Error(`iam-sim: role ${role.name} has no known ARN in its recorded state`);
  }
  return simulate({
    identityPolicies: documents,
    resourcePolicy: opts.resourcePolicy,
    allowIgnoredContextKeys: opts.allowIgnoredContextKeys,
    request: { ...request, principal },
  });
}
