/**
 * AuroraLab: the Aurora MySQL audit-log lab, the test subject of AuditLogPipeline.
 *
 * - A VPC with one public subnet and two private subnets in two availability zones. Plain
 *   `aws.ec2` resources, not `awsx.ec2.Vpc`: awsx makes a public subnet in every zone it spans (so
 *   it cannot express "one public, two private"), and it is a remote component whose children
 *   exist only inside its provider plugin, so under mocks there would be no subnets to test.
 * - No NAT gateway unless `natGateway` is set: interface endpoints for SSM, SSM messages, EC2
 *   messages (Session Manager), CloudWatch Logs and metrics (the CloudWatch agent), Secrets Manager
 *   (the lab script reads the master password) and an S3 gateway endpoint (AL2023's package
 *   repositories are in S3, and so are the audit logs the lab checks).
 * - An arm64 Amazon Linux 2023 `t4g.micro` client in a private subnet: no public IP, no key pair,
 *   no inbound rule (reached through Session Manager), IMDSv2 required, root volume encrypted with
 *   the lab's customer-managed key; user data installs the tools and places the lab scripts.
 * - An Aurora MySQL 3 cluster (writer + reader) in the private subnets, storage and master secret
 *   encrypted with the lab key, master password managed by Secrets Manager, IAM database
 *   authentication, backups retained and tagged for the AWS Backup plan, deletion protection and a
 *   final snapshot by config, reachable on 3306 from the client's security group only.
 * - Advanced Auditing with the parameters Aurora MySQL 3 really has (`server_audit_logging`,
 *   `server_audit_events`, `server_audit_excl_users`); audit, error and slow query logs exported to
 *   CloudWatch Logs groups created beforehand with KMS and retention.
 *
 * A component never reads config: `stacks/primary.ts` passes these Args.
 */
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PolicyStatement, policyDocument } from "./iam";
import { cloudWatchLogsKeyStatement, customerManagedKey } from "./kms";
import { managedPolicyArn, s3Arn, servicePrincipal, viaService } from "./partition";
import { VpcEndpoints } from "./vpc-endpoints";
import { RdsLogGroupFactory, rdsLogGroupFactory } from "./rds-log-groups";

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
/** Where the lab scripts live in this repository and on the client. */
export const SCRIPTS_DIR = path.join(__dirname, "aurora-lab", "scripts");
export const LAB_SCRIPTS = ["setup_ec2.sh", "setup_sysbench.sh", "test_audit_logs.sh"];
export const CLIENT_SCRIPTS_DIR = "/opt/aurora-lab";
const MYSQL_PORT = 3306;
const HTTPS_PORT = 443;

/** The client's instance profile and role, from LogArchive's CloudWatch-agent kit. */
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
    /** Retention of the lab's own log groups (ignored with `createLogGroups`, which sets its own). */
    retentionInDays: number;
    /**
     * LogArchive's factory for RDS log groups (archive key, archived); default: rdsLogGroupFactory
     * with the lab key, not archived.
     */
    createLogGroups?: RdsLogGroupFactory;
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

/** Splits an IPv4 CIDR block into four equal blocks (prefix length + 2). */
export function quarterCidr(cidr: string): [string, string, string, string] {
  const [ip, bits] = cidr.split("/");
  const prefix = Number(bits);
  const base = ip.split(".").reduce((a, o) => a * 256 + Number(o), 0);
  const size = 2 ** (32 - prefix - 2);
  const toIp = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
  return [0, 1, 2, 3].map((i) => `${toIp(base + i * size)}/${prefix + 2}`) as [string, string, string, string];
}

/** The cluster parameter group's parameters: Advanced Auditing as Aurora MySQL 3 names it. */
export function auditParameters(excludedUsers: string[]): { name: string; value: string; applyMethod: string }[] {
  const params = [
    { name: "server_audit_logging", value: "1", applyMethod: "immediate" },
    { name: "server_audit_events", value: AUDIT_EVENTS, applyMethod: "immediate" },
  ];
  if (excludedUsers.length > 0) {
    params.push({ name: "server_audit_excl_users", value: excludedUsers.join(","), applyMethod: "immediate" });
  }
  return params;
}

