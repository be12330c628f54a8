/**
 * Handler settings from the Lambda environment. The infra component sets these variables; the
 * `callbackFactory` reads them once per container through these functions, and a missing or bad
 * value fails the container start with a message naming the variable.
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

export function copyStarterSettings(env: Env): Omit<CopyStarterDeps, "backup"> {
  const deleteAfter = optionalDays(env, "COPY_DELETE_AFTER_DAYS");
  const coldAfter = optionalDays(env, "COPY_COLD_STORAGE_AFTER_DAYS");
  const lifecycle: { DeleteAfterDays?: number; MoveToColdStorageAfterDays?: number } = {};
  if (deleteAfter !== undefined) lifecycle.DeleteAfterDays = deleteAfter;
  if (coldAfter !== undefined) lifecycle.MoveToColdStorageAfterDays = coldAfter;
  return {
    sourceVaultArn: required(env, "SOURCE_VAULT_ARN"),
    destinationVaultArn: required(env, "DESTINATION_VAULT_ARN"),
    copyRoleArn: required(env, "COPY_ROLE_ARN"),
    copyLifecycle: Object.keys(lifecycle).length > 0 ? lifecycle : undefined,
    copyOnDemand: env.COPY_ON_DEMAND !== "false",
  };
}

export function retentionUpdaterSettings(env: Env): Omit<RetentionUpdaterDeps, "backup"> {
  const days = optionalDays(env, "NEW_DELETE_AFTER_DAYS");
  if (days === undefined) throw new Error("environment variable NEW_DELETE_AFTER_DAYS is required");
  return {
    sourceVaultArn: required(env, "SOURCE_VAULT_ARN"),
    destinationVaultArn: required(env, "DESTINATION_VAULT_ARN"),
    newDeleteAfterDays: days,
  };
}

export function snapshotExportSettings(env: Env): Omit<SnapshotExportDeps, "rds"> {
  return {
    sourceVaultArn: required(env, "SOURCE_VAULT_ARN"),
    bucketName: required(env, "EXPORT_BUCKET"),
    prefix: env.EXPORT_PREFIX || "exports/",
    kmsKeyArn: required(env, "EXPORT_KMS_KEY_ARN"),
    exportRoleArn: required(env, "EXPORT_ROLE_ARN"),
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
