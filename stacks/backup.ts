/**
 * The backup (destination) stack in Ningxia. Deployed first; exports what the primary needs.
 * Nothing here reads the primary's outputs, so the two stacks have no cycle.
 */
import * as aws from "@pulumi/aws";
import { ResolvedConfig } from "./config";
import { stackTags } from "./common";
import { RdsBackupReplication } from "../infra/rds-backup-replication";

export function buildBackupStack(cfg: ResolvedConfig): Record<string, unknown> {
  const tags = stackTags(cfg);
  const identity = aws.getCallerIdentityOutput({});
  const outputs: Record<string, unknown> = { accountId: identity.accountId };

  if (cfg.rdsAutomatedBackups.instances.length > 0) {
    const rds = new RdsBackupReplication("rds-automated-backups", {
      instances: cfg.rdsAutomatedBackups.instances,
      retentionPeriodDays: cfg.rdsAutomatedBackups.retentionPeriodDays,
      kmsKeyArn: cfg.rdsAutomatedBackups.kmsKeyArn,
      kmsKeyDeletionWindowDays: cfg.kmsKeyDeletionWindowDays,
      tags,
    });
    outputs.rdsAutomatedBackupsKeyArn = rds.kmsKeyArn;
  }
  return outputs;
}
