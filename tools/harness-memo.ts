/**
 * One stack evaluation per stack and options in a process, or in one jest test file (issue #16:
 * suites that evaluate stacks share one evaluation instead of re-running it). The key is
 * the stack and the options, with a config file's path replaced by its contents (a test may
 * rewrite the same temporary file). Options that cannot be keyed (not JSON) are not shared.
 *
 * A shared run's records, invokes and outputs are deep-frozen: a test that edits them throws
 * (modules are strict mode) rather than corrupting the run the next test reads. Lambda components
 * are Pulumi resources and stay as they are.
 *
 * `HARNESS_EVALUATIONS_LOG=<file>` appends one line per run asked for, `evaluated` or `shared`
 * (`.ci/run` counts them: before this memo every line was an evaluation).
 */
import * as fs from "fs";
import type { RunOptions, StackRun } from "./harness";

/**
 * Runs kept for reuse in this module registry: one jest test file (jest gives every file its own).
 * Sharing across files was tried and refused: a run holds objects of another file's realm (its
 * Object.prototype, its @pulumi/pulumi asset classes), so `instanceof` and prototype checks in the
 * tools fail, and each kept run pins that file's whole module registry (workers grew past 11 GB).
 */
const runs = new Map<string, Promise<StackRun>>();

/**
 * `preview: false` is the default and `undefined` values are absent, so the backup run a primary
 * makes first (`{ preview: false, config: undefined }`) is the same as `runStack(backupStack)`.
 * Whether a run is made as another stack's backup does not enter the key: the harness only makes
 * such runs of the backup stack itself, which never reads another stack either way.
 */
function keyOf(stack: string, options: RunOptions): string | undefined {
  try {
    const { preview, configFile, ...rest } = options;
    // An option left undefined is an option not given; but `undefined` inside config removes a
    // key (RunOptions.config), so keep it there, where plain JSON would drop it.
    const given = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
    const normalized = JSON.parse(JSON.stringify(given, (_k, v) => (v === undefined ? { $unset: true } : v))) as Record<string, unknown>;
    // No overrides is no overrides. Only for `config`: an empty `backupConfig` differs from none
    // (none means the backup run copies the shared keys of `config`).
    const config = normalized.config;
    if (config && typeof config === "object" && Object.keys(config).length === 0) delete normalized.config;
    const configText = configFile ? fs.readFileSync(configFile, "utf8") : undefined;
    return JSON.stringify({ stack, preview: preview ?? false, ...normalized, configText });
  } catch {
    return undefined;
  }
}

function deepFreeze<T>(value: T, seen = new Set<unknown>()): T {
  if (value === null || typeof value !== "object" || seen.has(value) || Object.isFrozen(value)) return value;
  seen.add(value);
  for (const v of Object.values(value as object)) deepFreeze(v, seen);
  return Object.freeze(value);
}

function frozen(run: StackRun): StackRun {
  deepFreeze(run.resources);
  deepFreeze(run.invokes);
  deepFreeze(run.outputs);
  Object.freeze(run.lambdas);
  return Object.freeze(run);
}

/** The run for this key: the one already made in this process, or `evaluate()`'s. */
export function memoized(stack: string, options: RunOptions, asBackup: boolean, evaluate: () => Promise<StackRun>): Promise<StackRun> {
  const key = keyOf(stack, options);
  const known = key === undefined ? undefined : runs.get(key);
  const log = process.env.HARNESS_EVALUATIONS_LOG;
  if (log) fs.appendFileSync(log, `${known ? "shared" : "evaluated"} ${stack}${asBackup ? " (as backup)" : ""} ${key ?? "(unkeyed)"}\n`);
  if (known) return known;
  const run = evaluate().then(frozen);
  if (key !== undefined) runs.set(key, run);
  return run;
}
