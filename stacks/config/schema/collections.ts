/** Field kinds for lists and maps: lists of one kind, string maps, lists of objects, days by key. */
import { ConfigValueError, Field, describe, fromJsonText, safeJson } from "./field";

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

/** A list of objects with string (or string-list) fields, validated item by item by `check`. */
export function objectList<T>(doc: string, allowed: string, check: (v: any) => T | undefined): Field<T[]> {
  return {
    doc,
    allowed: `a list of ${allowed}`,
    default: [],
    parse(raw) {
      const value = typeof raw === "string" ? safeJson(raw) : raw;
      if (!Array.isArray(value)) throw new ConfigValueError(`a list of ${allowed}`);
      return value.map((v, i) => {
        const ok = v !== null && typeof v === "object" ? check(v) : undefined;
        if (ok === undefined) throw new ConfigValueError(`a list of ${allowed} (item ${i}: ${JSON.stringify(v)} is not)`);
        return ok;
      });
    },
  };
}

/** An object mapping some of `keys` to a number of days from `min` to `max` (default: none set). */
export function daysByKey<const K extends string>(doc: string, keys: readonly K[], opts: { min: number; max: number }): Field<Partial<Record<K, number>>> {
  const allowed = `an object mapping ${keys.join(", ")} to days (${opts.min}-${opts.max})`;
  return {
    doc,
    allowed,
    default: {},
    parse(raw) {
      const value = typeof raw === "string" ? safeJson(raw) : raw;
      if (value === null || typeof value !== "object" || Array.isArray(value)) throw new ConfigValueError(allowed);
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (!(keys as readonly string[]).includes(k) || typeof v !== "number" || !Number.isInteger(v) || v < opts.min || v > opts.max) {
          throw new ConfigValueError(`${allowed} (bad entry ${JSON.stringify(k)}: ${JSON.stringify(v)})`);
        }
      }
      return value as Partial<Record<K, number>>;
    },
  };
}
