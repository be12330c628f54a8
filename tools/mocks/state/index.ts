/**
 * New resources get the computed outputs AWS would give them (ARNs in `aws-cn`, names, ids, URLs),
 * deterministic per URN, one file per group of services.
 */
import type { MockOptions } from "../aws-cn";
import { backupRdsState } from "./backup-rds";
import { Computed, StateContext, StateRules, stateContext } from "./context";
import { ec2State } from "./ec2";
import { functionsEventsState } from "./functions-events";
import { iamKmsState } from "./iam-kms";
import { storageState } from "./storage";

export type { Computed } from "./context";

const RULES: StateRules = { ...storageState, ...iamKmsState, ...functionsEventsState, ...backupRdsState, ...ec2State };

/** A StackReference echoes the outputs of the stack it names, known even in preview. */
function stackReference({ inputs, options }: StateContext): Computed {
  const stackName: string = inputs.name;
  const outputs = options.stackOutputs?.[stackName];
  if (!outputs) throw new Error(`mock: no outputs known for stack reference ${stackName}`);
  return { id: stackName, state: { outputs, secretOutputNames: [] }, knownInPreview: { outputs, secretOutputNames: [] } };
}

/** Any other type (e.g. `aws:sfn/stateMachine:StateMachine`): `arn:aws-cn:<service>:<region>:<account>:<kind>/<name>`. */
function generic({ type, inputs, autoname, arnOf }: StateContext): Computed {
  if (!type.startsWith("aws:")) return { state: {}, knownInPreview: {} };
  const [, mod, kind] = type.split(/[:/]/);
  const n = autoname(255);
  return { state: { name: inputs.name ?? n, arn: arnOf(mod, `${kind.toLowerCase()}/${n}`) }, knownInPreview: {} };
}

/** The outputs AWS (through the provider) computes for a new resource of `type`. */
export function computedOutputs(type: string, name: string, inputs: Record<string, any>, region: string, seed: string, options: MockOptions): Computed {
  const c = stateContext(type, name, inputs, region, seed, options);
  if (type === "pulumi:pulumi:StackReference") return stackReference(c);
  const rule = Object.prototype.hasOwnProperty.call(RULES, type) ? RULES[type] : generic;
  return rule(c);
}
