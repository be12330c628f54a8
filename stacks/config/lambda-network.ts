/** The `lambdaNetwork` section: where the program's Lambda functions run (outside any VPC, or in private subnets). */
import type { RuleInput } from "./app-config";
import { configKey } from "./top-level";
import { ConfigProblem, Field, SECURITY_GROUP_ID, SUBNET_ID, VPC_ID, bool, list, optionalStr, section, str } from "./schema";

export const lambdaNetworkFields = {
  subnetIds: list(
    str("subnet", { pattern: SUBNET_ID, allowed: "a subnet id (subnet-...)" }),
    "Private subnets every Lambda function of the program runs in. Empty: functions run outside any VPC.",
  ),
  securityGroupIds: list(
    str("security group", { pattern: SECURITY_GROUP_ID, allowed: "a security group id (sg-...)" }),
    "Security groups of the functions; set together with subnetIds.",
  ),
  vpcId: optionalStr("The VPC of subnetIds, where the endpoints the functions need are created.", { pattern: VPC_ID, allowed: "a VPC id (vpc-...)" }),
  routeTableIds: list(
    str("route table", { pattern: /^rtb-[0-9a-f]{8}([0-9a-f]{9})?$/, allowed: "a route table id (rtb-...)" }),
    "Route tables of subnetIds, for the S3 and DynamoDB gateway endpoints.",
  ),
  useAuroraLabVpc: bool("Run the functions in the AuroraLab VPC's private subnets (needs auroraLab.enabled) instead of subnetIds.", false),
  createEndpoints: bool(
    "Create the VPC endpoints the functions need (RDS, S3, DynamoDB, SQS, Backup, CloudWatch Logs, KMS, STS). false: they already exist.",
    true,
  ),
} satisfies Record<string, Field<any>>;

export const lambdaNetworkSection = section("Where the program's Lambda functions run: outside any VPC (default) or in private subnets.", lambdaNetworkFields);

/** Subnets and security groups together, one network source, and what the endpoints need. */
export function lambdaNetworkProblems(cfg: RuleInput): ConfigProblem[] {
  if (!cfg.lambdaNetwork) return [];
  const problems: ConfigProblem[] = [];
  // A key that failed to parse is already reported; treat it as empty here.
  const net = {
    ...cfg.lambdaNetwork,
    subnetIds: cfg.lambdaNetwork.subnetIds ?? [],
    securityGroupIds: cfg.lambdaNetwork.securityGroupIds ?? [],
    routeTableIds: cfg.lambdaNetwork.routeTableIds ?? [],
  };
  const key = configKey("lambdaNetwork");
  if (net.subnetIds.length > 0 && net.securityGroupIds.length === 0) {
    problems.push({ key: `${key}.securityGroupIds`, message: "is empty but subnetIds is set; expected at least one security group id for the functions" });
  }
  if (net.securityGroupIds.length > 0 && net.subnetIds.length === 0) {
    problems.push({ key: `${key}.subnetIds`, message: "is empty but securityGroupIds is set; expected the private subnet ids the functions run in" });
  }
  if (net.useAuroraLabVpc && net.subnetIds.length > 0) {
    problems.push({ key: `${key}.useAuroraLabVpc`, message: "true together with subnetIds; expected one of the two" });
  }
  if (net.useAuroraLabVpc && !cfg.auroraLab?.enabled) {
    problems.push({ key: `${key}.useAuroraLabVpc`, message: "true but auroraLab.enabled is false; expected the lab to be on, or subnetIds" });
  }
  if (net.subnetIds.length > 0 && net.createEndpoints && (!net.vpcId || net.routeTableIds.length === 0)) {
    problems.push({
      key: `${key}.${net.vpcId ? "routeTableIds" : "vpcId"}`,
      message: "is required to create the functions' VPC endpoints; set it, or createEndpoints: false when the endpoints already exist",
    });
  }
  return problems;
}
