/**
 * The primary stack's one reader of the backup stack (a StackReference; its name is config
 * `backupStackName`). Each output the primary needs is read here, under its BACKUP_OUTPUT_KEYS key.
 */
import * as pulumi from "@pulumi/pulumi";
import { ResolvedConfig } from "./config";
import { BACKUP_OUTPUT_KEYS } from "./common";

export interface BackupStackOutputs {
  readonly accountId: pulumi.Output<string>;
  /** LogArchive's replica bucket and key in the backup region. */
  readonly logArchiveReplica: { bucketArn: pulumi.Output<string>; keyArn: pulumi.Output<string> };
  /** BackupEvents' destination vault and its key; read only when BackupEvents is on (the backup stack exports them then). */
  destinationVault(): { arn: pulumi.Output<string>; keyArn: pulumi.Output<string> };
}

export function backupStackOutputs(cfg: ResolvedConfig): BackupStackOutputs {
  const ref = new pulumi.StackReference("backup-stack", { name: cfg.backupStackName });
  // A missing replica output fails `pulumi up` with this message (in preview the backup stack may
  // not be deployed yet, and the value is simply unknown).
  const replicaOutput = (key: string) =>
    ref.getOutput(key).apply((v) => {
      if (v === undefined && !pulumi.runtime.isDryRun()) {
        pulumi.log.error(`backup stack ${cfg.backupStackName} has no output ${key}: deploy the backup stack (LogArchive, backup role) first`);
      }
      return v as string;
    });
  return {
    accountId: ref.requireOutput(BACKUP_OUTPUT_KEYS.accountId) as pulumi.Output<string>,
    logArchiveReplica: {
      bucketArn: replicaOutput(BACKUP_OUTPUT_KEYS.logArchiveReplicaBucketArn),
      keyArn: replicaOutput(BACKUP_OUTPUT_KEYS.logArchiveReplicaKeyArn),
    },
    destinationVault: () => ({
      arn: ref.requireOutput(BACKUP_OUTPUT_KEYS.destinationVaultArn) as pulumi.Output<string>,
      keyArn: ref.requireOutput(BACKUP_OUTPUT_KEYS.destinationVaultKeyArn) as pulumi.Output<string>,
    }),
  };
}