/** The instance parameter group's parameters: a slow query log to export. */
export function instanceParameters(slowQuerySeconds: number): { name: string; value: string; applyMethod: string }[] {
  return [
    { name: "slow_query_log", value: "1", applyMethod: "immediate" },
    { name: "long_query_time", value: String(slowQuerySeconds), applyMethod: "immediate" },
    { name: "log_output", value: "FILE", applyMethod: "immediate" },
  ];
}

/** Quotes a value for a POSIX shell. */
export function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export interface UserDataSettings {
  region: string;
  endpoint: string;
  readerEndpoint: string;
  secretArn: string;
  bucket?: string;
  prefix: string;
  /** The cluster's DB instance ids: the lab script checks only their audit-log prefixes. */
  dbInstances: string[];
  cloudWatchAgentConfigParameter?: string;
  sysbench?: { source: string; sha256?: string };
  /** Script file name -> contents; default: read from SCRIPTS_DIR. */
  scripts?: Record<string, string>;
}

const HEREDOC_END = "AURORA_LAB_SCRIPT_END";

/** Reads the lab scripts from the repository. */
export function readLabScripts(): Record<string, string> {
  return Object.fromEntries(LAB_SCRIPTS.map((f) => [f, fs.readFileSync(path.join(SCRIPTS_DIR, f), "utf8")]));
}

/**
 * The client's boot script: writes the lab scripts to /opt/aurora-lab, then runs setup_ec2.sh
 * (MariaDB 10.5 client, jq, CloudWatch agent started from its SSM configuration, the lab settings
 * for login shells) and, when a source is configured, setup_sysbench.sh.
 */
export function renderUserData(s: UserDataSettings): string {
  const scripts = s.scripts ?? readLabScripts();
  const lines = [
    "#!/bin/bash",
    "# AuroraLab client bootstrap (cloud-init user data). Log: /var/log/aurora-lab-bootstrap.log",
    "set -euo pipefail",
    "exec >>/var/log/aurora-lab-bootstrap.log 2>&1",
    `install -d -m 0755 ${CLIENT_SCRIPTS_DIR}`,
  ];
  for (const [file, text] of Object.entries(scripts)) {
    if (text.split("\n").includes(HEREDOC_END)) throw new Error(`${file} contains the line ${HEREDOC_END}, which ends the user data heredoc`);
    lines.push(`cat >${CLIENT_SCRIPTS_DIR}/${file} <<'${HEREDOC_END}'`, text.replace(/\n$/, ""), HEREDOC_END, `chmod 0755 ${CLIENT_SCRIPTS_DIR}/${file}`);
  }
  const setup = [
    `${CLIENT_SCRIPTS_DIR}/setup_ec2.sh`,
    "--region", shQuote(s.region),
    "--endpoint", shQuote(s.endpoint),
    "--reader-endpoint", shQuote(s.readerEndpoint),
    "--secret-arn", shQuote(s.secretArn),
    "--prefix", shQuote(s.prefix),
    "--db-instances", shQuote(s.dbInstances.join(",")),
  ];
  if (s.bucket) setup.push("--bucket", shQuote(s.bucket));
  if (s.cloudWatchAgentConfigParameter) setup.push("--cw-agent-config", shQuote(s.cloudWatchAgentConfigParameter));
  lines.push(setup.join(" "));
  if (s.sysbench) {
    const sb = [`${CLIENT_SCRIPTS_DIR}/setup_sysbench.sh`, "--region", shQuote(s.region), "--source", shQuote(s.sysbench.source)];
    if (s.sysbench.sha256) sb.push("--sha256", shQuote(s.sysbench.sha256));
    lines.push(sb.join(" "));
  } else {
    lines.push(`echo "sysbench not built: set auroraLab.sysbenchSource, or run ${CLIENT_SCRIPTS_DIR}/setup_sysbench.sh --source s3://..."`);
  }
  lines.push('echo "aurora-lab bootstrap done"');
  return lines.join("\n") + "\n";
}

