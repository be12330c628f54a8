import { AwsCnMocks } from "../../tools/mocks";
import { endpointServiceNameCandidates } from "../../infra/vpc-endpoints";
import { ofType, runStack } from "../../tools/harness";
import { runVariant, variant, ALL_OPTIONS } from "../../tools/variants";

const TOKEN = "aws:ec2/getVpcEndpointService:getVpcEndpointService";

function ask(inputs: Record<string, unknown>, region = "cn-north-1") {
  return new AwsCnMocks({ region }).call({ token: TOKEN, inputs } as any);
}

describe("the getVpcEndpointService mock answers as the provider does", () => {
  test("`service` becomes com.amazonaws.<region>.<service>: found where China keeps that name", () => {
    expect(ask({ service: "logs", serviceType: "Interface" }).serviceName).toBe("com.amazonaws.cn-north-1.logs");
    expect(ask({ service: "s3", serviceType: "Gateway" }).serviceName).toBe("com.amazonaws.cn-north-1.s3");
  });

  test.each(["monitoring", "rds", "sqs", "sts", "backup", "ec2"])("`service: %s` fails in China (cn.com.amazonaws there)", (service) => {
    expect(() => ask({ service, serviceType: "Interface" })).toThrow("no matching EC2 VPC Endpoint Service found");
    expect(() => ask({ service, serviceType: "Interface" }, "cn-northwest-1")).toThrow("no matching EC2 VPC Endpoint Service found");
  });

  test("the S3 interface endpoint is cn.com.amazonaws, the gateway com.amazonaws; `service: s3` finds only the gateway", () => {
    expect(() => ask({ service: "s3", serviceType: "Interface" })).toThrow("no matching EC2 VPC Endpoint Service found");
    expect(ask({ serviceName: "cn.com.amazonaws.cn-north-1.s3", serviceType: "Interface" }).serviceType).toBe("Interface");
    expect(() => ask({ serviceName: "cn.com.amazonaws.cn-north-1.s3", serviceType: "Gateway" })).toThrow("no matching");
  });

  test("a serviceName or a service-name filter answers only names that exist", () => {
    expect(ask({ serviceName: "cn.com.amazonaws.cn-north-1.monitoring" }).serviceName).toBe("cn.com.amazonaws.cn-north-1.monitoring");
    expect(() => ask({ serviceName: "com.amazonaws.cn-north-1.monitoring" })).toThrow("no matching");
    const both = (s: string) => [{ name: "service-name", values: endpointServiceNameCandidates(s, "cn-north-1", "cn.com.amazonaws") }];
    expect(ask({ filters: both("sqs"), serviceType: "Interface" }).serviceName).toBe("cn.com.amazonaws.cn-north-1.sqs");
    expect(ask({ filters: both("kms"), serviceType: "Interface" }).serviceName).toBe("com.amazonaws.cn-north-1.kms");
    expect(() => ask({ filters: both("not-a-service"), serviceType: "Interface" })).toThrow("no matching");
    // Without a type, both S3 offerings match: the provider refuses to pick one.
    expect(() => ask({ filters: both("s3") })).toThrow("multiple EC2 VPC Endpoint Services matched");
  });

  test("service and serviceName conflict, as in the provider's schema", () => {
    expect(() => ask({ service: "logs", serviceName: "com.amazonaws.cn-north-1.logs" })).toThrow("conflicts with service_name");
  });

  test("endpointServiceNameCandidates: both China forms, one name elsewhere", () => {
    expect(endpointServiceNameCandidates("sts", "cn-north-1", "cn.com.amazonaws")).toEqual(["com.amazonaws.cn-north-1.sts", "cn.com.amazonaws.cn-north-1.sts"]);
    expect(endpointServiceNameCandidates("sts", "us-east-1", "com.amazonaws")).toEqual(["com.amazonaws.us-east-1.sts"]);
  });
});

/** The endpoints a run created, by logical-name suffix, with the service name each was given. */
function endpointNames(run: Awaited<ReturnType<typeof runStack>>, prefix: string): Record<string, string> {
  return Object.fromEntries(
    ofType(run, "aws:ec2/vpcEndpoint:VpcEndpoint")
      .filter((e) => e.name.startsWith(prefix))
      .map((e) => [e.name.slice(prefix.length), e.inputs.serviceName as string]),
  );
}

describe("the stacks evaluate under the provider-faithful mock", () => {
  test("cn-north-1 with AuroraLab on (the default): every lab endpoint gets the name China gives it", async () => {
    const run = await runStack("cn-north-1");
    expect(endpointNames(run, "aurora-lab-vpce-")).toEqual({
      ssm: "com.amazonaws.cn-north-1.ssm",
      ssmmessages: "com.amazonaws.cn-north-1.ssmmessages",
      ec2messages: "com.amazonaws.cn-north-1.ec2messages",
      logs: "com.amazonaws.cn-north-1.logs",
      monitoring: "cn.com.amazonaws.cn-north-1.monitoring",
      secretsmanager: "com.amazonaws.cn-north-1.secretsmanager",
      s3: "com.amazonaws.cn-north-1.s3",
    });
    // Every lookup goes by name over both forms, never by `service`.
    const asked = run.invokes.filter((i) => i.token === TOKEN);
    expect(asked.length).toBeGreaterThan(0);
    for (const i of asked) expect(i.args.service).toBeUndefined();
  }, 300_000);

  test("in preview too", async () => {
    const run = await runStack("cn-north-1", { preview: true });
    expect(endpointNames(run, "aurora-lab-vpce-").monitoring).toBe("cn.com.amazonaws.cn-north-1.monitoring");
  }, 300_000);

  test("lambdaNetwork (functions in the lab VPC): rds, sqs, backup and sts are cn.com.amazonaws; kms and logs are not", async () => {
    const run = await runVariant("cn-north-1", variant(ALL_OPTIONS));
    const names = Object.values(endpointNames(run, ""));
    for (const s of ["rds", "sqs", "backup", "sts"]) expect(names).toContain(`cn.com.amazonaws.cn-north-1.${s}`);
    for (const s of ["kms", "logs"]) expect(names).toContain(`com.amazonaws.cn-north-1.${s}`);
    expect(names).toContain("com.amazonaws.cn-north-1.dynamodb");
  }, 300_000);
});
