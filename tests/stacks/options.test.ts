/** Options that change what a stack plans, evaluated through the stacks (their config errors are in tests/config/<section>.test.ts). */
import { ACCOUNT_ID, ofType, one, runStack } from "../helpers/pulumi";

const DB = (id: string, region = "cn-north-1") => `arn:aws-cn:rds:${region}:${ACCOUNT_ID}:db:${id}`;

describe("RDS cross-Region automated backups (backup stack)", () => {
  test("off by default: nothing is replicated", async () => {
    const run = await runStack("cn-northwest-1");
    expect(ofType(run, "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication")).toHaveLength(0);
  });

  test("each listed instance is replicated to Ningxia with the retention, encrypted ones with a Ningxia key the stack creates", async () => {
    const run = await runStack("cn-northwest-1", {
      config: {
        rdsAutomatedBackups: {
          instances: [
            { dbInstanceArn: DB("orders"), engine: "postgres" },
            { dbInstanceArn: DB("legacy"), engine: "mysql", encrypted: false },
          ],
          retentionPeriodDays: 14,
        },
      },
    });
    const reps = ofType(run, "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication");
    expect(reps.map((r) => r.inputs.sourceDbInstanceArn).sort()).toEqual([DB("legacy"), DB("orders")]);
    for (const r of reps) {
      expect(r.inputs.retentionPeriod).toBe(14);
      expect(r.region).toBe("cn-northwest-1");
    }
    const key = one(run, "aws:kms/key:Key", "rds-automated-backups-key");
    expect(key.inputs.enableKeyRotation).toBe(true);
    expect(reps.find((r) => r.inputs.sourceDbInstanceArn === DB("orders"))!.inputs.kmsKeyId).toBe(key.state.arn);
    expect(reps.find((r) => r.inputs.sourceDbInstanceArn === DB("legacy"))!.inputs.kmsKeyId).toBeUndefined();
    expect(run.outputs.rdsAutomatedBackupsKeyArn).toBe(key.state.arn);
  });

  test("a given key is used and none is created", async () => {
    const given = `arn:aws-cn:kms:cn-northwest-1:${ACCOUNT_ID}:key/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee`;
    const run = await runStack("cn-northwest-1", {
      config: { rdsAutomatedBackups: { instances: [{ dbInstanceArn: DB("orders"), engine: "postgres" }], kmsKeyArn: given } },
    });
    expect(ofType(run, "aws:kms/key:Key").filter((k) => k.name.startsWith("rds-automated-backups"))).toHaveLength(0);
    expect(one(run, "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication", "orders").inputs.kmsKeyId).toBe(given);
  });
});

describe("Lambdas inside a VPC: endpoints (primary stack)", () => {
  // The functions' endpoints only (the Beijing stack file also turns on the AuroraLab, which has its own).
  const lambdaEndpoints = (run: Awaited<ReturnType<typeof runStack>>) =>
    ofType(run, "aws:ec2/vpcEndpoint:VpcEndpoint").filter((e) => e.name.startsWith("lambda-endpoints-"));
  const net = {
    subnetIds: ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"],
    securityGroupIds: ["sg-0ccccccccccccccccc".slice(0, 20)],
    vpcId: "vpc-0ddddddddddddddddd".slice(0, 21),
    routeTableIds: ["rtb-0eeeeeeeeeeeeeeee"],
  };

  test("off by default: no endpoints", async () => {
    const run = await runStack("cn-north-1");
    expect(lambdaEndpoints(run)).toHaveLength(0);
  });

  test("with subnets, the interface and gateway endpoints the functions need, with China service names", async () => {
    const run = await runStack("cn-north-1", { config: { lambdaNetwork: net } });
    const eps = lambdaEndpoints(run);
    const byName = Object.fromEntries(eps.map((e) => [e.inputs.serviceName, e]));
    const names: Record<string, string> = {
      rds: "cn.com.amazonaws.cn-north-1.rds",
      sqs: "cn.com.amazonaws.cn-north-1.sqs",
      sts: "cn.com.amazonaws.cn-north-1.sts",
      backup: "cn.com.amazonaws.cn-north-1.backup", // the AWS CDK China table (tools/mock-vpc-endpoint-services.ts)
      logs: "com.amazonaws.cn-north-1.logs",
      kms: "com.amazonaws.cn-north-1.kms",
    };
    for (const svc of Object.keys(names)) {
      const e = byName[names[svc]];
      expect(e).toBeDefined();
      expect(e.inputs.vpcEndpointType).toBe("Interface");
      expect(e.inputs.privateDnsEnabled).toBe(true);
      expect(e.inputs.subnetIds).toEqual(net.subnetIds);
      expect(e.inputs.vpcId).toBe(net.vpcId);
    }
    for (const svc of ["s3", "dynamodb"]) {
      const e = byName[`com.amazonaws.cn-north-1.${svc}`];
      expect(e.inputs.vpcEndpointType).toBe("Gateway");
      expect(e.inputs.routeTableIds).toEqual(net.routeTableIds);
    }
    expect(eps).toHaveLength(8);
    const sg = one(run, "aws:ec2/securityGroup:SecurityGroup", "lambda-endpoints-endpoints-sg");
    expect(sg.inputs.ingress).toEqual([expect.objectContaining({ protocol: "tcp", fromPort: 443, toPort: 443, securityGroups: net.securityGroupIds })]);
    expect(sg.inputs.ingress[0].cidrBlocks).toBeUndefined();
    expect(sg.inputs.egress).toEqual([]);
  });

  test("createEndpoints: false creates none", async () => {
    const run = await runStack("cn-north-1", { config: { lambdaNetwork: { ...net, createEndpoints: false } } });
    expect(lambdaEndpoints(run)).toHaveLength(0);
  });
});