/** User data as EC2 takes it: gzip (cloud-init inflates it) then base64, to stay under 16 KB. */
export function encodeUserData(script: string): string {
  return zlib.gzipSync(Buffer.from(script, "utf8"), { level: 9 }).toString("base64");
}

export class AuroraLab extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  readonly publicSubnetId: pulumi.Output<string>;
  readonly privateSubnetIds: pulumi.Output<string>[];
  readonly privateRouteTableIds: pulumi.Output<string>[];
  /** For Lambda functions placed in the lab VPC: admitted by the lab's interface endpoints. */
  readonly lambdaSecurityGroupId: pulumi.Output<string>;
  /** Services that already have an endpoint in the lab VPC (interface and gateway). */
  readonly endpointServices: string[] = [...INTERFACE_ENDPOINT_SERVICES, ...GATEWAY_ENDPOINT_SERVICES];
  readonly clientInstanceId: pulumi.Output<string>;
  readonly clientSecurityGroupId: pulumi.Output<string>;
  readonly databaseSecurityGroupId: pulumi.Output<string>;
  readonly ssmStartSessionCommand: pulumi.Output<string>;
  readonly clusterIdentifier: pulumi.Output<string>;
  readonly clusterEndpoint: pulumi.Output<string>;
  readonly readerEndpoint: pulumi.Output<string>;
  readonly masterUserSecretArn: pulumi.Output<string>;
  readonly clusterParameterGroupName: pulumi.Output<string>;
  readonly dbInstanceIdentifiers: pulumi.Output<string>[];
  readonly kmsKeyArn: pulumi.Output<string>;

  constructor(name: string, args: AuroraLabArgs, opts?: pulumi.ComponentResourceOptions) {
    super("cn-log-backup:lab:AuroraLab", name, {}, opts);
    const parent = { parent: this };
    const tags = args.tags;
    const named = (n: string) => ({ ...tags, Name: n });
    const db = args.database;

    // ---- the lab's key: EBS, Aurora storage, the master secret (and the log groups, unless LogArchive makes them) ----
    const ownLogGroups = args.logs.createLogGroups === undefined;
    const key = customerManagedKey(
      `${name}-key`,
      {
        description: `cn-log-backup AuroraLab: client volume, Aurora storage, master secret${ownLogGroups ? " and log groups" : ""}`,
        deletionWindowInDays: args.kmsKeyDeletionWindowDays,
        alias: `cn-log-backup/${pulumi.getStack()}/${name}`,
        statements: ownLogGroups ? [cloudWatchLogsKeyStatement(args.region)] : [],
        tags,
      },
      parent,
    );

    // ---- network ----
    const [publicCidr, privateCidrA, privateCidrB] = quarterCidr(args.vpcCidr);
    const zones = aws.getAvailabilityZonesOutput({ state: "available" }, parent).names.apply((names) => {
      if (names.length < 2) throw new Error(`AuroraLab needs two availability zones in ${args.region}, found ${names.length}`);
      return names.slice(0, 2);
    });
    const vpc = new aws.ec2.Vpc(
      `${name}-vpc`,
      { cidrBlock: args.vpcCidr, enableDnsSupport: true, enableDnsHostnames: true, tags: named(`${name}-vpc`) },
      parent,
    );
    // Nothing may use the default security group.
    new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: vpc.id, tags: named(`${name}-default-unused`) }, parent);

    const subnet = (suffix: string, cidr: string, zone: number) =>
      new aws.ec2.Subnet(
        `${name}-${suffix}`,
        {
          vpcId: vpc.id,
          cidrBlock: cidr,
          availabilityZone: zones.apply((z) => z[zone]),
          mapPublicIpOnLaunch: false,
          tags: named(`${name}-${suffix}`),
        },
        parent,
      );
    const publicSubnet = subnet("public-a", publicCidr, 0);
    const privateSubnets = [subnet("private-a", privateCidrA, 0), subnet("private-b", privateCidrB, 1)];

    const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: named(`${name}-igw`) }, parent);
    const publicRoutes = new aws.ec2.RouteTable(`${name}-public-rt`, { vpcId: vpc.id, tags: named(`${name}-public`) }, parent);
    new aws.ec2.Route(`${name}-public-default`, { routeTableId: publicRoutes.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id }, parent);
    new aws.ec2.RouteTableAssociation(`${name}-public-a`, { subnetId: publicSubnet.id, routeTableId: publicRoutes.id }, parent);
    const privateRoutes = new aws.ec2.RouteTable(`${name}-private-rt`, { vpcId: vpc.id, tags: named(`${name}-private`) }, parent);
    privateSubnets.forEach((s, i) =>
      new aws.ec2.RouteTableAssociation(`${name}-private-${"ab"[i]}`, { subnetId: s.id, routeTableId: privateRoutes.id }, parent),
    );
    if (args.natGateway) {
      const eip = new aws.ec2.Eip(`${name}-nat-eip`, { domain: "vpc", tags: named(`${name}-nat`) }, parent);
      const nat = new aws.ec2.NatGateway(
        `${name}-nat`,
        { subnetId: publicSubnet.id, allocationId: eip.id, connectivityType: "public", tags: named(`${name}-nat`) },
        { parent: this, dependsOn: [igw] },
      );
      new aws.ec2.Route(`${name}-private-default`, { routeTableId: privateRoutes.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.id }, parent);
    }

    // ---- security groups: every rule explicit (the provider removes AWS's default allow-all egress) ----
    const clientSg = new aws.ec2.SecurityGroup(
      `${name}-client-sg`,
      { vpcId: vpc.id, description: "AuroraLab client: no inbound; out to the database, the VPC endpoints and S3", tags: named(`${name}-client`) },
      parent,
    );
    const dbSg = new aws.ec2.SecurityGroup(
      `${name}-db-sg`,
      { vpcId: vpc.id, description: "AuroraLab Aurora cluster: MySQL from the lab client only", tags: named(`${name}-db`) },
      parent,
    );
    // For the pipeline's functions when they run in the lab VPC (lambdaNetwork.useAuroraLabVpc):
    // HTTPS out; without a NAT gateway that reaches only the VPC endpoints.
    const lambdaSg = new aws.ec2.SecurityGroup(
      `${name}-lambda-sg`,
      { vpcId: vpc.id, description: "Lambda functions in the AuroraLab VPC: HTTPS to AWS APIs (VPC endpoints)", tags: named(`${name}-lambda`) },
      parent,
    );
    const tcp = (port: number) => ({ ipProtocol: "tcp", fromPort: port, toPort: port });
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-db-from-client`,
      { securityGroupId: dbSg.id, referencedSecurityGroupId: clientSg.id, ...tcp(MYSQL_PORT), description: "MySQL from the lab client" },
      parent,
    );
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-client-to-db`,
      { securityGroupId: clientSg.id, referencedSecurityGroupId: dbSg.id, ...tcp(MYSQL_PORT), description: "MySQL to the Aurora cluster" },
      parent,
    );
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-lambda-https`,
      { securityGroupId: lambdaSg.id, cidrIpv4: "0.0.0.0/0", ...tcp(HTTPS_PORT), description: "HTTPS to AWS APIs (VPC endpoints; the internet only through a NAT gateway)" },
      parent,
    );

    // ---- VPC endpoints (service names asked from AWS: in China some are cn.com.amazonaws.*) ----
    const vpce = new VpcEndpoints(
      `${name}-vpce`,
      {
        vpcId: vpc.id,
        subnetIds: privateSubnets.map((s) => s.id),
        routeTableIds: [privateRoutes.id],
        clientSecurityGroupIds: [clientSg.id, lambdaSg.id],
        interfaceServices: INTERFACE_ENDPOINT_SERVICES,
        gatewayServices: [...GATEWAY_ENDPOINT_SERVICES],
        tags,
      },
      parent,
    );
    const endpoints: pulumi.Resource[] = Object.values(vpce.endpoints);
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-client-to-endpoints`,
      { securityGroupId: clientSg.id, referencedSecurityGroupId: vpce.securityGroup!.id, ...tcp(HTTPS_PORT), description: "HTTPS to the VPC interface endpoints" },
      parent,
    );
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-client-to-s3`,
      { securityGroupId: clientSg.id, prefixListId: vpce.endpoints.s3.prefixListId, ...tcp(HTTPS_PORT), description: "HTTPS to S3 through the gateway endpoint" },
      parent,
    );
    if (args.natGateway) {
      new aws.vpc.SecurityGroupEgressRule(
        `${name}-client-to-internet`,
        { securityGroupId: clientSg.id, cidrIpv4: "0.0.0.0/0", ...tcp(HTTPS_PORT), description: "HTTPS to the internet through the NAT gateway" },
        parent,
      );
    }

    // ---- Aurora MySQL 3 ----
    const subnetGroup = new aws.rds.SubnetGroup(
      `${name}-db-subnets`,
      { description: "AuroraLab: the two private subnets", subnetIds: privateSubnets.map((s) => s.id), tags },
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
    const createLogGroups =
      args.logs.createLogGroups ?? rdsLogGroupFactory({ kmsKeyArn: key.arn, retentionInDays: args.logs.retentionInDays, tags });
    const logGroups = createLogGroups(db.clusterIdentifier, LOG_EXPORTS, this);

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
        vpcSecurityGroupIds: [dbSg.id],
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
      { parent: this, dependsOn: logGroups, ignoreChanges: ["engineVersion"] },
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
          { parent: this, dependsOn: instances.slice(), ignoreChanges: ["engineVersion"] },
        ),
      );
    }
    const secretArn = cluster.masterUserSecrets.apply((secrets) => {
      const arn = secrets?.[0]?.secretArn;
      if (!arn && !pulumi.runtime.isDryRun()) throw new Error("AuroraLab: the cluster has no managed master user secret");
      return arn ?? "";
    });

    // ---- client identity: its own role and instance profile (the CloudWatch agent's and Session
    // Manager's managed policies, plus the lab's inline access below), never a shared one ----
    const clientRole = new aws.iam.Role(
      `${name}-client-role`,
      {
        description: "AuroraLab client: CloudWatch agent, Session Manager and the lab's own secret, key and audit logs",
        assumeRolePolicy: policyDocument([{ Effect: "Allow", Principal: { Service: servicePrincipal("ec2", parent) }, Action: "sts:AssumeRole" }]),
        tags,
      },
      parent,
    );
    for (const policy of ["AmazonSSMManagedInstanceCore", "CloudWatchAgentServerPolicy"]) {
      new aws.iam.RolePolicyAttachment(`${name}-client-${policy}`, { role: clientRole.name, policyArn: managedPolicyArn(policy, parent) }, parent);
    }
    const clientProfile = new aws.iam.InstanceProfile(`${name}-client-profile`, { role: clientRole.name, tags }, parent);
    const profileName: pulumi.Input<string> = clientProfile.name;
    const roleName: pulumi.Input<string> = clientRole.name;
    const prefix = args.auditLogs?.prefix ?? "audit-logs/";
    const statements: PolicyStatement[] = [
      { Sid: "ReadTheMasterSecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: secretArn },
      {
        Sid: "DecryptTheMasterSecret",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: key.arn,
        Condition: { StringEquals: { "kms:ViaService": viaService("secretsmanager", args.region, parent) } },
      },
    ];
    if (args.auditLogs) {
      statements.push(
        {
          Sid: "ListTheAuditLogs",
          Effect: "Allow",
          Action: "s3:ListBucket",
          Resource: s3Arn(args.auditLogs.bucketName, undefined, parent),
          Condition: { StringLike: { "s3:prefix": [`${prefix}*`] } },
        },
        { Sid: "ReadTheAuditLogs", Effect: "Allow", Action: "s3:GetObject", Resource: s3Arn(args.auditLogs.bucketName, `${prefix}*`, parent) },
      );
      if (args.auditLogs.bucketKeyArn) {
        statements.push({
          Sid: "DecryptTheAuditLogs",
          Effect: "Allow",
          Action: "kms:Decrypt",
          Resource: args.auditLogs.bucketKeyArn,
          Condition: { StringEquals: { "kms:ViaService": viaService("s3", args.region, parent) } },
        });
      }
    }
    const sysbenchObject = args.sysbench?.source.startsWith("s3://") ? /^s3:\/\/([^/]+)\/(.+)$/.exec(args.sysbench.source) : null;
    if (sysbenchObject) {
      statements.push({ Sid: "ReadTheSysbenchSource", Effect: "Allow", Action: "s3:GetObject", Resource: s3Arn(sysbenchObject[1], sysbenchObject[2], parent) });
    }
    const labAccess = new aws.iam.RolePolicy(`${name}-client-lab-access`, { role: roleName, policy: policyDocument(statements) }, parent);

    // ---- the client ----
    const ami = aws.ssm.getParameterOutput({ name: args.client.amiParameterName ?? AL2023_ARM64_AMI_PARAMETER }, parent);
    const userData = pulumi
      .all([cluster.endpoint, cluster.readerEndpoint, secretArn, args.auditLogs?.bucketName, args.clientKit?.cloudWatchAgentConfigParameter])
      .apply(([endpoint, readerEndpoint, secret, bucket, cwParam]) =>
        encodeUserData(
          renderUserData({
            region: args.region,
            endpoint,
            readerEndpoint,
            secretArn: secret,
            bucket,
            prefix,
            dbInstances: instanceIds,
            cloudWatchAgentConfigParameter: cwParam,
            sysbench: args.sysbench,
          }),
        ),
      );
    const client = new aws.ec2.Instance(
      `${name}-client`,
      {
        ami: ami.insecureValue,
        instanceType: args.client.instanceType,
        subnetId: privateSubnets[0].id,
        vpcSecurityGroupIds: [clientSg.id],
        associatePublicIpAddress: false,
        iamInstanceProfile: profileName,
        metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
        rootBlockDevice: {
          encrypted: true,
          kmsKeyId: key.arn,
          volumeType: "gp3",
          volumeSize: args.client.rootVolumeGiB,
          deleteOnTermination: true,
          tags: named(`${name}-client-root`),
        },
        userDataBase64: userData,
        userDataReplaceOnChange: true,
        tags: named(`${name}-client`),
      },
      {
        parent: this,
        // Boot needs the endpoints (packages, Session Manager, the agent) and its permissions.
        dependsOn: [...endpoints, labAccess],
        // A new AL2023 release would otherwise replace the client on every deployment.
        ignoreChanges: ["ami"],
      },
    );

    this.vpcId = vpc.id;
    this.publicSubnetId = publicSubnet.id;
    this.privateSubnetIds = privateSubnets.map((s) => s.id);
    this.privateRouteTableIds = [privateRoutes.id];
    this.lambdaSecurityGroupId = lambdaSg.id;
    this.clientInstanceId = client.id;
    this.clientSecurityGroupId = clientSg.id;
    this.databaseSecurityGroupId = dbSg.id;
    this.ssmStartSessionCommand = pulumi.interpolate`aws ssm start-session --target ${client.id} --region ${args.region}`;
    this.clusterIdentifier = cluster.clusterIdentifier;
    this.clusterEndpoint = cluster.endpoint;
    this.readerEndpoint = cluster.readerEndpoint;
    this.masterUserSecretArn = secretArn;
    this.clusterParameterGroupName = clusterParams.name;
    this.dbInstanceIdentifiers = instances.map((i) => i.identifier);
    this.kmsKeyArn = key.arn;
    this.registerOutputs({
      vpcId: this.vpcId,
      clientInstanceId: this.clientInstanceId,
      ssmStartSessionCommand: this.ssmStartSessionCommand,
      clusterEndpoint: this.clusterEndpoint,
      readerEndpoint: this.readerEndpoint,
      masterUserSecretArn: this.masterUserSecretArn,
      clusterParameterGroupName: this.clusterParameterGroupName,
    });
  }
}
