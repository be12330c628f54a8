/**
 * The whole program: validate config, decide the stack's role from `aws:region`, build it.
 *
 * Config is validated before any resource is registered, so a bad value stops the preview with
 * one error listing every problem and never leaves a half-built stack.
 */
import * as pulumi from "@pulumi/pulumi";
import { ResolvedConfig, parseConfig } from "./config";
import { buildBackupStack } from "./backup";
import { buildPrimaryStack } from "./primary";

/** Reads and validates this stack's config. */
export function loadConfig(): ResolvedConfig {
  return parseConfig(pulumi.runtime.allConfig(), pulumi.getStack());
}

/** Builds the stack and returns its outputs. */
export async function program(): Promise<Record<string, unknown>> {
  const cfg = loadConfig();
  const outputs = cfg.role === "backup" ? buildBackupStack(cfg) : buildPrimaryStack(cfg);
  return { role: cfg.role, region: cfg.region, ...outputs };
}
