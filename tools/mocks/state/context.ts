/** What a resource-state rule is given, and what it returns: the outputs AWS computes for a new resource. */
import { ACCOUNT_ID, MockOptions, PARTITION } from "../aws-cn";
import { hex } from "../ids";

export interface Computed {
  id?: string;
  state: Record<string, any>;
  /** Outputs that are known even in preview (inputs the provider echoes, e.g. StackReference outputs). */
  knownInPreview: Record<string, any>;
  idUnknownInPreview?: boolean;
}

export interface StateContext {
  type: string;
  /** The resource's logical name. */
  name: string;
  inputs: Record<string, any>;
  region: string;
  /** `<type>::<name>`: every generated id derives from it, so runs are deterministic. */
  seed: string;
  options: MockOptions;
  /** The account of this run. */
  acct: string;
  /** 7 hex digits from the seed, as Pulumi's auto-naming appends a random suffix. */
  suffix: string;
  /** The given `name` input, or the auto-name `<name>-<suffix>` cut to `max` characters. */
  autoname(max?: number): string;
  /** `arn:aws-cn:<service>:<region>:<account>:<resource>`. */
  arnOf(service: string, resource: string, region?: string, account?: string): string;
}

/** Resource type token -> its computed outputs. */
export type StateRules = Record<string, (c: StateContext) => Computed>;

/** One rule for several resource types. */
export function sameState(types: string[], rule: (c: StateContext) => Computed): StateRules {
  return Object.fromEntries(types.map((t) => [t, rule]));
}

export function stateContext(type: string, name: string, inputs: Record<string, any>, region: string, seed: string, options: MockOptions): StateContext {
  const acct = options.accountId ?? ACCOUNT_ID;
  const suffix = hex(seed, 7);
  return {
    type,
    name,
    inputs,
    region,
    seed,
    options,
    acct,
    suffix,
    autoname: (max = 64) => (inputs.name as string | undefined) ?? `${name}-${suffix}`.slice(0, max),
    arnOf: (service, resource, r = region, a = acct) => `arn:${PARTITION}:${service}:${r}:${a}:${resource}`,
  };
}
