/**
 * RDS cross-Region automated backups (the strategy document's RDS step, for DB *instances*):
 * in the backup region, replicate each listed Beijing instance's snapshots and transaction logs,
 * so a point-in-time restore in Ningxia is possible. Aurora clusters are not covered by this RDS
 * feature; they reach Ningxia as AWS Backup copies (BackupEvents). Config refuses Aurora ARNs.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { customerManagedKey } from "./kms";

export interface ReplicatedDbInstance {
  /** ARN of the source DB instance in the primary region. */
  dbInstanceArn: string;
  /** Whether the source storage is encrypted: then its replicated backups need a key here. */
  encrypted: boolean;
}

export interface RdsBackupReplicationArgs {
  instances: ReplicatedDbInstance[];
  /** Days the replicated automated backups are kept (1-35). */
  retentionPeriodDays: number;
  /** A Ningxia KMS key to encrypt the replicated backups; unset: one is created. */
  kmsKeyArn?: pulumi.Input<string>;
  kmsKeyDeletionWindowDays: number;
  tags?: Record<string, string>;
}

export class RdsBackupReplication extends pulumi.ComponentResource {
  /** The key replicated backups of encrypted sources are encrypted with (when any source is). */
  readonly kmsKeyArn?: pulumi.Output<string>;
  readonly replications: aws.rds.InstanceAutomatedBackupsReplication[] = [];

  constructor(name: string, args: RdsBackupReplicationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("cn-log-backup:rds:RdsBackupReplication", name, {}, opts);
    const parent = { parent: this };
    if (args.instances.some((i) => i.encrypted)) {
      this.kmsKeyArn = args.kmsKeyArn
        ? pulumi.output(args.kmsKeyArn)
        : customerManagedKey(
            `${name}-key`,
            {
              description: "cn-log-backup: encrypts RDS automated backups replicated to this region",
              deletionWindowInDays: args.kmsKeyDeletionWindowDays,
              tags: args.tags,
            },
            parent,
          ).arn;
    }
    for (const instance of args.instances) {
      const id = instance.dbInstanceArn.split(":").pop()!;
      this.replications.push(
        new aws.rds.InstanceAutomatedBackupsReplication(
          `${name}-${id}`,
          {
            sourceDbInstanceArn: instance.dbInstanceArn,
            retentionPeriod: args.retentionPeriodDays,
            kmsKeyId: instance.encrypted ? this.kmsKeyArn : undefined,
          },
          parent,
        ),
      );
    }
    this.registerOutputs({ kmsKeyArn: this.kmsKeyArn, replicationIds: this.replications.map((r) => r.id) });
  }
}
