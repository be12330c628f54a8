/**
 * The lab's Aurora MySQL 3 cluster (writer + reader) in the private subnets: Advanced Auditing and
 * a slow query log through its parameter groups, logs exported to log groups made beforehand,
 * storage and master secret under the lab key, deletion protection and final snapshot by config.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { rdsLogGroupFactory } from "../rds-log-groups";
import { type AuroraLabArgs, LOG_EXPORTS, MYSQL_PORT, PARAMETER_GROUP_FAMILY } from "./args";
import type { LabNetwork } from "./network";
import { auditParameters, instanceParameters } from "./parameters";

export interface LabDatabase {
  cluster: aws.rds.Cluster;
  clusterParams: aws.rds.ClusterParameterGroup;
  instances: aws.rds.ClusterInstance[];
  /** The DB instance ids (known before the instances exist). */
  instanceIds: string[];
  /** The managed master user secret. */
  secretArn: pulumi.Output<string>;
}

export function labDatabase(name: string, args: AuroraLabArgs, net: LabNetwork, key: aws.kms.Key, component: pulumi.ComponentResource): LabDatabase {
  const parent = { parent: component };
  const tags = args.tags;
  const db = args.database;
  const subnetGroup = new aws.rds.SubnetGroup(
    `${name}-db-subnets`,
    { description: "AuroraLab: the two private subnets", subnetIds: net.privateSubnets.map((s) => s.id), tags },
    parent,
  );
  const clusterParams = new aws.rds.ClusterParameterGroup(
    `${name}-cluster-params`,
    { family: PARAMETER_GROUP_FAMILY, description: "AuroraLab: Advanced Auditing", parameters: auditParameters(db.auditExcludedUsers), tags },
    parent,
  );
  const instanceParams = new aws.rds.ParameterGroup(
    `${name}-instance-params`,
    { family: PARAMETER_GROUP_FAMILY, description: "AuroraLab: slow query log", parameters: instanceParameters(db.slowQuerySeconds), tags },
    parent,
  );
  const logGroups = args.logs.logGroups
    ? givenLogGroups(args.logs.logGroups, db.clusterIdentifier)
    : rdsLogGroupFactory({ kmsKeyArn: key.arn, retentionInDays: args.logs.retentionInDays, tags })(db.clusterIdentifier, LOG_EXPORTS, component);

  const cluster = new aws.rds.Cluster(
    `${name}-cluster`,
    {
      clusterIdentifier: db.clusterIdentifier,
      engine: "aurora-mysql",
      engineMode: "provisioned",
      engineVersion: db.engineVersion,
      masterUsername: db.masterUsername,
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: key.arn,
      iamDatabaseAuthenticationEnabled: true,
      storageEncrypted: true,
      kmsKeyId: key.arn,
      port: MYSQL_PORT,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [net.dbSg.id],
      dbClusterParameterGroupName: clusterParams.name,
      enabledCloudwatchLogsExports: LOG_EXPORTS,
      backupRetentionPeriod: db.backupRetentionDays,
      preferredBackupWindow: "17:00-18:00", // UTC: 01:00-02:00 in Beijing
      copyTagsToSnapshot: true,
      deletionProtection: db.deletionProtection,
      skipFinalSnapshot: !db.finalSnapshot,
      finalSnapshotIdentifier: db.finalSnapshot ? `${db.clusterIdentifier}-final` : undefined,
      tags: { ...tags, [args.backupSelectionTag.key]: args.backupSelectionTag.value },
    },
    // The log groups first, or RDS creates them itself without a key or retention.
    // engineVersion is the version the cluster is created with: with autoMinorVersionUpgrade AWS
    // moves it to newer minors (AuroraMySQL.Updates: https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Updates.html),
    // the provider then reads the new version back (`engineVersionActual`, @pulumi/aws 7.48.0
    // rds/cluster.d.ts) and the next `up` would try to downgrade it. Upgrades are AWS's, not ours.
    { parent: component, dependsOn: logGroups, ignoreChanges: ["engineVersion"] },
  );
  const instances: aws.rds.ClusterInstance[] = [];
  const instanceIds = [1, 2].map((n) => `${db.clusterIdentifier}-${n}`);
  for (const [i, role] of ["writer", "reader"].entries()) {
    instances.push(
      new aws.rds.ClusterInstance(
        `${name}-${role}`,
        {
          identifier: instanceIds[i],
          clusterIdentifier: cluster.id,
          engine: "aurora-mysql",
          engineVersion: cluster.engineVersion,
          instanceClass: db.instanceClass,
          dbSubnetGroupName: subnetGroup.name,
          dbParameterGroupName: instanceParams.name,
          publiclyAccessible: false,
          promotionTier: i,
          autoMinorVersionUpgrade: true,
          tags,
        },
        // The first instance of a cluster becomes its writer. Its engine version follows the
        // cluster's (AWS upgrades both), see the cluster's ignoreChanges.
        { parent: component, dependsOn: instances.slice(), ignoreChanges: ["engineVersion"] },
      ),
    );
  }
  const secretArn = cluster.masterUserSecrets.apply((secrets) => {
    const arn = secrets?.[0]?.secretArn;
    if (!arn && !pulumi.runtime.isDryRun()) throw new Error("AuroraLab: the cluster has no managed master user secret");
    return arn ?? "";
  });
  return { cluster, clusterParams, instances, instanceIds, secretArn };
}

/** The given export log groups in LOG_EXPORTS order; a missing log type is refused by name (RDS would make it unencrypted). */
export function givenLogGroups(byType: Readonly<Record<string, pulumi.Resource>>, clusterIdentifier: string): pulumi.Resource[] {
  const missing = LOG_EXPORTS.filter((t) => !Object.prototype.hasOwnProperty.call(byType, t));
  if (missing.length > 0) throw new Error(`AuroraLab: logs.logGroups has no log group for cluster ${clusterIdentifier} (${missing.join(", ")})`);
  return LOG_EXPORTS.map((t) => byType[t]);
}
