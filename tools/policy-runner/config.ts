/**
 * Enforcement levels and policy config from a policy-pack config (as for `--policy-pack-config`),
 * with the policies' JSON-schema defaults applied and values checked.
 */
import { EnforcementLevel, PolicyConfigSchema } from "@pulumi/policy";

/** One policy's config in a policy-pack config file: a level, or a level plus properties. */
export type PolicyConfigValue = EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>);

export type PolicyPackConfig = Record<string, PolicyConfigValue>;

/** The enforcement level a policy runs at: config, then the policy's own, then the pack's default. */
export function enforcementLevelOf(policy: { name: string; enforcementLevel?: EnforcementLevel }, config?: PolicyPackConfig): EnforcementLevel {
  const c = config?.[policy.name];
  const fromConfig = typeof c === "string" ? c : c?.enforcementLevel;
  return fromConfig ?? policy.enforcementLevel ?? "advisory";
}

export const LEVELS: EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

function checkSchema(where: string, value: unknown, schema: any): string | undefined {
  if (!schema || typeof schema !== "object") {
    return undefined;
  }
  const types: string[] = schema.type ? (Array.isArray(schema.type) ? schema.type : [schema.type]) : [];
  const actual = Array.isArray(value) ? "array" : value === null ? "null" : Number.isInteger(value) ? "integer" : typeof value;
  if (types.length > 0 && !types.includes(actual) && !(actual === "integer" && types.includes("number"))) {
    return `${where} is ${JSON.stringify(value)}, expected ${types.join(" or ")}`;
  }
  if (schema.enum && !schema.enum.some((e: unknown) => JSON.stringify(e) === JSON.stringify(value))) {
    return `${where} is ${JSON.stringify(value)}, expected one of ${schema.enum.map((e: unknown) => JSON.stringify(e)).join(", ")}`;
  }
  if (typeof value === "string") {
    if (schema.pattern && !new RegExp(schema.pattern).test(value)) {
      return `${where} is ${JSON.stringify(value)}, which does not match ${schema.pattern}`;
    }
    if (schema.minLength !== undefined && value.length < schema.minLength) {
      return `${where} is ${JSON.stringify(value)}, shorter than ${schema.minLength}`;
    }
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) {
      return `${where} is ${value}, below the minimum ${schema.minimum}`;
    }
    if (schema.maximum !== undefined && value > schema.maximum) {
      return `${where} is ${value}, above the maximum ${schema.maximum}`;
    }
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      return `${where} has ${value.length} items, fewer than ${schema.minItems}`;
    }
    if (schema.uniqueItems && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) {
      return `${where} has duplicate items`;
    }
    for (let i = 0; i < value.length; i++) {
      const p = checkSchema(`${where}[${i}]`, value[i], schema.items);
      if (p) {
        return p;
      }
    }
  }
  return undefined;
}

/**
 * The config a policy's `getConfig()` returns: its properties from the pack config (enforcement
 * level removed), defaults from its schema filled in, values checked against the schema.
 * Throws an error naming the policy, the key, the bad value and what is allowed.
 */
export function policyConfigOf(policy: { name: string; configSchema?: PolicyConfigSchema }, config?: PolicyPackConfig): Record<string, unknown> {
  const c = config?.[policy.name];
  const { enforcementLevel, ...given } = typeof c === "object" && c !== null ? c : ({} as Record<string, unknown>);
  if (enforcementLevel !== undefined && !LEVELS.includes(enforcementLevel as EnforcementLevel)) {
    throw new Error(`policy config ${policy.name}.enforcementLevel is ${JSON.stringify(enforcementLevel)}; allowed: ${LEVELS.join(", ")}`);
  }
  if (typeof c === "string" && !LEVELS.includes(c)) {
    throw new Error(`policy config ${policy.name} is ${JSON.stringify(c)}; allowed: ${LEVELS.join(", ")} or an object`);
  }
  const properties = policy.configSchema?.properties ?? {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(given)) {
    if (!(key in properties)) {
      const known = Object.keys(properties);
      throw new Error(
        `policy config ${policy.name}.${key} is not a setting of this policy; allowed: ${known.length ? known.join(", ") : "enforcementLevel only"}`,
      );
    }
    const problem = checkSchema(`policy config ${policy.name}.${key}`, value, properties[key]);
    if (problem) {
      throw new Error(problem);
    }
    out[key] = value;
  }
  for (const [key, schema] of Object.entries(properties)) {
    if (!(key in out) && typeof schema === "object" && schema.default !== undefined) {
      out[key] = JSON.parse(JSON.stringify(schema.default));
    }
  }
  for (const key of policy.configSchema?.required ?? []) {
    if (!(key in out)) {
      throw new Error(`policy config ${policy.name}.${key} is required`);
    }
  }
  return out;
}
