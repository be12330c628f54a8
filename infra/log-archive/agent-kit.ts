/**
 * The EC2 CloudWatch-agent kit (role with the aws-cn managed policies, instance profile, agent
 * configuration in SSM) and the log groups LogArchive owns: the agent's, and the RDS/Aurora export
 * groups `/aws/rds/cluster/<cluster>/<type>` (created before any cluster exports to them), all with
 * the archive key and a retention. Their subscriptions come with the log shipping
 * (./cloudwatch-firehose.ts), which takes `logGroups`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument } from "../iam";
import { managedPolicyArn, servicePrincipal } from "../partition";
import { rdsClusterLogGroupName } from "../rds-log-groups";
import { LogFileArgs, agentConfig } from "./agent-config";
import type { LogArchive } from "./archive";
import { slug } from "./log-groups";

export interface RdsLogGroupArgs {
  /** DB cluster identifier. */
  clusterName: string;
  /** Log types exported, e.g. `audit`, `error`, `general`, `slowquery`. */
  logTypes: string[];
  /** Retention, for a cluster with its own setting (the AuroraLab's); default: `logGroupRetentionDays`. */
  retentionInDays?: number;
}

export interface AgentKitArgs {
  /** Stack name: the agent configuration parameter is unique per stack. */
  readonly stack: string;
  /** Files the agent ships (`logArchive.ec2LogFiles`). */
  readonly ec2LogFiles: LogFileArgs[];
  /** Clusters whose export log groups LogArchive makes (`logArchive.rdsLogGroups`, and the AuroraLab's). */
  readonly rdsLogGroups: RdsLogGroupArgs[];
  /** Retention of these log groups (`logArchive.logGroupRetentionDays`). */
  readonly logGroupRetentionDays: number;
  readonly tags?: Record<string, string>;
}

/** A log group LogArchive made: subscribed by the log shipping when it matches the patterns. */
export interface ArchiveLogGroup {
  readonly resourceName: string;
  readonly logGroupName: string;
  readonly group: aws.cloudwatch.LogGroup;
}

export interface AgentKit {
  readonly role: aws.iam.Role;
  readonly instanceProfile: aws.iam.InstanceProfile;
  readonly instanceProfileName: pulumi.Output<string>;
  readonly configParameter: aws.ssm.Parameter;
  /** The agent configuration in the shape AuroraLab's `clientKit` takes (the profile stays LogArchive's). */
  readonly clientKit: { cloudWatchAgentConfigParameter: pulumi.Output<string> };
  readonly logGroups: ArchiveLogGroup[];
  /** The RDS export log groups made, by cluster, then by log type (what AuroraLab's `logs.logGroups` takes). */
  readonly rdsLogGroups: ReadonlyMap<string, Readonly<Record<string, aws.cloudwatch.LogGroup>>>;
}

export function agentKit(archive: LogArchive, args: AgentKitArgs): AgentKit {
  const name = archive.name;
  const parent = { parent: archive };
  const logGroups: ArchiveLogGroup[] = [];
  const logGroup = (resourceName: string, logGroupName: string, retentionInDays?: number) => {
    const group = new aws.cloudwatch.LogGroup(
      resourceName,
      { name: logGroupName, retentionInDays: retentionInDays ?? args.logGroupRetentionDays, kmsKeyId: archive.key.arn, tags: args.tags },
      parent,
    );
    logGroups.push({ resourceName, logGroupName, group });
    return group;
  };

  const role = new aws.iam.Role(
    `${name}-agent-role`,
    {
      description: "cn-log-backup: EC2 instances running the CloudWatch agent (logs into the archive) and SSM",
      // EC2 instance roles are assumed by the instance's own credentials: no source conditions apply.
      assumeRolePolicy: policyDocument([{ Effect: "Allow", Principal: { Service: servicePrincipal("ec2", parent) }, Action: "sts:AssumeRole" }]),
      tags: args.tags,
    },
    parent,
  );
  new aws.iam.RolePolicyAttachment(`${name}-agent-cloudwatch`, { role: role.name, policyArn: managedPolicyArn("CloudWatchAgentServerPolicy", parent) }, parent);
  new aws.iam.RolePolicyAttachment(`${name}-agent-ssm`, { role: role.name, policyArn: managedPolicyArn("AmazonSSMManagedInstanceCore", parent) }, parent);
  const instanceProfile = new aws.iam.InstanceProfile(`${name}-agent-profile`, { role: role.name, tags: args.tags }, parent);
  for (const lf of args.ec2LogFiles) logGroup(`${name}-ec2-${slug(lf.logGroupName)}`, lf.logGroupName);
  const configParameter = new aws.ssm.Parameter(
    `${name}-agent-config`,
    {
      // The agent's managed policy may read parameters named AmazonCloudWatch-*.
      name: `AmazonCloudWatch-cn-log-backup-${args.stack}`,
      type: "String",
      tier: "Standard",
      description: "cn-log-backup: CloudWatch agent configuration (log files into the archived log groups)",
      // Not a secret: insecureValue keeps it readable in plans and diffs.
      insecureValue: JSON.stringify(agentConfig(args.ec2LogFiles)),
      tags: args.tags,
    },
    parent,
  );

  const rdsLogGroups = new Map<string, Record<string, aws.cloudwatch.LogGroup>>();
  for (const r of args.rdsLogGroups) {
    const byType: Record<string, aws.cloudwatch.LogGroup> = {};
    for (const t of r.logTypes) byType[t] = logGroup(`${name}-rds-${r.clusterName}-${t}`, rdsClusterLogGroupName(r.clusterName, t), r.retentionInDays);
    rdsLogGroups.set(r.clusterName, byType);
  }

  return {
    role,
    instanceProfile,
    instanceProfileName: instanceProfile.name,
    configParameter,
    clientKit: { cloudWatchAgentConfigParameter: configParameter.name },
    logGroups,
    rdsLogGroups,
  };
}
