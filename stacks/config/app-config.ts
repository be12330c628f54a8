/**
 * Every key the program reads, section by section, and the types that follow from them. The order
 * here is the order of the README's config reference and of the problems a preview reports.
 */
import { auditLogPipelineSection } from "./audit-log-pipeline";
import { auroraLabSection } from "./aurora-lab";
import { backupEventsSection } from "./backup-events";
import { lambdaNetworkSection } from "./lambda-network";
import { logArchiveSection } from "./log-archive";
import { rdsAutomatedBackupsSection } from "./rds-automated-backups";
import { ChinaRegion, ConfigRule, Field, InferFields } from "./schema";
import { topLevelFields } from "./top-level";
import { hardenedProfileFields } from "./hardened-profile";

export const configFields = {
  ...topLevelFields,
  logArchive: logArchiveSection,
  backupEvents: backupEventsSection,
  auditLogPipeline: auditLogPipelineSection,
  auroraLab: auroraLabSection,
  rdsAutomatedBackups: rdsAutomatedBackupsSection,
  lambdaNetwork: lambdaNetworkSection,
  ...hardenedProfileFields,
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

/**
 * What a cross-key rule sees: the keys as parsed (a key that failed to parse is absent, and
 * already reported), `aws:region` as given, and the stack's role when its region decides one.
 */
export interface RuleInput extends Partial<AppConfig> {
  /** `aws:region` as set, unchecked. */
  awsRegion?: string;
  role?: StackRole;
  /** The stack name. */
  stack: string;
}

export type AppConfigRule = ConfigRule<RuleInput>;
