/**
 * VPC endpoints so that code in private subnets without a NAT gateway reaches AWS APIs: interface
 * endpoints (private DNS on) behind one security group that admits HTTPS only from the given client
 * security groups, and gateway endpoints (S3, DynamoDB) on the given route tables.
 *
 * Endpoint service names are asked from AWS (`aws.ec2.getVpcEndpointService`), not written here:
 * in the China regions many are `cn.com.amazonaws.<region>.<service>`, some `com.amazonaws...`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export type GatewayService = "s3" | "dynamodb";

export interface VpcEndpointsArgs {
  vpcId: pulumi.Input<string>;
  /** Subnets that get an interface endpoint network interface (one per AZ). */
  subnetIds: pulumi.Input<string>[];
  /** Route tables the gateway endpoints are added to. */
  routeTableIds: pulumi.Input<string>[];
  /** Security groups whose members may call the interface endpoints (HTTPS). */
  clientSecurityGroupIds: pulumi.Input<string>[];
  /** Interface endpoint services, e.g. `ssm`, `logs`, `sqs`, `kms`, `sts`. */
  interfaceServices: string[];
  /** Gateway endpoint services. */
  gatewayServices: GatewayService[];
  tags?: Record<string, string>;
}

export class VpcEndpoints extends pulumi.ComponentResource {
  /** The security group in front of the interface endpoints. */
  readonly securityGroup?: aws.ec2.SecurityGroup;
  /** Endpoints by service name as given (`sqs`, `s3`, ...). */
  readonly endpoints: Record<string, aws.ec2.VpcEndpoint> = {};

  constructor(name: string, args: VpcEndpointsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("cn-log-backup:network:VpcEndpoints", name, {}, opts);
    const parent = { parent: this };

    if (args.interfaceServices.length > 0) {
      if (args.clientSecurityGroupIds.length === 0) throw new Error(`VpcEndpoints ${name}: interface endpoints need at least one client security group`);
      this.securityGroup = new aws.ec2.SecurityGroup(
        `${name}-endpoints-sg`,
        {
          vpcId: args.vpcId,
          description: "Interface VPC endpoints: HTTPS from the client security groups only",
          ingress: [
            { description: "HTTPS from clients", protocol: "tcp", fromPort: 443, toPort: 443, securityGroups: args.clientSecurityGroupIds },
          ],
          // Endpoints only answer; they need no egress.
          egress: [],
          tags: { ...args.tags, Name: `${name}-endpoints` },
        },
        parent,
      );
    }

    for (const service of args.interfaceServices) {
      const svc = aws.ec2.getVpcEndpointServiceOutput({ service, serviceType: "Interface" }, parent);
      this.endpoints[service] = new aws.ec2.VpcEndpoint(
        `${name}-${service.replace(/\./g, "-")}`,
        {
          vpcId: args.vpcId,
          serviceName: svc.serviceName,
          vpcEndpointType: "Interface",
          privateDnsEnabled: true,
          subnetIds: args.subnetIds,
          securityGroupIds: [this.securityGroup!.id],
          tags: { ...args.tags, Name: `${name}-${service}` },
        },
        parent,
      );
    }
    for (const service of args.gatewayServices) {
      const svc = aws.ec2.getVpcEndpointServiceOutput({ service, serviceType: "Gateway" }, parent);
      this.endpoints[service] = new aws.ec2.VpcEndpoint(
        `${name}-${service}`,
        {
          vpcId: args.vpcId,
          serviceName: svc.serviceName,
          vpcEndpointType: "Gateway",
          routeTableIds: args.routeTableIds,
          tags: { ...args.tags, Name: `${name}-${service}` },
        },
        parent,
      );
    }
    this.registerOutputs({
      securityGroupId: this.securityGroup?.id,
      endpointIds: Object.fromEntries(Object.entries(this.endpoints).map(([k, e]) => [k, e.id])),
    });
  }
}
