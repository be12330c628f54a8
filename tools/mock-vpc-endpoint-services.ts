/**
 * The `aws:ec2/getVpcEndpointService` data source as the provider implements it, against a catalogue
 * of the endpoint services that exist in the China regions.
 *
 * Provider (hashicorp/terraform-provider-aws, data source `aws_vpc_endpoint_service`,
 * https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/ec2/vpc_endpoint_service_data_source.go):
 * - `service_name` is sent as `ServiceNames: [name]`; otherwise `service` becomes
 *   `fmt.Sprintf("com.amazonaws.%s.%s", region, service)`, whatever the partition;
 * - `service_type` becomes the filter `service-type`; `filter` blocks are passed to
 *   DescribeVpcEndpointServices as they are (`service-name` matches any of its values);
 * - no match: error "no matching EC2 VPC Endpoint Service found"; more than one: error "multiple
 *   EC2 VPC Endpoint Services matched; use additional constraints ...".
 * The pinned @pulumi/aws 7.48.0 documents the same (node_modules/@pulumi/aws/ec2/getVpcEndpointService.d.ts):
 * "Specifying `service` will not work for ... AWS services that don't follow the standard
 * `serviceName` pattern of `com.amazonaws.<region>.<service>`".
 */
import * as crypto from "crypto";

/** The services the AWS CDK table cited on CN_PREFIXED_INTERFACE_SERVICES lists for both China regions. */
const CN_PREFIXED_IN_BOTH_REGIONS = [
  "application-autoscaling",
  "appmesh-envoy-management",
  "athena",
  "autoscaling",
  "awsconnector",
  "backup",
  "batch",
  "cassandra",
  "cloudcontrolapi",
  "cloudformation",
  "codedeploy-commands-secure",
  "databrew",
  "dms",
  "ebs",
  "ec2",
  "ecr.api",
  "ecr.dkr",
  "eks",
  "elasticache",
  "elasticbeanstalk",
  "elasticfilesystem",
  "elasticfilesystem-fips",
  "emr-containers",
  "execute-api",
  "fsx",
  "imagebuilder",
  "iot.data",
  "kinesis-streams",
  "lambda",
  "license-manager",
  "monitoring",
  "rds",
  "redshift",
  "redshift-data",
  "s3",
  "sagemaker.api",
  "sagemaker.featurestore-runtime",
  "sagemaker.runtime",
  "securityhub",
  "servicecatalog",
  "sms",
  "sqs",
  "states",
  "sts",
  "sync-states",
  "synthetics",
  "transcribe",
  "transcribestreaming",
  "transfer",
  "xray",
];

/** One China region's set: the services both regions have and those only it has, in the table's (alphabetical) order. */
function cnPrefixedServices(onlyInThisRegion: readonly string[]): ReadonlySet<string> {
  return new Set([...CN_PREFIXED_IN_BOTH_REGIONS, ...onlyInThisRegion].sort());
}

/**
 * Interface endpoint services named `cn.com.amazonaws.<region>.<service>` in the China regions: the
 * AWS CDK's table, `InterfaceVpcEndpointAwsService.getDefaultEndpointPrefix` in
 * https://github.com/aws/aws-cdk/blob/main/packages/aws-cdk-lib/aws-ec2/lib/vpc-endpoint.ts
 * (VPC_ENDPOINT_SERVICE_EXCEPTIONS for cn-north-1 / cn-northwest-1).
 */
export const CN_PREFIXED_INTERFACE_SERVICES: Record<string, ReadonlySet<string>> = {
  "cn-north-1": cnPrefixedServices(["iotsitewise.api", "iotsitewise.data"]),
  "cn-northwest-1": cnPrefixedServices(["account", "polly", "workspaces"]),
};

/**
 * Interface endpoint services this program uses that keep the standard `com.amazonaws.<region>.<service>`
 * name in China (the CDK table's default for services it does not list). A service in neither set
 * is unknown here and matches nothing, so a new endpoint must be looked up and added with its source.
 */
