/** stacks/args/lambda-network.ts: config `lambdaNetwork.*` -> the functions' VPC config and their endpoints' Args. */
import { parseConfig } from "../../../stacks/config";
import { LAMBDA_GATEWAY_ENDPOINTS, LAMBDA_INTERFACE_ENDPOINTS, labPrivateNetwork, lambdaNetworkArgs } from "../../../stacks/args/lambda-network";

const REGION = { "aws:region": "cn-north-1" };
const cfgWith = (net?: Record<string, unknown>, labEnabled = false) =>
  parseConfig(
    {
      ...REGION,
      ...(net ? { "cn-log-backup:lambdaNetwork": JSON.stringify(net) } : {}),
      ...(labEnabled ? { "cn-log-backup:auroraLab": JSON.stringify({ enabled: true }) } : {}),
    },
    "cn-north-1",
  );
const given = {
  subnetIds: ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"],
  securityGroupIds: ["sg-0cccccccccccccccc"],
  vpcId: "vpc-0dddddddddddddddd",
  routeTableIds: ["rtb-0eeeeeeeeeeeeeeee"],
};
const lab = {
  vpcId: "vpc-0lab0000000000000",
  privateSubnetIds: ["subnet-0lab000000000001", "subnet-0lab000000000002"],
  privateRouteTableIds: ["rtb-0lab000000000000"],
  lambdaSecurityGroupId: "sg-0lab0000000000000",
  endpointServices: ["logs", "s3", "ssm"],
};

describe("lambdaNetworkArgs", () => {
  test("default: outside any VPC, no endpoints", () => {
    expect(lambdaNetworkArgs(cfgWith(), {})).toBeUndefined();
  });

  test("given subnets: lambdaNetwork.subnetIds/securityGroupIds as the VPC config; endpoints in lambdaNetwork.vpcId on its route tables", () => {
    const args = lambdaNetworkArgs(cfgWith(given), { project: "t" })!;
    expect(args.vpc).toEqual({ subnetIds: given.subnetIds, securityGroupIds: given.securityGroupIds });
    expect(args.endpoints).toEqual({
      vpcId: given.vpcId,
      subnetIds: given.subnetIds,
      routeTableIds: given.routeTableIds,
      clientSecurityGroupIds: given.securityGroupIds,
      interfaceServices: ["rds", "sqs", "backup", "logs", "kms", "sts"],
      gatewayServices: ["s3", "dynamodb"],
      tags: { project: "t" },
    });
  });

  test("lambdaNetwork.createEndpoints false: the VPC config only", () => {
    expect(lambdaNetworkArgs(cfgWith({ ...given, createEndpoints: false }), {})).toEqual({
      vpc: { subnetIds: given.subnetIds, securityGroupIds: given.securityGroupIds },
    });
  });

  test("useAuroraLabVpc: the lab's private subnets and Lambda security group; endpoints the lab already has are not made again", () => {
    const args = lambdaNetworkArgs(cfgWith({ useAuroraLabVpc: true }, true), {}, labPrivateNetwork(lab))!;
    expect(args.vpc).toEqual({ subnetIds: lab.privateSubnetIds, securityGroupIds: [lab.lambdaSecurityGroupId] });
    expect(args.endpoints).toMatchObject({ vpcId: lab.vpcId, routeTableIds: lab.privateRouteTableIds, clientSecurityGroupIds: [lab.lambdaSecurityGroupId] });
    expect(args.endpoints!.interfaceServices).toEqual(LAMBDA_INTERFACE_ENDPOINTS.filter((s) => s !== "logs"));
    expect(args.endpoints!.gatewayServices).toEqual(LAMBDA_GATEWAY_ENDPOINTS.filter((s) => s !== "s3"));
  });

  test("useAuroraLabVpc without the lab's network is refused by name", () => {
    expect(() => lambdaNetworkArgs(cfgWith({ useAuroraLabVpc: true }, true), {})).toThrow(
      "lambdaNetwork.useAuroraLabVpc is true but the AuroraLab network is not available",
    );
  });
});

describe("labPrivateNetwork", () => {
  test("the lab's outputs of the PrivateNetwork shape, and nothing else of the lab", () => {
    expect(labPrivateNetwork({ ...lab, clientInstanceId: "i-0123" } as typeof lab)).toEqual(lab);
  });
});
