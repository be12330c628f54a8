/**
 * The lab VPC: one public and two private subnets in two zones, routes (a NAT gateway only when
 * `natGateway` is set), the client's, database's and Lambda functions' security groups with every
 * rule explicit, and the VPC endpoints the client needs without a NAT gateway.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { VpcEndpoints } from "../vpc-endpoints";
import { type AuroraLabArgs, GATEWAY_ENDPOINT_SERVICES, HTTPS_PORT, INTERFACE_ENDPOINT_SERVICES, MYSQL_PORT } from "./args";
import { quarterCidr } from "./parameters";

export interface LabNetwork {
  vpc: aws.ec2.Vpc;
  publicSubnet: aws.ec2.Subnet;
  privateSubnets: aws.ec2.Subnet[];
  privateRoutes: aws.ec2.RouteTable;
  clientSg: aws.ec2.SecurityGroup;
  dbSg: aws.ec2.SecurityGroup;
  lambdaSg: aws.ec2.SecurityGroup;
  /** The VPC endpoints (the client boots only once they exist). */
  endpoints: pulumi.Resource[];
}

export const tcp = (port: number) => ({ ipProtocol: "tcp", fromPort: port, toPort: port });

export function labNetwork(name: string, args: AuroraLabArgs, component: pulumi.ComponentResource): LabNetwork {
  const parent = { parent: component };
  const tags = args.tags;
  const named = (n: string) => ({ ...tags, Name: n });

  const [publicCidr, privateCidrA, privateCidrB] = quarterCidr(args.vpcCidr);
  const zones = aws.getAvailabilityZonesOutput({ state: "available" }, parent).names.apply((names) => {
    if (names.length < 2) throw new Error(`AuroraLab needs two availability zones in ${args.region}, found ${names.length}`);
    return names.slice(0, 2);
  });
  const vpc = new aws.ec2.Vpc(`${name}-vpc`, { cidrBlock: args.vpcCidr, enableDnsSupport: true, enableDnsHostnames: true, tags: named(`${name}-vpc`) }, parent);
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
  privateSubnets.forEach((s, i) => new aws.ec2.RouteTableAssociation(`${name}-private-${"ab"[i]}`, { subnetId: s.id, routeTableId: privateRoutes.id }, parent));
  if (args.natGateway) {
    const eip = new aws.ec2.Eip(`${name}-nat-eip`, { domain: "vpc", tags: named(`${name}-nat`) }, parent);
    const nat = new aws.ec2.NatGateway(
      `${name}-nat`,
      { subnetId: publicSubnet.id, allocationId: eip.id, connectivityType: "public", tags: named(`${name}-nat`) },
      { parent: component, dependsOn: [igw] },
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
    {
      securityGroupId: lambdaSg.id,
      cidrIpv4: "0.0.0.0/0",
      ...tcp(HTTPS_PORT),
      description: "HTTPS to AWS APIs (VPC endpoints; the internet only through a NAT gateway)",
    },
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
    {
      securityGroupId: clientSg.id,
      referencedSecurityGroupId: vpce.securityGroup!.id,
      ...tcp(HTTPS_PORT),
      description: "HTTPS to the VPC interface endpoints",
    },
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
  return { vpc, publicSubnet, privateSubnets, privateRoutes, clientSg, dbSg, lambdaSg, endpoints };
}
