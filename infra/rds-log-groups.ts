/**
 * The log groups an RDS/Aurora cluster exports to, created by the program before the cluster so
 * they are KMS-encrypted and have a retention (RDS would otherwise create them unencrypted and
 * kept forever). Names are RDS's own: `/aws/rds/cluster/<cluster-identifier>/<log-type>`.
 *
 * A small shared helper: AuroraLab calls it for its own log groups when it is not given the ones
 * LogArchive's agent kit made (infra/log-archive/agent-kit.ts, which names its groups with
 * `rdsClusterLogGroupName` too).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Makes the export log groups of one cluster; returns them (for `dependsOn`). */
export type RdsLogGroupFactory = (clusterIdentifier: string, logTypes: string[], parent: pulumi.Resource) => pulumi.Resource[];

/** The log group RDS writes a cluster's `logType` export to. */
export function rdsClusterLogGroupName(clusterIdentifier: string, logType: string): string {
  return `/aws/rds/cluster/${clusterIdentifier}/${logType}`;
}

export interface RdsLogGroupOptions {
  /** KMS key ARN; its policy must let CloudWatch Logs in the region use it (cloudWatchLogsKeyStatement). */
  kmsKeyArn: pulumi.Input<string>;
  retentionInDays: number;
  tags?: Record<string, string>;
}

/** A factory that creates one KMS-encrypted log group with retention per log type. */
export function rdsLogGroupFactory(options: RdsLogGroupOptions): RdsLogGroupFactory {
  return (clusterIdentifier, logTypes, parent) =>
    logTypes.map(
      (logType) =>
        new aws.cloudwatch.LogGroup(
          `${clusterIdentifier}-${logType}-logs`,
          {
            name: rdsClusterLogGroupName(clusterIdentifier, logType),
            kmsKeyId: options.kmsKeyArn,
            retentionInDays: options.retentionInDays,
            tags: options.tags,
          },
          { parent },
        ),
    );
}
