/**
 * Settings from a Lambda function's environment, read and validated once per container by the
 * function's `callbackFactory`. Each reader names the variable and what it allows, so a bad or
 * missing value fails with a message a person can act on. Variables are named exactly as the
 * config key (or Args field) they come from: one name for a setting from the stack file to the
 * function.
 *
 * Plain functions, no module state: Pulumi's closure serializer copies what a handler reaches.
 */

/** The environment to read: `process.env` in Lambda, a plain object in tests. */
export type Env = Record<string, string | undefined>;

function present(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v === "" ? undefined : v;
}

/** A variable the function cannot run without (any non-empty string). */
export function requiredString(env: Env, name: string): string {
  const v = present(env, name);
  if (v === undefined) throw new Error(`environment variable ${name} is not set (a non-empty string is required)`);
  return v;
}

/** A variable that may be unset or empty (then `undefined`). */
export function optionalString(env: Env, name: string): string | undefined {
  return present(env, name);
}

/** An integer in [min, max]; `undefined` when unset and no default is given. */
export function optionalInteger(env: Env, name: string, range: { min: number; max?: number }): number | undefined {
  const v = present(env, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  const max = range.max ?? Number.MAX_SAFE_INTEGER;
  if (!/^-?\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < range.min || n > max) {
    const allowed = range.max === undefined ? `an integer >= ${range.min}` : `an integer from ${range.min} to ${range.max}`;
    throw new Error(`environment variable ${name} must be ${allowed}, got ${JSON.stringify(v)}`);
  }
  return n;
}

/** An integer in [min, max], required. */
export function requiredInteger(env: Env, name: string, range: { min: number; max?: number }): number {
  const n = optionalInteger(env, name, range);
  if (n === undefined) {
    const allowed = range.max === undefined ? `an integer >= ${range.min}` : `an integer from ${range.min} to ${range.max}`;
    throw new Error(`environment variable ${name} is not set (${allowed} is required)`);
  }
  return n;
}

/** One of `allowed`; `undefined` when unset. */
export function optionalOneOf<T extends string>(env: Env, name: string, allowed: readonly T[]): T | undefined {
  const v = present(env, name);
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v)) {
    throw new Error(`environment variable ${name} must be one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}, got ${JSON.stringify(v)}`);
  }
  return v as T;
}

/** One of `allowed`, required. */
export function requiredOneOf<T extends string>(env: Env, name: string, allowed: readonly T[]): T {
  const v = optionalOneOf(env, name, allowed);
  if (v === undefined) throw new Error(`environment variable ${name} is not set (one of ${allowed.map((a) => JSON.stringify(a)).join(", ")} is required)`);
  return v;
}

/** A JSON array of strings, required. */
export function requiredStringList(env: Env, name: string): string[] {
  const v = requiredString(env, name);
  let parsed: unknown;
  try {
    parsed = JSON.parse(v);
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed.some((s) => typeof s !== "string")) {
    throw new Error(`environment variable ${name} must be a JSON array of strings, got ${JSON.stringify(v.slice(0, 200))}`);
  }
  return parsed as string[];
}

/**
 * Builds the handler on the first event rather than when the artifact loads: clients are still made
 * once per container (in the factory), settings are read once (on the first event), a missing
 * setting fails that invocation (which then retries and lands in its failure destination) with a
 * message naming the variable, and loading the artifact never depends on its environment.
 */
export function deferUntilFirstEvent<E, R, C = unknown>(make: () => (event: E, context?: C) => Promise<R>): (event: E, context?: C) => Promise<R> {
  let handler: ((event: E, context?: C) => Promise<R>) | undefined;
  return function deferredHandler(event: E, context?: C): Promise<R> {
    // A setting that fails to read rejects the invocation's promise (as the handler's own failures
    // do) rather than throwing from a function callers await.
    try {
      if (!handler) handler = make();
    } catch (e) {
      return Promise.reject(e);
    }
    return handler(event, context);
  };
}
