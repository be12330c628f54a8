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
 * A component never reads config: `stacks/primary.ts` passes these Args. Parts, each a plain
 * function creating its resources with this component as parent: `network.ts`, `database.ts`,
 * `client.ts`; pure helpers in `parameters.ts` and `user-data.ts`; Args and constants in `args.ts`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { cloudWatchLogsKeyStatement, customerManagedKey } from "../kms";
import { type AuroraLabArgs, GATEWAY_ENDPOINT_SERVICES, INTERFACE_ENDPOINT_SERVICES } from "./args";
import { labClient } from "./client";
import { labDatabase } from "./database";
import { labNetwork } from "./network";

export * from "./args";
export * from "./parameters";
export * from "./user-data";

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

    // The lab's key: EBS, Aurora storage, the master secret (and the log groups, unless LogArchive makes them).
    const ownLogGroups = args.logs.logGroups === undefined;
    const key: aws.kms.Key = customerManagedKey(
      `${name}-key`,
      {
        description: `cn-log-backup AuroraLab: client volume, Aurora storage, master secret${ownLogGroups ? " and log groups" : ""}`,
        deletionWindowInDays: args.kmsKeyDeletionWindowDays,
        alias: `cn-log-backup/${args.stack}/${name}`,
        statements: ownLogGroups ? [cloudWatchLogsKeyStatement(args.region)] : [],
        tags: args.tags,
      },
      parent,
    );

    const net = labNetwork(name, args, this);
    const db = labDatabase(name, args, net, key, this);
    const client = labClient(name, args, net, db, key, this);

    this.vpcId = net.vpc.id;
    this.publicSubnetId = net.publicSubnet.id;
    this.privateSubnetIds = net.privateSubnets.map((s) => s.id);
    this.privateRouteTableIds = [net.privateRoutes.id];
    this.lambdaSecurityGroupId = net.lambdaSg.id;
    this.clientInstanceId = client.id;
    this.clientSecurityGroupId = net.clientSg.id;
    this.databaseSecurityGroupId = net.dbSg.id;
    this.ssmStartSessionCommand = pulumi.interpolate`aws ssm start-session --target ${client.id} --region ${args.region}`;
    this.clusterIdentifier = db.cluster.clusterIdentifier;
    this.clusterEndpoint = db.cluster.endpoint;
    this.readerEndpoint = db.cluster.readerEndpoint;
    this.masterUserSecretArn = db.secretArn;
    this.clusterParameterGroupName = db.clusterParams.name;
    this.dbInstanceIdentifiers = db.instances.map((i) => i.identifier);
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
