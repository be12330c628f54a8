/**
 * The one typed, validated view of this program's configuration.
 *
 * Every key the program reads is declared here with its default, what is allowed and a doc line;
 * README's config table is generated from these declarations (`npm run config-doc`) and a test
 * checks they agree. A bad value fails before any resource is registered, with an error naming the
 * key, the value and what is allowed, so a preview never shows a half-built stack.
 *
 * Components never read config: `stacks/` passes them typed `Args` built from `AppConfig`.
 */
import {
  ACCOUNT_ID,
  ChinaRegion,
  ConfigProblem,
  Field,
  InferFields,
  bool,
  docRows,
  int,
  logRetention,
  optionalStr,
  parseFields,
  region,
  section,
  str,
  stringMap,
} from "./config-schema";

/** The Pulumi project name, and so the config namespace (`cn-log-backup:<key>`). */
export const PROJECT = "cn-log-backup";

// ---------------------------------------------------------------------------------------------
// Component sections. Each component owns its section; add keys here with doc, default and test.
// ---------------------------------------------------------------------------------------------

export const logArchiveFields = {
  archiveRetentionDays: int("Days objects are kept in the Beijing archive bucket before they expire (China's Cybersecurity Law asks for at least 180).", {
    min: 180,
    max: 36500,
    default: 400,
  }),
} satisfies Record<string, Field<any>>;

export const backupEventsFields = {
  enabled: bool("Build AWS Backup vaults, plan and the event-driven copy to the backup region.", true),
} satisfies Record<string, Field<any>>;

export const auditLogPipelineFields = {
  enabled: bool("Build the Aurora MySQL audit-log pipeline (primary stack only).", true),
} satisfies Record<string, Field<any>>;

export const auroraLabFields = {
  enabled: bool("Build the Aurora MySQL lab (VPC, EC2 client, Aurora cluster) that exercises the audit-log pipeline (primary stack only).", false),
} satisfies Record<string, Field<any>>;

// ---------------------------------------------------------------------------------------------
// Top-level keys.
// ---------------------------------------------------------------------------------------------

export const configFields = {
  primaryRegion: region("Region of the source (primary) stack: Beijing.", "cn-north-1"),
  backupRegion: region("Region of the disaster-recovery (backup) stack: Ningxia. Must differ from primaryRegion.", "cn-northwest-1"),
  backupStackName: str(
    "Name of the backup stack for the primary's StackReference: `<org>/cn-log-backup/<stack>` (on a self-managed backend `organization/cn-log-backup/cn-northwest-1`).",
    {
      default: "organization/cn-log-backup/cn-northwest-1",
      pattern: /^([A-Za-z0-9_.-]+\/){0,2}[A-Za-z0-9_.-]+$/,
      allowed: "a stack name, optionally qualified as <org>/<project>/<stack>",
    },
  ),
  backupAccountId: optionalStr(
    "Account that holds the backup stack when it is not this account; key and vault policies then grant it explicitly. Unset: same account.",
    { pattern: ACCOUNT_ID, allowed: "a 12-digit AWS account id" },
  ),
  tags: stringMap("Tags added to every resource that takes tags.", {
    keyPattern: /^(?!aws:)[\p{L}\p{N}\s_.:/=+\-@]{1,128}$/u,
    allowed: "an object of tag keys (1-128 characters, not starting with aws:) to string values",
  }),
  lambdaLogRetentionDays: logRetention("Retention of each Lambda function's own log group.", 365),
  kmsKeyDeletionWindowDays: int("Waiting period before a scheduled KMS key deletion takes effect.", { min: 7, max: 30, default: 30 }),
  logArchive: section("LogArchive: the encrypted archive and its replica.", logArchiveFields),
  backupEvents: section("BackupEvents: AWS Backup vaults, plan, copies and monitoring.", backupEventsFields),
  auditLogPipeline: section("AuditLogPipeline: Aurora MySQL audit logs to S3.", auditLogPipelineFields),
  auroraLab: section("AuroraLab: the Aurora MySQL audit-log lab.", auroraLabFields),
} satisfies Record<string, Field<any>>;

export type AppConfig = InferFields<typeof configFields>;
export type StackRole = "primary" | "backup";

/** The validated config plus what follows from it. */
export interface ResolvedConfig extends AppConfig {
  /** The stack's own region (`aws:region`). */
  region: ChinaRegion;
  /** primary: the source stack in primaryRegion; backup: the destination stack in backupRegion. */
  role: StackRole;
  /** The stack name, for messages. */
  stack: string;
}

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
  let region: ChinaRegion | undefined;
  if (awsRegion === undefined) {
    problems.push({ key: "aws:region", message: "is required; expected one of cn-north-1, cn-northwest-1" });
  } else if (awsRegion !== "cn-north-1" && awsRegion !== "cn-northwest-1") {
    problems.push({
      key: "aws:region",
      message: `${JSON.stringify(awsRegion)} is not allowed; expected one of cn-north-1, cn-northwest-1 (data stays in the aws-cn partition)`,
    });
  } else {
    region = awsRegion;
  }

  if (cfg.primaryRegion !== undefined && cfg.primaryRegion === cfg.backupRegion) {
    problems.push({
      key: `${prefix}backupRegion`,
      message: `${JSON.stringify(cfg.backupRegion)} equals primaryRegion; the backup must be in the other China region`,
    });
  }

  let role: StackRole | undefined;
  if (region !== undefined && cfg.primaryRegion !== cfg.backupRegion) {
    if (region === cfg.primaryRegion) role = "primary";
    else if (region === cfg.backupRegion) role = "backup";
  }

  if (problems.length > 0) throw new ConfigError(stack, problems);
  return { ...cfg, region: region!, role: role!, stack };
}

/** Rows of the README config reference, generated from the declarations above. */
export function configReference() {
  return docRows(configFields);
}
