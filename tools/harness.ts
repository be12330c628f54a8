/**
 * The offline harness: runs a named stack's program under the aws-cn mocks with that stack's own
 * `Pulumi.<stack>.yaml` config, and returns every resource (type, name, inputs, state, parent,
 * property dependencies), every invoke, the stack outputs and every Lambda the factory made.
 *
 * No Pulumi CLI, no provider plugin, no credentials, no network. Used by the tests, `npm run plan`,
 * the serialization check and the bench.
 */
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import * as pulumi from "@pulumi/pulumi";
import { ACCOUNT_ID, AwsCnMocks } from "./mocks";
import type { InvokeRecord, ResourceRecord } from "./types";
import { InlineLambda, onInlineLambda } from "../infra/lambda";
import { memoized } from "./harness-memo";

export const PROJECT_ROOT = path.resolve(__dirname, "..");
export const STACKS = ["cn-northwest-1", "cn-north-1"] as const;
export type StackName = (typeof STACKS)[number];
/**
 * The stack file of the backup (destination) stack, which a primary's StackReference reads: the
 * one named after the config's `backupRegion` (Ningxia by default, Beijing in the reverse
 * direction), so the harness follows the config instead of assuming a direction.
 */
function backupStackOf(config: Record<string, string>): StackName | undefined {
  const backupRegion = config["cn-log-backup:backupRegion"] ?? "cn-northwest-1";
  return (STACKS as readonly string[]).includes(backupRegion) ? (backupRegion as StackName) : undefined;
}

/**
 * Reads `Pulumi.<stack>.yaml` (or `file`, as `pulumi preview --config-file` does) into Pulumi's flat
 * config map (`ns:key` -> string).
 */
export function stackConfig(stack: string, file = path.join(PROJECT_ROOT, `Pulumi.${stack}.yaml`)): Record<string, string> {
  const doc = (yaml.load(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(doc.config ?? {})) {
    out[k] = typeof v === "string" ? v : JSON.stringify(v);
  }
  return out;
}

export interface RunOptions {
  /** Preview mode: computed outputs of new resources are unknown, as in `pulumi preview`. */
  preview?: boolean;
  /**
   * Config changes on top of the stack file: `key` (project namespace implied) or `ns:key` to a
   * value (objects are JSON-encoded), or `undefined` to remove the key.
   */
  config?: Record<string, unknown>;
  /** Outputs of other stacks for StackReferences; default: the backup stack run by this harness. */
  stackOutputs?: Record<string, Record<string, unknown>>;
  /**
   * Config changes for the backup stack's run that the primary reads; default: only the keys both
   * stacks share (regions, accounts, tags) from `config`. A config variant passes its whole config.
   */
  backupConfig?: Record<string, unknown>;
  /** The stack's config file instead of `Pulumi.<stack>.yaml` (`pulumi preview --config-file`). */
  configFile?: string;
}

export interface LambdaRecord {
  name: string;
  lambda: InlineLambda;
}

export interface StackRun {
  stack: string;
  preview: boolean;
  resources: ResourceRecord[];
  invokes: InvokeRecord[];
  outputs: Record<string, unknown>;
  lambdas: LambdaRecord[];
}

function applyOverrides(config: Record<string, string>, overrides: Record<string, unknown> = {}) {
  const out = { ...config };
  for (const [k, v] of Object.entries(overrides)) {
    const key = k.includes(":") ? k : `cn-log-backup:${k}`;
    if (v === undefined) delete out[key];
    else out[key] = typeof v === "string" ? v : JSON.stringify(v);
  }
  return out;
}

/** Whether a recorded input is unknown (preview: an output of a resource not created yet). */
export function isUnknown(v: unknown): boolean {
  return pulumi.isUnknown(v);
}

/** The resolved value of an Output (undefined where unknown in preview). */
export async function outputValue<T>(o: pulumi.Input<T>): Promise<T> {
  return (pulumi.output(o) as any).promise() as Promise<T>;
}

/** Deeply resolves stack outputs to plain values. */
async function resolveOutputs(outputs: Record<string, unknown>): Promise<Record<string, unknown>> {
  // Key by key: in preview one unknown value would otherwise hide all the known ones.
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(outputs ?? {})) out[k] = await outputValue(v as any);
  return out;
}

