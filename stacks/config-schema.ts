/**
 * A small, dependency-free schema language for Pulumi config: every key has a parser, a default
 * and a doc line. `stacks/config.ts` declares the keys with it; the README's config table is
 * generated from the same declarations (`npm run config-doc`), so the two cannot drift.
 *
 * Parsers accept what Pulumi hands over: top-level values arrive as strings ("5", "true", JSON for
 * objects); values nested in an object section arrive as JSON values.
 */

/** Thrown by a parser: the message says what is allowed; the caller adds key and value. */
export class ConfigValueError extends Error {}

/** One config key: how to parse it, its default, and what it means. */
export interface Field<T> {
  /** One line for the README table. */
  doc: string;
  /** What values are allowed, in words (used in error messages and the README). */
  allowed: string;
  /** Default when the key is absent; `undefined` with `required` unset means "optional, no value". */
  default?: T;
  /** The key must be set (no default). */
  required?: boolean;
  parse(raw: unknown): T;
  /** For object sections: the nested fields (used for unknown-key checks and docs). */
  fields?: Record<string, Field<unknown>>;
}

export type Infer<F> = F extends Field<infer T> ? T : never;
export type InferFields<S extends Record<string, Field<any>>> = { [K in keyof S]: Infer<S[K]> };

function describe(raw: unknown): string {
  return typeof raw === "string" ? JSON.stringify(raw) : JSON.stringify(raw) ?? String(raw);
}

export const REGIONS = ["cn-north-1", "cn-northwest-1"] as const;
export type ChinaRegion = (typeof REGIONS)[number];

/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

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
  const allowed =
    opts.max !== undefined ? `an integer from ${min} to ${opts.max}` : min === 1 ? "a positive integer" : `an integer >= ${min}`;
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

/** Top-level values arrive as JSON text; nested ones as JSON values already. */
function fromJsonText(raw: unknown, allowed: string): unknown {
  if (typeof raw !== "string") return raw;
  try {
    return JSON.parse(raw);
  } catch {
    throw new ConfigValueError(allowed);
  }
}

/** A list; accepts a JSON array (or, at top level, its JSON text). */
export function list<T>(item: Field<T>, doc: string, def: T[] = []): Field<T[]> {
  const allowed = `a list of ${item.allowed}`;
  return {
    doc,
    allowed,
    default: def,
    parse(raw) {
      const value = fromJsonText(raw, allowed);
      if (!Array.isArray(value)) throw new ConfigValueError(allowed);
      return value.map((v, i) => {
        try {
          return item.parse(v);
        } catch (e) {
          if (e instanceof ConfigValueError) {
            // Item parsers may explain more than "is not X" (e.g. why an Aurora ARN is refused).
            const why = e.message === item.allowed ? `${describe(v)} is not ${item.allowed}` : e.message;
            throw new ConfigValueError(`${allowed} (item ${i}: ${why})`);
          }
          throw e;
        }
      });
    },
  };
}

/** A string-to-string map (e.g. tags). */
export function stringMap(doc: string, opts: { keyPattern?: RegExp; allowed?: string } = {}): Field<Record<string, string>> {
  const allowed = opts.allowed ?? "an object of string keys to string values";
  return {
    doc,
    allowed,
    default: {},
    parse(raw) {
      const value = fromJsonText(raw, allowed);
      if (value === null || typeof value !== "object" || Array.isArray(value)) throw new ConfigValueError(allowed);
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (typeof v !== "string" || (opts.keyPattern && !opts.keyPattern.test(k))) throw new ConfigValueError(allowed);
      }
      return value as Record<string, string>;
    },
  };
}

export const ACCOUNT_ID = /^\d{12}$/;
export const VPC_ID = /^vpc-[0-9a-f]{8}([0-9a-f]{9})?$/;
export const SUBNET_ID = /^subnet-[0-9a-f]{8}([0-9a-f]{9})?$/;
export const SECURITY_GROUP_ID = /^sg-[0-9a-f]{8}([0-9a-f]{9})?$/;
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** An ARN in the China partition, optionally of one service. */
export function chinaArnPattern(service?: string): RegExp {
  return new RegExp(`^arn:aws-cn:${service ?? "[a-z0-9-]+"}:(cn-north-1|cn-northwest-1)?:(\\d{12}|aws)?:.+$`);
}
/**
 * The ARN of one resource type in the China partition, in one of its regions and a 12-digit account:
 * `arn:aws-cn:<service>:<region>:<account>:<resource>`, where `resource` is a regular-expression
 * source matched against the whole resource part.
 */
