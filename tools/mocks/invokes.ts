/**
 * Invokes (data sources) as the provider answers them in `aws-cn`: `getPartition` -> `aws-cn` /
 * `amazonaws.com.cn`, `getServicePrincipal` follows the provider's China table, caller identity,
 * region, availability zones (Beijing a/b/d, Ningxia a/b/c), SSM public AMI parameters, existing log
 * groups, VPC endpoint services. An invoke the mocks do not know fails loudly, so a test never runs
 * on a made-up answer.
 */
import type * as pulumi from "@pulumi/pulumi";
import { describeVpcEndpointService } from "../mock-vpc-endpoint-services";
import { ACCOUNT_ID, AVAILABILITY_ZONES, DNS_SUFFIX, EXISTING_LOG_GROUPS, PARTITION, SSM_PUBLIC_PARAMETERS } from "./aws-cn";
import { servicePrincipalSuffix } from "./principals";

/** The provider's answer to `args` for a stack in `defaultRegion` and `accountId`; throws where the provider fails. */
export function answerInvoke(args: pulumi.runtime.MockCallArgs, defaultRegion: string, accountId: string): Record<string, any> {
  const region: string = args.inputs.region ?? defaultRegion;
  // These mocks are the aws-cn partition: a provider configured for another region would not
  // get aws-cn answers (with China credentials it is refused outright), so nothing is made up.
  if (!AVAILABILITY_ZONES[region]) {
    throw new Error(`mock: region ${JSON.stringify(region)} is not in aws-cn; these mocks answer for ${Object.keys(AVAILABILITY_ZONES).join(", ")} only`);
  }
  switch (args.token) {
    case "aws:index/getPartition:getPartition":
      return { id: PARTITION, partition: PARTITION, dnsSuffix: DNS_SUFFIX, reverseDnsPrefix: "cn.com.amazonaws" };
    case "aws:index/getRegion:getRegion":
      return {
        id: region,
        name: region,
        region,
        endpoint: `ec2.${region}.${DNS_SUFFIX}`,
        description: region === "cn-north-1" ? "China (Beijing)" : "China (Ningxia)",
      };
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return { id: accountId, accountId, arn: `arn:${PARTITION}:iam::${accountId}:user/deployer`, userId: "AIDAEXAMPLEDEPLOYER" };
    case "aws:index/getServicePrincipal:getServicePrincipal": {
      const service: string = args.inputs.serviceName;
      const suffix = servicePrincipalSuffix(service, region);
      return { id: `${service}.${region}.${suffix}`, name: `${service}.${suffix}`, serviceName: service, suffix, region };
    }
    case "aws:index/getAvailabilityZones:getAvailabilityZones": {
      const zones = AVAILABILITY_ZONES[region];
      if (!zones) throw new Error(`mock: no availability zones for region ${region}`);
      return { id: region, names: zones.names, zoneIds: zones.zoneIds, groupNames: [region], region };
    }
    case "aws:ssm/getParameter:getParameter": {
      const value = SSM_PUBLIC_PARAMETERS[args.inputs.name];
      if (value === undefined) throw new Error(`mock: ParameterNotFound: ${args.inputs.name}`);
      return {
        id: args.inputs.name,
        name: args.inputs.name,
        value,
        insecureValue: value,
        type: "String",
        version: 1,
        arn: `arn:${PARTITION}:ssm:${region}::parameter${args.inputs.name}`,
      };
    }
    case "aws:cloudwatch/getLogGroups:getLogGroups": {
      const prefix: string = args.inputs.logGroupNamePrefix ?? "";
      const names = (EXISTING_LOG_GROUPS[region] ?? []).filter((n) => n.startsWith(prefix));
      return {
        id: region,
        logGroupNamePrefix: args.inputs.logGroupNamePrefix,
        logGroupNames: names,
        arns: names.map((n) => `arn:${PARTITION}:logs:${region}:${accountId}:log-group:${n}`),
        region,
      };
    }
    case "aws:ec2/getVpcEndpointService:getVpcEndpointService":
      // As the provider does it: `service` -> `com.amazonaws.<region>.<service>`, which fails
      // where China names the service `cn.com.amazonaws...` (tools/mock-vpc-endpoint-services.ts).
      return describeVpcEndpointService(args.inputs, region, {
        partition: PARTITION,
        dnsSuffix: DNS_SUFFIX,
        accountId: ACCOUNT_ID,
        availabilityZones: AVAILABILITY_ZONES[region]?.names ?? [],
      });
    default:
      throw new Error(`mock: no answer for invoke ${args.token}; add one to tools/mocks/invokes.ts that matches the aws-cn provider`);
  }
}
