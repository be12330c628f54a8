/** The `rdsAutomatedBackups` section: RDS cross-Region automated backups of RDS DB instances (backup stack). */
import type { RuleInput } from "./app-config";
import { configKey } from "./top-level";
import { ConfigProblem, Field, arnRegionAndAccount, chinaArnPattern, int, list, optionalStr, replicatedInstance, section } from "./schema";

export { REPLICABLE_ENGINES } from "./schema";

export const rdsAutomatedBackupsFields = {
  instances: list(
    replicatedInstance(),
    "RDS DB instances in the primary region whose automated backups (snapshots and transaction logs) the backup stack replicates to its region. Empty: off. Aurora is refused: it goes through AWS Backup.",
  ),
  retentionPeriodDays: int("Days the replicated automated backups are kept in the backup region.", { min: 1, max: 35, default: 7 }),
  kmsKeyArn: optionalStr("Existing KMS key in the backup region for replicated backups of encrypted instances. Unset: the backup stack creates one.", {
    pattern: chinaArnPattern("kms"),
    allowed: "a KMS key ARN in aws-cn",
  }),
} satisfies Record<string, Field<any>>;

export const rdsAutomatedBackupsSection = section("RDS cross-Region automated backups for RDS DB instances (backup stack).", rdsAutomatedBackupsFields);

/** Each replicated instance is in primaryRegion: the backup stack replicates it to backupRegion. */
export function rdsAutomatedBackupsProblems(cfg: RuleInput): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const [i, inst] of (cfg.rdsAutomatedBackups?.instances ?? []).entries()) {
    const { region } = arnRegionAndAccount(inst.dbInstanceArn);
    if (cfg.primaryRegion && region !== cfg.primaryRegion) {
      problems.push({
        key: configKey("rdsAutomatedBackups.instances"),
        message: `item ${i}: ${inst.dbInstanceArn} is in ${region}; expected an instance in primaryRegion (${cfg.primaryRegion}), replicated to backupRegion`,
      });
    }
  }
  return problems;
}