export function chinaResourceArnPattern(service: string, resource: string): RegExp {
  return new RegExp(`^arn:aws-cn:${service}:(${REGIONS.join("|")}):\\d{12}:${resource}$`);
}
/** An AWS Backup vault ARN. */
export const BACKUP_VAULT_ARN = chinaResourceArnPattern("backup", "backup-vault:[A-Za-z0-9_-]{2,50}");
/** A KMS key by key ARN (single- or multi-Region key id). */
export const KMS_KEY_ARN = chinaResourceArnPattern("kms", "key/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})");
/** The alias ARN of AWS Backup's AWS-managed key, `alias/aws/backup`. */
export const AWS_BACKUP_MANAGED_KEY_ALIAS_ARN = chinaResourceArnPattern("kms", "alias/aws/backup");
/** The region and account fields of an ARN. */
export function arnRegionAndAccount(arn: string): { region: string; account: string } {
  const [, , , region = "", account = ""] = arn.split(":");
  return { region, account };
}
/** EventBridge / Backup schedule expressions. */
export const SCHEDULE_EXPRESSION = /^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\(([^ )]+ ){5}[^ )]+\))$/;

/**
 * An object section (e.g. `logArchive`): parses each nested field, rejects unknown keys, and
 * reports every problem with the full key path (`cn-log-backup:logArchive.retentionDays`).
 */
export function section<S extends Record<string, Field<any>>>(doc: string, fields: S): Field<InferFields<S>> {
  const allowed = `an object with keys ${Object.keys(fields).join(", ")}`;
  return {
    doc,
    allowed,
    fields,
    parse(raw) {
      // The section parser itself is driven by parseFields (which needs the key path for errors).
      throw new Error(`section fields are parsed with parseFields, not parse() (${allowed}; got ${describe(raw)})`);
    },
  };
}

/** One problem found while parsing config. */
export interface ConfigProblem {
  key: string;
  message: string;
}

/**
 * Parses `raw` against `fields`, collecting problems with full key paths instead of stopping at
 * the first, so one preview shows the user every mistake at once.
 */
export function parseFields<S extends Record<string, Field<any>>>(
  keyPrefix: string,
  fields: S,
  raw: Record<string, unknown>,
  problems: ConfigProblem[],
): InferFields<S> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(raw)) {
    if (!(k in fields)) {
      problems.push({
        key: `${keyPrefix}${k}`,
        message: `unknown key; allowed keys here: ${Object.keys(fields).join(", ")}`,
      });
    }
  }
  for (const [k, field] of Object.entries(fields)) {
    const key = `${keyPrefix}${k}`;
    const value = raw[k];
    if (field.fields) {
      let obj: unknown = value === undefined ? {} : value;
      if (typeof obj === "string") {
        try {
          obj = JSON.parse(obj);
        } catch {
          problems.push({ key, message: `${describe(value)} is not valid; expected ${field.allowed}` });
          continue;
        }
      }
      if (obj === null || typeof obj !== "object" || Array.isArray(obj)) {
        problems.push({ key, message: `${describe(value)} is not valid; expected ${field.allowed}` });
        continue;
      }
      out[k] = parseFields(`${key}.`, field.fields, obj as Record<string, unknown>, problems);
      continue;
    }
    if (value === undefined || value === null) {
      if (field.required) problems.push({ key, message: `is required; expected ${field.allowed}` });
      else out[k] = Array.isArray(field.default) ? [...field.default] : field.default;
      continue;
    }
    try {
      out[k] = field.parse(value);
    } catch (e) {
      if (!(e instanceof ConfigValueError)) throw e;
      problems.push({ key, message: `${describe(value)} is not allowed; expected ${e.message}` });
    }
  }
  return out as InferFields<S>;
}

/** A row of the generated config reference. */
export interface ConfigDocRow {
  key: string;
  default: string;
  allowed: string;
  doc: string;
}

/** Flattens field declarations into README rows (`section.key`). */
export function docRows(fields: Record<string, Field<any>>, prefix = ""): ConfigDocRow[] {
  const rows: ConfigDocRow[] = [];
  for (const [k, f] of Object.entries(fields)) {
    if (f.fields) {
      rows.push(...docRows(f.fields, `${prefix}${k}.`));
      continue;
    }
    const def = f.required ? "(required)" : f.default === undefined ? "(unset)" : JSON.stringify(f.default);
    rows.push({ key: `${prefix}${k}`, default: def, allowed: f.allowed, doc: f.doc });
  }
  return rows;
}
