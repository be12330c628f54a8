/**
 * VPC endpoints so that code in private subnets without a NAT gateway reaches AWS APIs: interface
 * endpoints (private DNS on) behind one security group that admits HTTPS only from the given client
 * security groups, and gateway endpoints (S3, DynamoDB) on the given route tables.
 *
 * Endpoint service names are asked from AWS (`aws.ec2.getVpcEndpointService`), not written here:
 * in the China regions many are `cn.com.amazonaws.<region>.<service>`, some `com.amazonaws...`.
 * The lookup is by a `service-name` filter over both forms (`endpointServiceNameCandidates`), never
 * by `service`: the provider turns `service` into `com.amazonaws.<region>.<service>` in every
 * partition and fails with "no matching EC2 VPC Endpoint Service found" where China uses the other
 * form (provider source: internal/service/ec2/vpc_endpoint_service_data_source.go in
 * https://github.com/hashicorp/terraform-provider-aws; the pinned @pulumi/aws 7.48.0 docs say
 * `service` "will not work for ... services that don't follow the standard serviceName pattern").
 * Exactly one of the candidates exists per service and type (the AWS CDK keeps the China table:
 * https://github.com/aws/aws-cdk/blob/main/packages/aws-cdk-lib/aws-ec2/lib/vpc-endpoint.ts).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { partitionFacts } from "./partition";

/**
 * The names an AWS endpoint service may have in a region: `com.amazonaws.<region>.<service>` and
 * `<reverse DNS prefix>.<region>.<service>` (`cn.com.amazonaws` in China; the same name elsewhere).
 */
export function endpointServiceNameCandidates(service: string, region: string, reverseDnsPrefix: string): string[] {
  return [...new Set([`com.amazonaws.${region}.${service}`, `${reverseDnsPrefix}.${region}.${service}`])];
}

/** Looks an AWS endpoint service up by name over both forms, narrowed to one endpoint type. */
function lookUpEndpointService(service: string, serviceType: "Interface" | "Gateway", opts: pulumi.InvokeOutputOptions & { parent: pulumi.Resource }) {
  const facts = partitionFacts({ parent: opts.parent });
  return aws.ec2.getVpcEndpointServiceOutput(
    { serviceType, filters: [{ name: "service-name", values: facts.apply((f) => endpointServiceNameCandidates(service, f.region, f.reverseDnsPrefix)) }] },
    opts,
  );
}

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
          ingress: [{ description: "HTTPS from clients", protocol: "tcp", fromPort: 443, toPort: 443, securityGroups: args.clientSecurityGroupIds }],
          // Endpoints only answer; they need no egress.
          egress: [],
          tags: { ...args.tags, Name: `${name}-endpoints` },
        },
        parent,
      );
    }

    for (const service of args.interfaceServices) {
      const svc = lookUpEndpointService(service, "Interface", parent);
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
      const svc = lookUpEndpointService(service, "Gateway", parent);
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