export const STANDARD_INTERFACE_SERVICES = new Set(["ssm", "ssmmessages", "ec2messages", "logs", "kms", "secretsmanager"]);

/** Gateway endpoint services: `com.amazonaws.<region>.<service>` in every partition. */
export const GATEWAY_SERVICES = new Set(["s3", "dynamodb"]);

export interface EndpointServiceDetail {
  serviceName: string;
  serviceType: "Interface" | "Gateway";
  service: string;
}

/** Every endpoint service the catalogue knows in `region` (China regions only). */
export function endpointServicesIn(region: string): EndpointServiceDetail[] {
  const cn = CN_PREFIXED_INTERFACE_SERVICES[region];
  if (!cn) return [];
  const out: EndpointServiceDetail[] = [];
  for (const service of cn) out.push({ serviceName: `cn.com.amazonaws.${region}.${service}`, serviceType: "Interface", service });
  for (const service of STANDARD_INTERFACE_SERVICES) out.push({ serviceName: `com.amazonaws.${region}.${service}`, serviceType: "Interface", service });
  for (const service of GATEWAY_SERVICES) out.push({ serviceName: `com.amazonaws.${region}.${service}`, serviceType: "Gateway", service });
  return out;
}

interface Filter {
  name: string;
  values: string[];
}

function hex(seed: string, length: number): string {
  return crypto.createHash("sha256").update(seed).digest("hex").slice(0, length);
}

/** The data source's answer for `inputs` in `region`, or the provider's error. */
export function describeVpcEndpointService(
  inputs: Record<string, any>,
  region: string,
  ctx: { partition: string; dnsSuffix: string; accountId: string; availabilityZones: string[] },
): Record<string, any> {
  if (inputs.service !== undefined && inputs.serviceName !== undefined) {
    throw new Error('"service": conflicts with service_name');
  }
  let requested: string | undefined = inputs.serviceName;
  if (requested === undefined && inputs.service !== undefined) requested = `com.amazonaws.${region}.${inputs.service}`;

  const filters: Filter[] = [...((inputs.filters as Filter[] | undefined) ?? [])];
  if (inputs.serviceType) filters.push({ name: "service-type", values: [inputs.serviceType] });
  if (inputs.tags && Object.keys(inputs.tags).length > 0)
    throw new Error("mock: tag filters on AWS endpoint services match nothing (AWS services carry no tags)");

  const matches = endpointServicesIn(region).filter((d) => {
    if (requested !== undefined && d.serviceName !== requested) return false;
    return filters.every((f) => {
      if (f.name === "service-name") return f.values.includes(d.serviceName);
      if (f.name === "service-type") return f.values.includes(d.serviceType);
      throw new Error(`mock: filter ${f.name} not modelled`);
    });
  });
  if (matches.length === 0) throw new Error("reading EC2 VPC Endpoint Services: no matching EC2 VPC Endpoint Service found");
  if (matches.length > 1) {
    throw new Error("multiple EC2 VPC Endpoint Services matched; use additional constraints to reduce matches to a single EC2 VPC Endpoint Service");
  }
  const d = matches[0];
  const serviceId = `vpce-svc-${hex(d.serviceName + d.serviceType, 17)}`;
  const dns = `${d.service}.${region}.${ctx.dnsSuffix}`;
  return {
    id: d.serviceName,
    filters: inputs.filters,
    service: inputs.service,
    serviceName: d.serviceName,
    serviceType: d.serviceType,
    serviceId,
    owner: "amazon",
    acceptanceRequired: false,
    availabilityZones: ctx.availabilityZones,
    baseEndpointDnsNames: [dns],
    privateDnsName: d.serviceType === "Interface" ? dns : "",
    privateDnsNames: d.serviceType === "Interface" ? [dns] : [],
    managesVpcEndpoints: false,
    vpcEndpointPolicySupported: true,
    supportedIpAddressTypes: ["ipv4"],
    region,
    serviceRegion: region,
    arn: `arn:${ctx.partition}:ec2:${region}:${ctx.accountId}:vpc-endpoint-service/${serviceId}`,
    tags: {},
  };
}
