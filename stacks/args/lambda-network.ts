/**
 * Config `lambdaNetwork.*` -> where the primary stack's Lambda functions run: outside any VPC by
 * default, or in private subnets (given, or the AuroraLab's), with the VPC endpoints they need.
 * A pure mapping; stacks/lambda-network.ts builds the endpoints.
 */
import * as pulumi from "@pulumi/pulumi";
import type { LambdaVpcConfig } from "../../infra/lambda";
import type { VpcEndpointsArgs } from "../../infra/vpc-endpoints";
import type { ResolvedConfig } from "../config";

/** Interface endpoints the functions call: RDS, SQS, AWS Backup, CloudWatch Logs, KMS, STS. */
export const LAMBDA_INTERFACE_ENDPOINTS = ["rds", "sqs", "backup", "logs", "kms", "sts"];
/** Gateway endpoints: S3 (archive bucket), DynamoDB (audit-log table). */
export const LAMBDA_GATEWAY_ENDPOINTS = ["s3", "dynamodb"] as const;

/** A VPC's private side, as the AuroraLab (or a given VPC) offers it. */
export interface PrivateNetwork {
  vpcId: pulumi.Input<string>;
  privateSubnetIds: pulumi.Input<string>[];
  privateRouteTableIds: pulumi.Input<string>[];
  /** A security group for the functions (egress to the endpoints). */
  lambdaSecurityGroupId: pulumi.Input<string>;
  /**
   * Services that already have an endpoint in this VPC (admitting `lambdaSecurityGroupId`): not
   * created again, since a second interface endpoint with private DNS, or a second S3 gateway
   * endpoint on the same route table, is refused by EC2.
   */
  endpointServices?: string[];
}

/** The AuroraLab's private side (its outputs of that shape). */
export function labPrivateNetwork(lab: PrivateNetwork): PrivateNetwork {
  return {
    vpcId: lab.vpcId,
    privateSubnetIds: lab.privateSubnetIds,
    privateRouteTableIds: lab.privateRouteTableIds,
    lambdaSecurityGroupId: lab.lambdaSecurityGroupId,
    endpointServices: lab.endpointServices,
  };
}

export interface LambdaNetworkArgs {
  /** The functions' VPC config. */
  vpc: LambdaVpcConfig;
  /** The endpoints to create for them (`lambdaNetwork.createEndpoints`); undefined: none. */
  endpoints?: VpcEndpointsArgs;
}

/** `undefined`: the functions run outside any VPC. `lab` is the AuroraLab's network, when the lab is built. */
export function lambdaNetworkArgs(cfg: ResolvedConfig, tags: Record<string, string>, lab?: PrivateNetwork): LambdaNetworkArgs | undefined {
  const net = cfg.lambdaNetwork;
  let vpc: LambdaVpcConfig;
  let vpcId: pulumi.Input<string> | undefined;
  let routeTableIds: pulumi.Input<string>[];
  let existing: string[] = [];
  if (net.useAuroraLabVpc) {
    if (!lab) throw new Error("lambdaNetwork.useAuroraLabVpc is true but the AuroraLab network is not available");
    vpc = { subnetIds: lab.privateSubnetIds, securityGroupIds: [lab.lambdaSecurityGroupId] };
    vpcId = lab.vpcId;
    routeTableIds = lab.privateRouteTableIds;
    existing = lab.endpointServices ?? [];
  } else if (net.subnetIds.length > 0) {
    vpc = { subnetIds: net.subnetIds, securityGroupIds: net.securityGroupIds };
    vpcId = net.vpcId;
    routeTableIds = net.routeTableIds;
  } else {
    return undefined;
  }
  if (!net.createEndpoints) return { vpc };
  return {
    vpc,
    endpoints: {
      // Config validation guarantees vpcId and route tables whenever endpoints are to be created.
      vpcId: vpcId!,
      subnetIds: vpc.subnetIds,
      routeTableIds,
      clientSecurityGroupIds: vpc.securityGroupIds,
      interfaceServices: LAMBDA_INTERFACE_ENDPOINTS.filter((s) => !existing.includes(s)),
      gatewayServices: LAMBDA_GATEWAY_ENDPOINTS.filter((s) => !existing.includes(s)),
      tags,
    },
  };
}
