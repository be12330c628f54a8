/**
 * Handler settings from the Lambda environment. Each variable is named exactly as the setting it
 * carries: the config key where there is one (`retainAfterCopyDays`, `copyDeleteAfterDays`,
 * `copyColdStorageAfterDays`, `copyOnDemandBackups`), otherwise the handler's settings field
 * (`sourceVaultArn`, ...), so one name runs from the stack file to the function. The infra
 * component (infra/backup-events/) sets them; the `callbackFactory` reads them once per container
 * through these functions, and this is the function side's one validation: a missing or bad value
 * fails the first invocation with a message naming the variable.
 */
import type { CopyStarterDeps } from "./copy-starter";
import type { RetentionUpdaterDeps } from "./retention-updater";
import type { SnapshotExportDeps } from "./snapshot-export";

type Env = Record<string, string | undefined>;

function required(env: Env, name: string): string {
  const v = env[name];
  if (!v) throw new Error(`environment variable ${name} is required`);
  return v;
}

function optionalDays(env: Env, name: string): number | undefined {
  const v = env[name];
  if (v === undefined || v === "") return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`environment variable ${name} must be a positive integer, got ${JSON.stringify(v)}`);
  return n;
}

function requiredDays(env: Env, name: string): number {
  const n = optionalDays(env, name);
  if (n === undefined) throw new Error(`environment variable ${name} is required`);
  return n;
}

/** "true" or "false"; unset or empty: `fallback`. */
function flag(env: Env, name: string, fallback: boolean): boolean {
  const v = env[name];
  if (v === undefined || v === "") return fallback;
  if (v !== "true" && v !== "false") throw new Error(`environment variable ${name} must be "true" or "false", got ${JSON.stringify(v)}`);
  return v === "true";
}

export function copyStarterSettings(env: Env): Omit<CopyStarterDeps, "backup"> {
  return {
    sourceVaultArn: required(env, "sourceVaultArn"),
    destinationVaultArn: required(env, "destinationVaultArn"),
    copyRoleArn: required(env, "copyRoleArn"),
    copyDeleteAfterDays: optionalDays(env, "copyDeleteAfterDays"),
    copyColdStorageAfterDays: optionalDays(env, "copyColdStorageAfterDays"),
    copyOnDemandBackups: flag(env, "copyOnDemandBackups", true),
  };
}

export function retentionUpdaterSettings(env: Env): Omit<RetentionUpdaterDeps, "backup"> {
  return {
    sourceVaultArn: required(env, "sourceVaultArn"),
    destinationVaultArn: required(env, "destinationVaultArn"),
    retainAfterCopyDays: requiredDays(env, "retainAfterCopyDays"),
  };
}

export function snapshotExportSettings(env: Env): Omit<SnapshotExportDeps, "rds"> {
  return {
    sourceVaultArn: required(env, "sourceVaultArn"),
    bucketName: required(env, "bucketName"),
    prefix: env.prefix || "exports/",
    kmsKeyArn: required(env, "kmsKeyArn"),
    exportRoleArn: required(env, "exportRoleArn"),
  };
}

/**
 * Builds the handler on the first event rather than when the module loads, so a missing setting
 * fails that invocation (which then retries and lands in the on-failure destination) with a
 * message naming the variable, and loading the artifact never depends on its environment.
 */
export function deferUntilFirstEvent<E, R>(make: () => (event: E) => Promise<R>): (event: E) => Promise<R> {
  let handler: ((event: E) => Promise<R>) | undefined;
  return function deferredHandler(event: E): Promise<R> {
    if (!handler) handler = make();
    return handler(event);
  };
}
