/**
 * The core of a small, dependency-free schema language for Pulumi config: every key has a parser,
 * a default and a doc line. The section files in `stacks/config/` declare the keys with it; the
 * README's config table is generated from the same declarations (`npm run config-doc`), so the two
 * cannot drift. The field kinds live in the sibling files (scalars, collections, aws).
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

/** One problem found while parsing config. */
export interface ConfigProblem {
  key: string;
  message: string;
}

/** A rule across keys (each alone may be valid): every problem it finds, each naming the key to fix. */
export type ConfigRule<C> = (cfg: C) => ConfigProblem[];

export function describe(raw: unknown): string {
  return typeof raw === "string" ? JSON.stringify(raw) : (JSON.stringify(raw) ?? String(raw));
}

/** Top-level values arrive as JSON text; nested ones as JSON values already. */
export function fromJsonText(raw: unknown, allowed: string): unknown {
  if (typeof raw !== "string") return raw;
  try {
    return JSON.parse(raw);
  } catch {
    throw new ConfigValueError(allowed);
  }
}

/** JSON text parsed, or `undefined` when it is not JSON (the caller then refuses the value). */
export function safeJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

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