// Runs are serialized: Pulumi's runtime settings and config are process-wide.
let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs one stack's program under mocks. The primary stack's StackReference reads the outputs of
 * the backup stack, which this harness runs first (unless `stackOutputs` is given), so the two
 * stacks are exercised together exactly as they are deployed: backup first, then primary.
 *
 * One evaluation per stack and options in a process: a second call with the same stack, options
 * and config file contents gets the first run (see ./harness-memo.ts). Its records are frozen, so
 * a test that would edit them fails instead of changing what the next test reads.
 */
export function runStack(stack: string, options: RunOptions = {}): Promise<StackRun> {
  return memoized(stack, options, false, () => {
    const run = queue.then(() => runStackNow(stack, options));
    queue = run.catch(() => undefined);
    return run;
  });
}

async function runStackNow(stack: string, options: RunOptions, asBackup = false): Promise<StackRun> {
  const config = applyOverrides(stackConfig(stack, options.configFile), options.config);
  const region = config["aws:region"] ?? "";
  let stackOutputs = options.stackOutputs;
  const backupStackName = parseBackupStackName(config);
  const backupStack = backupStackOf(config);
  const primaryRegion = config["cn-log-backup:primaryRegion"] ?? "cn-north-1";
  // Only a primary (its region is primaryRegion, its file is not the backup stack's) reads the
  // backup stack, and a run made as the backup stack never reads another: a non-China `aws:region`
  // in a stack file once sent this into endless recursion ("Maximum call stack size exceeded")
  // instead of letting the program refuse the key.
  if (!stackOutputs && !asBackup && backupStack && stack !== backupStack && region === primaryRegion && region !== backupStack && backupStackName) {
    // The primary reads the backup stack: evaluate it first with its own file. The backup stack is
    // deployed before the primary, so even the primary's first preview reads real outputs.
    const backupOptions: RunOptions = { preview: false, config: options.backupConfig ?? sharedOverrides(options.config) };
    const backup = await memoized(backupStack, backupOptions, true, () => runStackNow(backupStack, backupOptions, true));
    stackOutputs = { [backupStackName]: backup.outputs };
  }

  const preview = options.preview ?? false;
  const mocks = new AwsCnMocks({ region, preview, stackOutputs, accountId: accountOf(config) });
  pulumi.runtime.setAllConfig(config);
  await pulumi.runtime.setMocks(mocks, "cn-log-backup", stack, preview);
  instrumentMonitor(mocks);

  const lambdas: LambdaRecord[] = [];
  const unsubscribe = onInlineLambda((name, lambda) => lambdas.push({ name, lambda }));
  // A failed invoke or registration inside an Output (e.g. a data source the provider cannot answer)
  // fails `pulumi preview`; under mocks it surfaces only as an unhandled rejection and the run would
  // never settle. Fail the run with it instead.
  let onUnhandled: (e: unknown) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => (onUnhandled = reject));
  process.on("unhandledRejection", onUnhandled);
  mocks.onInvokeFailure = (e) => onUnhandled(new Error((e as any).details ?? e.message));
  const settle = <T>(p: Promise<T>) => Promise.race([p, failed]);
  try {
    // Loaded fresh for each run so module-level state cannot leak between stacks.
    const { program } = require("../stacks/program") as typeof import("../stacks/program");
    const outputs = await settle(program());
    const resolved = await settle(resolveOutputs(outputs));
    await settle((pulumi.runtime as any).waitForRPCs()); // exported, not in the typings
    return { stack, preview, resources: mocks.resources, invokes: mocks.invokes, outputs: resolved, lambdas };
  } finally {
    process.off("unhandledRejection", onUnhandled);
    unsubscribe();
  }
}

