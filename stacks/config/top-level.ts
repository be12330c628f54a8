/**
 * Top-level keys (`cn-log-backup:<key>`), shared by every component, and the rules across them:
 * `aws:region` in China, the backup in the other China region, the primary not reading itself.
 */
import type { RuleInput } from "./app-config";
import { ACCOUNT_ID, ChinaRegion, ConfigProblem, Field, int, logRetention, optionalStr, region, str, stringMap } from "./schema";

/** The Pulumi project name, and so the config namespace (`cn-log-backup:<key>`). */
export const PROJECT = "cn-log-backup";

/** The full config key of `path` (`backupEvents.schedule` -> `cn-log-backup:backupEvents.schedule`). */
export function configKey(path: string): string {
  return `${PROJECT}:${path}`;
}

export const topLevelFields = {
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
} satisfies Record<string, Field<any>>;

/** `aws:region` as a China region, or `undefined` when it is unset or elsewhere (reported by `awsRegionProblems`). */
export function stackRegion(awsRegion: string | undefined): ChinaRegion | undefined {
  return awsRegion === "cn-north-1" || awsRegion === "cn-northwest-1" ? awsRegion : undefined;
}

/** The stack's role: primary in primaryRegion, backup in backupRegion; `undefined` when neither decides. */
export function stackRole(cfg: Pick<RuleInput, "awsRegion" | "primaryRegion" | "backupRegion">): RuleInput["role"] {
  const region = stackRegion(cfg.awsRegion);
  if (region === undefined || cfg.primaryRegion === cfg.backupRegion) return undefined;
  if (region === cfg.primaryRegion) return "primary";
  if (region === cfg.backupRegion) return "backup";
  return undefined;
}

/** The stack's own region (`aws:region`) must be set, and in China. */
export function awsRegionProblems(cfg: RuleInput): ConfigProblem[] {
  if (cfg.awsRegion === undefined) {
    return [{ key: "aws:region", message: "is required; expected one of cn-north-1, cn-northwest-1" }];
  }
  if (stackRegion(cfg.awsRegion) === undefined) {
    return [
      {
        key: "aws:region",
        message: `${JSON.stringify(cfg.awsRegion)} is not allowed; expected one of cn-north-1, cn-northwest-1 (data stays in the aws-cn partition)`,
      },
    ];
  }
  return [];
}

/** The backup goes to the other China region. */
export function backupRegionProblems(cfg: RuleInput): ConfigProblem[] {
  if (cfg.primaryRegion === undefined || cfg.primaryRegion !== cfg.backupRegion) return [];
  return [
    {
      key: configKey("backupRegion"),
      message: `${JSON.stringify(cfg.backupRegion)} equals primaryRegion; the backup must be in the other China region`,
    },
  ];
}

/**
 * In the reverse direction (README "Reverse direction") the default backupStackName names the
 * Ningxia stack, which is then the primary itself: it would read its own outputs.
 */
export function backupStackNameProblems(cfg: RuleInput): ConfigProblem[] {
  if (cfg.role !== "primary" || cfg.backupStackName === undefined || cfg.backupStackName.split("/").pop() !== cfg.stack) return [];
  return [
    {
      key: configKey("backupStackName"),
      message: `${JSON.stringify(cfg.backupStackName)} names this stack, the primary; expected the backup stack (in backupRegion ${cfg.backupRegion}), e.g. organization/cn-log-backup/${cfg.backupRegion}`,
    },
  ];
}
