/** Field kinds for single values: strings, enumerations, regions, integers, flags, CIDR blocks. */
import { ConfigValueError, Field } from "./field";

export const REGIONS = ["cn-north-1", "cn-northwest-1"] as const;
export type ChinaRegion = (typeof REGIONS)[number];

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

export function str(doc: string, opts: { default?: string; required?: boolean; pattern?: RegExp; allowed?: string } = {}): Field<string> {
  const allowed = opts.allowed ?? (opts.pattern ? `a string matching ${opts.pattern}` : "a non-empty string");
  return {
    doc,
    allowed,
    default: opts.default,
    required: opts.required,
    parse(raw) {
      if (typeof raw !== "string" || raw.length === 0) throw new ConfigValueError(allowed);
      if (opts.pattern && !opts.pattern.test(raw)) throw new ConfigValueError(allowed);
      return raw;
    },
  };
}

export function optionalStr(doc: string, opts: { pattern?: RegExp; allowed?: string } = {}): Field<string | undefined> {
  return str(doc, opts) as Field<string | undefined>;
}

export function oneOf<const V extends string>(values: readonly V[], doc: string, def?: V): Field<V> {
  const allowed = `one of ${values.join(", ")}`;
  return {
    doc,
    allowed,
    default: def,
    required: def === undefined,
    parse(raw) {
      if (typeof raw !== "string" || !(values as readonly string[]).includes(raw)) throw new ConfigValueError(allowed);
      return raw as V;
    },
  };
}

export function region(doc: string, def: ChinaRegion): Field<ChinaRegion> {
  return oneOf(REGIONS, doc, def);
}

function toNumber(raw: unknown): number | undefined {
  if (typeof raw === "number") return raw;
  if (typeof raw === "string" && /^-?\d+(\.\d+)?$/.test(raw.trim())) return Number(raw);
  return undefined;
}

export function int(doc: string, opts: { min?: number; max?: number; default?: number; required?: boolean }): Field<number> {
  const min = opts.min ?? 1;
  const allowed = opts.max !== undefined ? `an integer from ${min} to ${opts.max}` : min === 1 ? "a positive integer" : `an integer >= ${min}`;
  return {
    doc,
    allowed,
    default: opts.default,
    required: opts.required,
    parse(raw) {
      const n = toNumber(raw);
      if (n === undefined || !Number.isInteger(n) || n < min || (opts.max !== undefined && n > opts.max)) {
        throw new ConfigValueError(allowed);
      }
      return n;
    },
  };
}

export function optionalInt(doc: string, opts: { min?: number; max?: number }): Field<number | undefined> {
  return int(doc, opts) as Field<number | undefined>;
}

/** A retention CloudWatch Logs accepts. */
export function logRetention(doc: string, def: (typeof LOG_RETENTION_DAYS)[number]): Field<number> {
  const allowed = `one of the CloudWatch Logs retention periods (${LOG_RETENTION_DAYS.join(", ")})`;
  return {
    doc,
    allowed,
    default: def,
    parse(raw) {
      const n = toNumber(raw);
      if (n === undefined || !(LOG_RETENTION_DAYS as readonly number[]).includes(n)) throw new ConfigValueError(allowed);
      return n;
    },
  };
}

export function bool(doc: string, def: boolean): Field<boolean> {
  const allowed = "true or false";
  return {
    doc,
    allowed,
    default: def,
    parse(raw) {
      if (raw === true || raw === "true") return true;
      if (raw === false || raw === "false") return false;
      throw new ConfigValueError(allowed);
    },
  };
}

/** An IPv4 CIDR block whose prefix length is between `minPrefix` and `maxPrefix`, on its network boundary. */
export function ipv4Cidr(doc: string, def: string, minPrefix: number, maxPrefix: number): Field<string> {
  const allowed = `an IPv4 CIDR block from /${minPrefix} to /${maxPrefix} on its network boundary, such as ${def}`;
  return {
    doc,
    allowed,
    default: def,
    parse(raw) {
      const m = typeof raw === "string" ? /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(raw) : null;
      if (!m) throw new ConfigValueError(allowed);
      const octets = m.slice(1, 5).map(Number);
      const prefix = Number(m[5]);
      if (octets.some((o) => o > 255) || prefix < minPrefix || prefix > maxPrefix) throw new ConfigValueError(allowed);
      const address = octets.reduce((a, o) => a * 256 + o, 0);
      if (address % 2 ** (32 - prefix) !== 0) throw new ConfigValueError(allowed);
      return raw as string;
    },
  };
}