/** Overrides that concern both stacks (the shared region keys), for the backup stack's run. */
function sharedOverrides(overrides?: Record<string, unknown>): Record<string, unknown> | undefined {
  if (!overrides) return undefined;
  const shared: Record<string, unknown> = {};
  for (const k of ["primaryRegion", "backupRegion", "backupStackName", "backupAccountId", "tags"]) {
    if (k in overrides) shared[k] = overrides[k];
  }
  return shared;
}

/**
 * The account a stack deploys into: the backup stack (in the backup region) runs in
 * `backupAccountId` when that is set (a cross-account deployment), everything else in the mocks'
 * ACCOUNT_ID, so a policy that admits the wrong account fails offline as it would in AWS.
 */
export function accountOf(config: Record<string, string>): string {
  const region = config["aws:region"];
  const backupRegion = config["cn-log-backup:backupRegion"] ?? "cn-northwest-1";
  const backupAccount = config["cn-log-backup:backupAccountId"];
  return region === backupRegion && backupAccount ? backupAccount : ACCOUNT_ID;
}

function parseBackupStackName(config: Record<string, string>): string | undefined {
  return config["cn-log-backup:backupStackName"] ?? "organization/cn-log-backup/cn-northwest-1";
}

/**
 * The mock monitor does not pass URNs, parents or property dependencies to the mocks; wrap it so
 * each record gets them. `newResource` runs synchronously inside `registerResource`, so the record
 * it pushes is the last one when the call returns.
 */
function instrumentMonitor(mocks: AwsCnMocks) {
  const monitor = pulumi.runtime.getMonitor() as any;
  const wrap = (method: "registerResource" | "readResource") => {
    const original = monitor[method].bind(monitor);
    monitor[method] = (req: any, callback: any) => {
      const before = mocks.resources.length;
      const result = original(req, callback);
      describeRecord(mocks.resources[before], req, method === "readResource");
      return result;
    };
  };
  const describeRecord = (record: ResourceRecord | undefined, req: any, read: boolean) => {
    if (!record) return;
    record.urn = monitor.newUrn(req.getParent(), req.getType(), req.getName());
    record.parent = req.getParent() || undefined;
    const deps: Record<string, string[]> = {};
    if (!read) {
      req.getPropertydependenciesMap().forEach((v: any, k: string) => {
        deps[k] = v.getUrnsList();
      });
    }
    record.propertyDependencies = deps;
    // All the URNs the resource waits for: property dependencies plus explicit `dependsOn`.
    record.dependencies = read ? [] : (req.getDependenciesList?.() ?? []);
    record.ignoreChanges = read ? [] : (req.getIgnorechangesList?.() ?? []);
    if (record.type === "pulumi:providers:aws" && typeof record.inputs.region === "string") {
      mocks.registerProvider(`${record.urn}::${record.id}`, record.inputs.region);
    }
  };
  wrap("registerResource");
  wrap("readResource");
}

/** Resources of one type token. */
export function ofType(run: StackRun, type: string): ResourceRecord[] {
  return run.resources.filter((r) => r.type === type);
}

/** The one resource of `type` whose logical name ends with `nameSuffix`; throws if not exactly one. */
export function one(run: StackRun, type: string, nameSuffix: string): ResourceRecord {
  const found = ofType(run, type).filter((r) => r.name.endsWith(nameSuffix));
  if (found.length !== 1) {
    throw new Error(`expected exactly one ${type} named *${nameSuffix}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`);
  }
  return found[0];
}

/**
 * A policy input (key, bucket, role, queue policy) as an object: a JSON string (fields that take
 * only strings, e.g. KMS key policies) is parsed, an object document (infra/iam.ts `policyDocument`)
 * is returned as recorded; in preview its leaves may be unknown (`isUnknown`).
 */
export function policyOf(record: ResourceRecord, key = "policy"): { Statement: any[] } {
  const raw = record.inputs[key];
  if (typeof raw === "string") return JSON.parse(raw);
  if (raw && typeof raw === "object" && Array.isArray(raw.Statement)) return raw;
  throw new Error(`${record.type} ${record.name}: ${key} is not a policy document (${typeof raw})`);
}
