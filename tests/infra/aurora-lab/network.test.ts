/**
 * AuroraLab's network (infra/aurora-lab/network.ts) in the Beijing stack under the aws-cn mocks
 * (Pulumi.cn-north-1.yaml turns the lab on): subnets, routes, endpoints, security groups.
 */
import { ofType, one, runStack } from "../../helpers/pulumi";
import type { ResourceRecord } from "../../../tools/types";
import { type Run } from "./lab-helpers";

describe("AuroraLab in the Beijing stack", () => {
  let run: Run;
  beforeAll(async () => {
    run = await runStack("cn-north-1");
  });

  const sg = (suffix: string) => one(run, "aws:ec2/securityGroup:SecurityGroup", suffix);

  test("one public and two private subnets, in two availability zones, none mapping public IPs", () => {
    const vpc = one(run, "aws:ec2/vpc:Vpc", "aurora-lab-vpc");
    expect(vpc.inputs.cidrBlock).toBe("10.42.0.0/16");
    expect(vpc.inputs.enableDnsSupport).toBe(true);
    expect(vpc.inputs.enableDnsHostnames).toBe(true);
    const subnets = ofType(run, "aws:ec2/subnet:Subnet").filter((s) => s.name.startsWith("aurora-lab"));
    expect(subnets.map((s) => [s.name, s.inputs.availabilityZone, s.inputs.cidrBlock]).sort()).toEqual([
      ["aurora-lab-private-a", "cn-north-1a", "10.42.64.0/18"],
      ["aurora-lab-private-b", "cn-north-1b", "10.42.128.0/18"],
      ["aurora-lab-public-a", "cn-north-1a", "10.42.0.0/18"],
    ]);
    for (const s of subnets) {
      expect(s.inputs.vpcId).toBe(vpc.id);
      expect(s.inputs.mapPublicIpOnLaunch).toBe(false);
    }
  });

  test("only the public subnet routes to the internet gateway; no NAT gateway by default", () => {
    const igw = one(run, "aws:ec2/internetGateway:InternetGateway", "aurora-lab-igw");
    const routes = ofType(run, "aws:ec2/route:Route").filter((r) => r.name.startsWith("aurora-lab"));
    expect(routes).toHaveLength(1);
    const publicRt = one(run, "aws:ec2/routeTable:RouteTable", "aurora-lab-public-rt");
    expect(routes[0].inputs).toMatchObject({ routeTableId: publicRt.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id });
    const assoc = ofType(run, "aws:ec2/routeTableAssociation:RouteTableAssociation");
    const publicSubnet = one(run, "aws:ec2/subnet:Subnet", "aurora-lab-public-a");
    const privateRt = one(run, "aws:ec2/routeTable:RouteTable", "aurora-lab-private-rt");
    expect(assoc.filter((a) => a.inputs.routeTableId === publicRt.id).map((a) => a.inputs.subnetId)).toEqual([publicSubnet.id]);
    expect(
      assoc
        .filter((a) => a.inputs.routeTableId === privateRt.id)
        .map((a) => a.inputs.subnetId)
        .sort(),
    ).toEqual(["aurora-lab-private-a", "aurora-lab-private-b"].map((n) => one(run, "aws:ec2/subnet:Subnet", n).id).sort());
    expect(ofType(run, "aws:ec2/natGateway:NatGateway")).toHaveLength(0);
    expect(ofType(run, "aws:ec2/eip:Eip")).toHaveLength(0);
  });

  test("VPC endpoints for Session Manager, the agent and Secrets Manager, with the service names AWS gives", () => {
    const privateIds = ["aurora-lab-private-a", "aurora-lab-private-b"].map((n) => one(run, "aws:ec2/subnet:Subnet", n).id);
    const asked = run.invokes.filter((i) => i.token === "aws:ec2/getVpcEndpointService:getVpcEndpointService");
    // Looked up by a service-name filter over both China forms (infra/vpc-endpoints.ts).
    const answer = (service: string, type: string) =>
      asked.find((i) => i.args.serviceType === type && i.args.filters?.[0]?.values?.includes(`com.amazonaws.cn-north-1.${service}`))!.result.serviceName;
    const endpoints = ofType(run, "aws:ec2/vpcEndpoint:VpcEndpoint").filter((e) => e.name.startsWith("aurora-lab-vpce-"));
    const services = ["ssm", "ssmmessages", "ec2messages", "logs", "monitoring", "secretsmanager"];
    expect(endpoints.map((e) => e.name).sort()).toEqual([...services, "s3"].map((s) => `aurora-lab-vpce-${s}`).sort());
    const vpceSg = one(run, "aws:ec2/securityGroup:SecurityGroup", "aurora-lab-vpce-endpoints-sg");
    for (const service of services) {
      const e = one(run, "aws:ec2/vpcEndpoint:VpcEndpoint", `aurora-lab-vpce-${service}`);
      expect(e.inputs.serviceName).toBe(answer(service, "Interface"));
      expect(e.inputs).toMatchObject({ vpcEndpointType: "Interface", privateDnsEnabled: true, securityGroupIds: [vpceSg.id] });
      expect([...e.inputs.subnetIds].sort()).toEqual([...privateIds].sort());
    }
    const s3 = one(run, "aws:ec2/vpcEndpoint:VpcEndpoint", "aurora-lab-vpce-s3");
    expect(s3.inputs.serviceName).toBe(answer("s3", "Gateway"));
    expect(s3.inputs.serviceName).toBe("com.amazonaws.cn-north-1.s3");
    expect(s3.inputs).toMatchObject({ vpcEndpointType: "Gateway", routeTableIds: [one(run, "aws:ec2/routeTable:RouteTable", "aurora-lab-private-rt").id] });
  });

  test("security groups: the database admits 3306 only from the client; the client admits nothing", () => {
    const client = sg("aurora-lab-client-sg").id;
    const dbSg = sg("aurora-lab-db-sg").id;
    const lambdaSg = sg("aurora-lab-lambda-sg").id;
    const vpceSg = one(run, "aws:ec2/securityGroup:SecurityGroup", "aurora-lab-vpce-endpoints-sg");
    const s3PrefixList = one(run, "aws:ec2/vpcEndpoint:VpcEndpoint", "aurora-lab-vpce-s3").state.prefixListId;
    expect(s3PrefixList).toMatch(/^pl-/);
    const rule = (r: ResourceRecord) => ({
      sg: r.inputs.securityGroupId,
      proto: r.inputs.ipProtocol,
      from: r.inputs.fromPort,
      to: r.inputs.toPort,
      peer: r.inputs.referencedSecurityGroupId ?? r.inputs.cidrIpv4 ?? r.inputs.prefixListId,
    });
    const ingress = ofType(run, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map(rule);
    const egress = ofType(run, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").map(rule);
    expect(ingress).toEqual([{ sg: dbSg, proto: "tcp", from: 3306, to: 3306, peer: client }]);
    expect(egress).toEqual(
      expect.arrayContaining([
        { sg: client, proto: "tcp", from: 3306, to: 3306, peer: dbSg },
        { sg: client, proto: "tcp", from: 443, to: 443, peer: vpceSg.id },
        { sg: client, proto: "tcp", from: 443, to: 443, peer: s3PrefixList },
        { sg: lambdaSg, proto: "tcp", from: 443, to: 443, peer: "0.0.0.0/0" },
      ]),
    );
    expect(egress).toHaveLength(4);
    // the endpoints admit HTTPS from the client and the functions' group, and send nothing
    expect(vpceSg.inputs.ingress).toEqual([expect.objectContaining({ protocol: "tcp", fromPort: 443, toPort: 443, securityGroups: [client, lambdaSg] })]);
    expect(vpceSg.inputs.egress).toEqual([]);
    // no other inline rules that would bypass the explicit ones
    for (const g of ofType(run, "aws:ec2/securityGroup:SecurityGroup").filter((g) => g.urn !== vpceSg.urn)) {
      expect(g.inputs.ingress ?? []).toEqual([]);
      expect(g.inputs.egress ?? []).toEqual([]);
    }
    const def = one(run, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "aurora-lab-default-sg");
    expect(def.inputs.ingress ?? []).toEqual([]);
    expect(def.inputs.egress ?? []).toEqual([]);
  });
});
