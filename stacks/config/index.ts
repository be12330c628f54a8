/**
 * The one typed, validated view of this program's configuration.
 *
 * Every key the program reads is declared in the section files here (`top-level.ts`,
 * `log-archive.ts`, `backup-events.ts`, ...) with its default, what is allowed and a doc line, next
 * to the rules across that section's keys. README's config table is generated from these
 * declarations (`npm run config-doc`) and a test checks they agree. A bad value fails before any
 * resource is registered, with an error naming the key, the value and what is allowed, so a preview
 * never shows a half-built stack.
 *
 * Components never read config: `stacks/` passes them typed `Args` built from `AppConfig`.
 */
import { AppConfigRule, ResolvedConfig, configFields } from "./app-config";
import { auditArchiveProblems, downloaderMemoryProblems } from "./audit-log-pipeline";
import { auroraLabProblems } from "./aurora-lab";
import { backupEventsProblems, crossAccountPrimaryProblems, restoreTestingSubnetGroupProblems } from "./backup-events";
import { lambdaNetworkProblems } from "./lambda-network";
import { hardenedProfileRule } from "./hardened-profile";
import { logArchiveProblems } from "./log-archive";
import { rdsAutomatedBackupsProblems } from "./rds-automated-backups";
import { ConfigProblem, docRows, parseFields } from "./schema";
import { PROJECT, awsRegionProblems, backupRegionProblems, backupStackNameProblems, stackRegion, stackRole } from "./top-level";

export { configFields } from "./app-config";
export type { AppConfig, AppConfigRule, ResolvedConfig, RuleInput, StackRole } from "./app-config";
export { PROJECT, configKey, topLevelFields } from "./top-level";
export { LOG_ARCHIVE_PREFIX_KEYS, MIN_LOG_RETENTION_DAYS, logArchiveFields, logArchiveProblems } from "./log-archive";
export { backupEventsFields, backupEventsProblems } from "./backup-events";
export { auditLogPipelineFields } from "./audit-log-pipeline";
export { auroraLabFields } from "./aurora-lab";
export { REPLICABLE_ENGINES, rdsAutomatedBackupsFields } from "./rds-automated-backups";
export { lambdaNetworkFields } from "./lambda-network";
export type { ConfigProblem } from "./schema";

/** Every cross-key rule, in the order their problems are reported. */
export const CONFIG_RULES: readonly AppConfigRule[] = [
  auroraLabProblems,
  awsRegionProblems,
  backupRegionProblems,
  auditArchiveProblems,
  downloaderMemoryProblems,
  lambdaNetworkProblems,
  rdsAutomatedBackupsProblems,
  backupEventsProblems,
  backupStackNameProblems,
  restoreTestingSubnetGroupProblems,
  crossAccountPrimaryProblems,
  logArchiveProblems,
  hardenedProfileRule,
];

/** All the problems found, in one error, so a preview lists every mistake at once. */
export class ConfigError extends Error {
  constructor(
    readonly stack: string,
    readonly problems: ConfigProblem[],
  ) {
    super(
      `Invalid configuration for stack "${stack}":\n` +
        problems.map((p) => `  - ${p.key}: ${p.message}`).join("\n") +
        `\nFix these in Pulumi.${stack}.yaml (see the config reference in README.md).`,
    );
    this.name = "ConfigError";
  }
}

/**
 * Parses the stack's whole config map (`pulumi.runtime.allConfig()`: `namespace:key` -> string)
 * into a `ResolvedConfig`, or throws one `ConfigError` listing every problem.
 */
export function parseConfig(all: Record<string, string>, stack: string): ResolvedConfig {
  const problems: ConfigProblem[] = [];
  const own: Record<string, unknown> = {};
  const prefix = `${PROJECT}:`;
  for (const [fullKey, value] of Object.entries(all)) {
    if (fullKey.startsWith(prefix)) own[fullKey.slice(prefix.length)] = value;
  }
  const cfg = parseFields(prefix, configFields, own, problems);
  const awsRegion = all["aws:region"];
  const role = stackRole({ ...cfg, awsRegion });
  const input = { ...cfg, awsRegion, role, stack };
  // A key whose value did not parse is reported once, by its field, not again by a rule that sees it missing.
  const unparsed = new Set(problems.map((p) => p.key));
  for (const rule of CONFIG_RULES) problems.push(...rule(input).filter((p) => !unparsed.has(p.key)));

  if (problems.length > 0) throw new ConfigError(stack, problems);
  return { ...cfg, region: stackRegion(awsRegion)!, role: role!, stack };
}

/** Rows of the README config reference, generated from the declarations. */
export function configReference() {
  return docRows(configFields);
}
