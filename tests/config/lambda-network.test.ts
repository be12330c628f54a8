/** The lambdaNetwork config section (stacks/config/lambda-network.ts): its fields, and its rules tested directly. */
import { parseConfig } from "../../stacks/config";
import { lambdaNetworkProblems } from "../../stacks/config/lambda-network";
import { backupStackConfig, configErrorOf } from "../helpers/config";

const REGION = { "aws:region": "cn-north-1" };
const defaults = () => parseConfig(REGION, "cn-north-1");
const net = {
  subnetIds: ["subnet-0aaaaaaaaaaaaaaaa"],
  securityGroupIds: ["sg-0cccccccccccccccc"],
  vpcId: "vpc-0dddddddddddddddd",
  routeTableIds: ["rtb-0eeeeeeeeeeeeeeee"],
};
/** `net` with a second subnet (as the stack tests plan it). */
const TWO_SUBNETS = { ...net, subnetIds: ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"] };
/** The rule's input: the defaults with `lambdaNetwork` (and `auroraLab.enabled`) changed. */
const input = (over: Partial<ReturnType<typeof defaults>["lambdaNetwork"]>, auroraLabEnabled = false) => {
  const d = defaults();
  return { ...d, auroraLab: { ...d.auroraLab, enabled: auroraLabEnabled }, lambdaNetwork: { ...d.lambdaNetwork, ...over } };
};
const keysOf = (over: Parameters<typeof input>[0], lab = false) => lambdaNetworkProblems(input(over, lab)).map((p) => p.key);

const problems = (lambdaNetwork: unknown): string => configErrorOf({ ...REGION, "cn-log-backup:lambdaNetwork": JSON.stringify(lambdaNetwork) }, "cn-north-1");

describe("lambdaNetwork config", () => {
  test("defaults: outside any VPC, endpoints created when subnets are given", () => {
    expect(defaults().lambdaNetwork).toEqual({
      subnetIds: [],
      securityGroupIds: [],
      vpcId: undefined,
      routeTableIds: [],
      useAuroraLabVpc: false,
      createEndpoints: true,
    });
    expect(lambdaNetworkProblems(defaults())).toEqual([]);
  });

  test("a complete network, or subnets with createEndpoints false and no vpcId, passes", () => {
    expect(keysOf(net)).toEqual([]);
    expect(keysOf({ subnetIds: net.subnetIds, securityGroupIds: net.securityGroupIds, createEndpoints: false })).toEqual([]);
  });

  test("with vpcId but no route tables, the key to fix is routeTableIds", () => {
    const found = lambdaNetworkProblems(input({ ...net, routeTableIds: [] }));
    expect(found).toEqual([
      {
        key: "cn-log-backup:lambdaNetwork.routeTableIds",
        message: "is required to create the functions' VPC endpoints; set it, or createEndpoints: false when the endpoints already exist",
      },
    ]);
  });

  test("the AuroraLab VPC is one network source and subnetIds the other, and the lab must be on", () => {
    expect(keysOf({ useAuroraLabVpc: true }, true)).toEqual([]);
    expect(lambdaNetworkProblems(input({ ...net, useAuroraLabVpc: true }, true))).toEqual([
      { key: "cn-log-backup:lambdaNetwork.useAuroraLabVpc", message: "true together with subnetIds; expected one of the two" },
    ]);
    expect(keysOf({ useAuroraLabVpc: true }, false)).toEqual(["cn-log-backup:lambdaNetwork.useAuroraLabVpc"]);
  });

  test("a key that failed to parse counts as empty, so it is not reported twice", () => {
    const d = input({});
    expect(lambdaNetworkProblems({ ...d, lambdaNetwork: { ...d.lambdaNetwork, subnetIds: undefined as unknown as string[] } })).toEqual([]);
    expect(lambdaNetworkProblems({ stack: "s" })).toEqual([]);
  });

  test("ids of the wrong kind name the key, the item and what is allowed", () => {
    expect(problems({ ...net, routeTableIds: ["rt-1"] })).toContain(
      'cn-log-backup:lambdaNetwork.routeTableIds: ["rt-1"] is not allowed; expected a list of a route table id (rtb-...) (item 0: "rt-1" is not a route table id (rtb-...))',
    );
    expect(problems({ ...net, securityGroupIds: ["sg-1"] })).toContain('item 0: "sg-1" is not a security group id (sg-...)');
    expect(problems({ ...net, createEndpoints: "no" })).toContain('cn-log-backup:lambdaNetwork.createEndpoints: "no" is not allowed; expected true or false');
  });

  describe("parsed in the backup stack with both regions set, with two subnets", () => {
    const errorOf = (sections: Record<string, unknown>) => configErrorOf(backupStackConfig(sections), "cn-northwest-1");
    const net = TWO_SUBNETS;

    test("bad combinations fail with the key to fix", () => {
      const primary = (extra: Record<string, unknown>) => errorOf({ ...extra });
      expect(primary({ lambdaNetwork: { subnetIds: net.subnetIds } })).toContain("cn-log-backup:lambdaNetwork.securityGroupIds: is empty but subnetIds is set");
      expect(primary({ lambdaNetwork: { securityGroupIds: net.securityGroupIds } })).toContain(
        "cn-log-backup:lambdaNetwork.subnetIds: is empty but securityGroupIds is set",
      );
      expect(primary({ lambdaNetwork: { subnetIds: net.subnetIds, securityGroupIds: net.securityGroupIds } })).toContain(
        "cn-log-backup:lambdaNetwork.vpcId: is required to create the functions' VPC endpoints",
      );
      expect(primary({ lambdaNetwork: { useAuroraLabVpc: true } })).toContain(
        "cn-log-backup:lambdaNetwork.useAuroraLabVpc: true but auroraLab.enabled is false",
      );
      expect(primary({ lambdaNetwork: { subnetIds: ["subnet-xyz"] } })).toContain('item 0: "subnet-xyz" is not a subnet id (subnet-...)');
      expect(primary({ lambdaNetwork: { ...net, vpcId: "vpc-1" } })).toContain(
        'cn-log-backup:lambdaNetwork.vpcId: "vpc-1" is not allowed; expected a VPC id (vpc-...)',
      );
    });
  });
});
