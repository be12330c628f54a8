/**
 * What the Pulumi engine's policy server hands a policy, built from the harness's records: values
 * with unknowns as the engine's sentinels (preview) or absent (update), resource options, type
 * checks and the default AWS provider with its region.
 */
import { PolicyResourceOptions, unknownCheckingProxy, UnknownValueError } from "@pulumi/policy";
import { ResourceRecord } from "../types";

// The engine's unknown sentinel (internal to @pulumi/policy, but stable since 1.0).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxyModule: { unknownStringValue: string } = require("@pulumi/policy/proxy");

export const UNKNOWN = proxyModule.unknownStringValue;

/** Pulumi's wire sentinel for unknown values, as found in serialized inputs. */
const WIRE_UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknownError(e: unknown): e is Error {
  return e instanceof UnknownValueError || (e as any)?.constructor?.name === "UnknownValueError";
}

function isPulumiUnknown(v: unknown): boolean {
  return !!v && typeof v === "object" && (v as any).constructor?.name === "Unknown";
}

/** Converts recorded values to what the engine hands a policy: unknowns become the proxy's sentinel (preview) or vanish (update). */
export function toEngineValue(value: unknown, preview: boolean): unknown {
  if (value === WIRE_UNKNOWN || isPulumiUnknown(value)) {
    return preview ? UNKNOWN : undefined;
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const v of value) {
      if (v === undefined) {
        if (preview) {
          out.push(UNKNOWN);
        }
        continue;
      }
      out.push(toEngineValue(v, preview));
    }
    return out;
  }
  if (value && typeof value === "object") {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      return value;
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) {
        if (preview) {
          out[k] = UNKNOWN;
        }
        continue;
      }
      out[k] = toEngineValue(v, preview);
    }
    return out;
  }
  return value;
}

export const defaultOptions = (parent?: string): PolicyResourceOptions => ({
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
  ...(parent ? { parent } : {}),
});

export function isTypeOf(type: string, cls: any): boolean {
  return typeof cls?.__pulumiType === "string" ? cls.__pulumiType === type : !!cls?.isInstance?.({ __pulumiType: type });
}

export function providerFor(rec: ResourceRecord, preview: boolean, stack: string) {
  if (!rec.type.startsWith("aws:")) {
    return undefined;
  }
  const region = rec.region !== undefined ? rec.region : preview ? UNKNOWN : undefined;
  return {
    type: "pulumi:providers:aws",
    props: unknownCheckingProxy({ ...(region !== undefined ? { region } : {}) }),
    urn: `urn:pulumi:${stack}::cn-log-backup::pulumi:providers:aws::default`,
    name: "default",
  };
}
