/**
 * The IAM simulator's core engine (@cloud-copilot/iam-simulate), for requests whose context
 * carries `kms:EncryptionContext:<key>` keys: the validating entry point (`simulate` in
 * ./iam-sim.ts) drops those (its variable-key matcher knows only `/` variables), the core engine
 * evaluates them. The request is still validated first through the public entry point (the
 * action exists, the resource ARN is of a type the action takes), so a typo cannot read as
 * "denied".
 *
 * China service principals: the simulator recognises a service principal only by its
 * `.amazonaws.com` suffix. `<name>.amazonaws.com.cn` is rewritten to `<name>.cn.amazonaws.com` on
 * both sides (policy `Principal.Service` and the request), which keeps `ec2.amazonaws.com` and
 * `ec2.amazonaws.com.cn` different principals, as they are for AWS.
 */
import * as path from "path";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import type { Decision, PolicyDoc } from "./iam-sim";

const simDir = path.dirname(require.resolve("@cloud-copilot/iam-simulate"));
/* eslint-disable @typescript-eslint/no-var-requires */
const { authorize } = require(path.join(simDir, "core_engine/CoreSimulatorEngine.js"));
const { RequestContextImpl } = require(path.join(simDir, "requestContext.js"));
const { AwsRequestImpl } = require(path.join(simDir, "request/request.js"));
const { DiscoveryContextKeyConstraints } = require(path.join(simDir, "context_keys/discoveryContextKeyConstraints.js"));
const { loadPolicy } = require("@cloud-copilot/iam-policy");
/* eslint-enable @typescript-eslint/no-var-requires */

export interface CoreRequest {
  principal: string;
  action: string;
  resource: string;
  /** The account owning the resource. */
  resourceAccount: string;
  /** Every context key of the request, exactly (nothing is added). */
  context: Record<string, string | string[]>;
  identityPolicies?: PolicyDoc[];
  resourcePolicy?: PolicyDoc;
  /** Service control policies of the principal's account, as one level of the organization (include an Allow, e.g. FullAWSAccess). */
  serviceControlPolicies?: PolicyDoc[];
}

/** `x.amazonaws.com.cn` -> `x.cn.amazonaws.com` (see the module comment); anything else unchanged. */
export function simulatorPrincipal(p: string): string {
  return p.endsWith(".amazonaws.com.cn") ? `${p.slice(0, -".amazonaws.com.cn".length)}.cn.amazonaws.com` : p;
}

function asObject(doc: PolicyDoc): any {
  return typeof doc === "string" ? JSON.parse(doc) : JSON.parse(JSON.stringify(doc));
}

/** A copy of `doc` with its `Principal`/`NotPrincipal` service principals rewritten by `simulatorPrincipal`. */
function mapServicePrincipals(doc: PolicyDoc): any {
  const copy = asObject(doc);
  for (const st of [copy.Statement].flat()) {
    for (const field of ["Principal", "NotPrincipal"]) {
      const svc = st?.[field]?.Service;
      if (svc !== undefined) st[field].Service = Array.isArray(svc) ? svc.map(simulatorPrincipal) : simulatorPrincipal(svc);
    }
  }
  return copy;
}

const validated = new Set<string>();

/** Throws unless the simulator's catalogue knows the action and accepts the resource for it. */
export async function validate(r: Pick<CoreRequest, "principal" | "action" | "resource" | "resourceAccount">): Promise<void> {
  const k = `${r.action} ${r.resource}`;
  if (validated.has(k)) return;
  const res = await runSimulation(
    {
      request: {
        principal: simulatorPrincipal(r.principal),
        action: r.action,
        resource: { resource: r.resource, accountId: r.resourceAccount },
        contextVariables: {},
      },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (res.resultType === "error") throw new Error(`iam-sim-core: invalid request ${r.action} on ${r.resource}: ${JSON.stringify(res.errors)}`);
  validated.add(k);
}

/** The decision AWS's policy evaluation gives the request (strict: a key not in `context` is absent). */
export async function decideCore(r: CoreRequest): Promise<Decision> {
  await validate(r);
  return authorizeCore(r);
}

/**
 * `decideCore` without the catalogue check first, for callers that must stay synchronous; they
 * must `validate` every request themselves (e.g. after their tests).
 */
export function authorizeCore(r: CoreRequest): Decision {
  const analysis = authorize({
    request: new AwsRequestImpl(
      simulatorPrincipal(r.principal),
      { resource: r.resource, accountId: r.resourceAccount },
      r.action,
      new RequestContextImpl(r.context),
    ),
    sessionPolicy: undefined,
    identityPolicies: (r.identityPolicies ?? []).map((p, i) => loadPolicy(asObject(p), { name: `identity${i}` })),
    serviceControlPolicies:
      r.serviceControlPolicies === undefined
        ? []
        : [{ orgIdentifier: "r-root", policies: r.serviceControlPolicies.map((p, i) => loadPolicy(asObject(p), { name: `scp${i}` })) }],
    resourceControlPolicies: [],
    resourcePolicy: r.resourcePolicy !== undefined ? loadPolicy(mapServicePrincipals(r.resourcePolicy), { name: "resource" }) : undefined,
    permissionBoundaries: undefined,
    vpcEndpointPolicies: undefined,
    simulationParameters: { simulationMode: "Strict", discoveryContextKeyConstraints: new DiscoveryContextKeyConstraints([]) },
    serviceSettings: { s3: { blockPublicAccess: true } },
  });
  return analysis.result as Decision;
}
