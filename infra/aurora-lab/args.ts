/** AuroraLab's Args and the fixed facts of the lab (what it audits, exports and reaches). */
import type * as pulumi from "@pulumi/pulumi";

/** Public SSM parameter with the latest Amazon Linux 2023 arm64 AMI (default kernel). */
export const AL2023_ARM64_AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";
/** What Advanced Auditing records. */
export const AUDIT_EVENTS = "CONNECT,QUERY,TABLE,QUERY_DDL,QUERY_DML,QUERY_DCL";
/** Logs the cluster exports to CloudWatch Logs. */
export const LOG_EXPORTS = ["audit", "error", "slowquery"];
/** Interface endpoints the client needs when there is no NAT gateway. */
export const INTERFACE_ENDPOINT_SERVICES = ["ssm", "ssmmessages", "ec2messages", "logs", "monitoring", "secretsmanager"];
/** Gateway endpoints in the lab VPC. */
export const GATEWAY_ENDPOINT_SERVICES = ["s3"] as const;
/** Aurora MySQL 3 parameter group family. */
export const PARAMETER_GROUP_FAMILY = "aurora-mysql8.0";
export const MYSQL_PORT = 3306;
export const HTTPS_PORT = 443;

/**
 * What the lab client reuses of LogArchive's CloudWatch-agent kit: the agent configuration only.
 * The client has a role and instance profile of its own (the agent's managed policies plus the
 * lab's secret, key and audit-log access); LogArchive's shared agent role gets nothing of the lab's.
 */
export interface ClientKit {
  /** SSM parameter with the CloudWatch agent configuration (named AmazonCloudWatch-*, readable with CloudWatchAgentServerPolicy). */
  cloudWatchAgentConfigParameter?: pulumi.Input<string>;
}

export interface AuroraLabArgs {
  /** The stack's name (in the lab key's alias). */
  stack: string;
  /** The stack's region (for the Session Manager command and the client's settings). */
  region: string;
  /** VPC range; quarters: public, private A, private B (the fourth is left free). */
  vpcCidr: string;
  natGateway: boolean;
  client: {
    instanceType: string;
    rootVolumeGiB: number;
    /** Default: AL2023_ARM64_AMI_PARAMETER. */
    amiParameterName?: string;
  };
  /** LogArchive's agent configuration for the client (the client's role and profile are always the lab's own). */
  clientKit?: ClientKit;
  database: {
    clusterIdentifier: string;
    engineVersion: string;
    instanceClass: string;
    masterUsername: string;
    backupRetentionDays: number;
    deletionProtection: boolean;
    finalSnapshot: boolean;
    auditExcludedUsers: string[];
    slowQuerySeconds: number;
  };
  /** The tag the AWS Backup plan (BackupEvents) selects; set on the cluster. */
  backupSelectionTag: { key: string; value: string };
  logs: {
    /** Retention of the lab's own log groups (ignored with `logGroups`, which have their own). */
    retentionInDays: number;
    /**
     * The cluster's export log groups LogArchive made (archive key, archived), by log type; they
     * must cover LOG_EXPORTS. Default: the lab makes its own (rdsLogGroupFactory), with the lab
     * key, not archived.
     */
    logGroups?: Readonly<Record<string, pulumi.Resource>>;
  };
  /** Where AuditLogPipeline writes the audit logs (the archive bucket), for the lab script. */
  auditLogs?: {
    bucketName: pulumi.Input<string>;
    /** Default `audit-logs/`. */
    prefix?: string;
    /** The archive bucket's KMS key, which the client needs to read the objects. */
    bucketKeyArn?: pulumi.Input<string>;
  };
  /** Build sysbench at boot from this tarball (https:// needs natGateway). */
  sysbench?: { source: string; sha256?: string };
  kmsKeyDeletionWindowDays: number;
  tags: Record<string, string>;
}
