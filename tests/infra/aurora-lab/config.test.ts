/**
 * AuroraLab's config choices through the whole primary stack under the aws-cn mocks.
 */
import * as pulumi from "@pulumi/pulumi";
import { ofType, one, policyOf, runStack } from "../../helpers/pulumi";
import { labResources, userDataOf } from "./lab-helpers";

describe("AuroraLab config choices", () => {
  test("natGateway adds a NAT gateway in the public subnet, a default route for the private subnets and HTTPS egress", async () => {
    const run = await runStack("cn-north-1", { config: { auroraLab: { enabled: true, natGateway: true } } });
    const nat = one(run, "aws:ec2/natGateway:NatGateway", "aurora-lab-nat");
    expect(nat.inputs.subnetId).toBe(one(run, "aws:ec2/subnet:Subnet", "aurora-lab-public-a").id);
    expect(nat.inputs.allocationId).toBe(one(run, "aws:ec2/eip:Eip", "aurora-lab-nat-eip").id);
    const route = one(run, "aws:ec2/route:Route", "aurora-lab-private-default");
    expect(route.inputs).toMatchObject({
      routeTableId: one(run, "aws:ec2/routeTable:RouteTable", "aurora-lab-private-rt").id,
      destinationCidrBlock: "0.0.0.0/0",
      natGatewayId: nat.id,
    });
    const internet = one(run, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "aurora-lab-client-to-internet");
    expect(internet.inputs).toMatchObject({ cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: 443, toPort: 443 });
    // still no inbound rule on the client
    const clientSg = one(run, "aws:ec2/securityGroup:SecurityGroup", "aurora-lab-client-sg").id;
    expect(ofType(run, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.inputs.securityGroupId === clientSg)).toEqual([]);
  });

  test("deletion protection, final snapshot, excluded users, backup tag, versions and sizes follow config", async () => {
    const run = await runStack("cn-north-1", {
      config: {
        auroraLab: {
          enabled: true,
          deletionProtection: false,
          finalSnapshot: false,
          auditExcludedUsers: ["rdsadmin", "monitor_svc"],
          backupTagKey: "backup-plan",
          backupTagValue: "aurora",
          engineVersion: "8.0.mysql_aurora.3.10.1",
          dbInstanceClass: "db.r6g.large",
          clientInstanceType: "t4g.small",
          clusterIdentifier: "audit-lab-2",
          vpcCidr: "172.20.8.0/22",
          backupRetentionDays: 14,
          slowQuerySeconds: 5,
          sysbenchSource: "s3://lab-artifacts/sysbench-1.0.20.tar.gz",
          sysbenchSha256: "e8ee79b1f399b2d167e6a90de52ccc90e52408f7ade1b9b7135727efe181347f",
        },
      },
    });
    const cluster = one(run, "aws:rds/cluster:Cluster", "aurora-lab-cluster");
    expect(cluster.inputs).toMatchObject({
      clusterIdentifier: "audit-lab-2",
      deletionProtection: false,
      skipFinalSnapshot: true,
      engineVersion: "8.0.mysql_aurora.3.10.1",
      backupRetentionPeriod: 14,
    });
    expect(cluster.inputs.finalSnapshotIdentifier).toBeUndefined();
    expect(cluster.inputs.tags["backup-plan"]).toBe("aurora");
    expect(cluster.inputs.tags["cn-log-backup:backup"]).toBeUndefined();
    const pg = one(run, "aws:rds/clusterParameterGroup:ClusterParameterGroup", "aurora-lab-cluster-params");
    expect(pg.inputs.parameters.find((p: any) => p.name === "server_audit_excl_users").value).toBe("rdsadmin,monitor_svc");
    const ipg = one(run, "aws:rds/parameterGroup:ParameterGroup", "aurora-lab-instance-params");
    expect(ipg.inputs.parameters.find((p: any) => p.name === "long_query_time").value).toBe("5");
    for (const i of ofType(run, "aws:rds/clusterInstance:ClusterInstance")) expect(i.inputs.instanceClass).toBe("db.r6g.large");
    expect(one(run, "aws:ec2/instance:Instance", "aurora-lab-client").inputs.instanceType).toBe("t4g.small");
    expect(
      ofType(run, "aws:ec2/subnet:Subnet")
        .map((s) => s.inputs.cidrBlock)
        .sort(),
    ).toEqual(["172.20.10.0/24", "172.20.8.0/24", "172.20.9.0/24"]);
    expect(
      ofType(run, "aws:cloudwatch/logGroup:LogGroup")
        .filter((g) => g.inputs.name.startsWith("/aws/rds/"))
        .map((g) => g.inputs.name)
        .sort(),
    ).toEqual(["/aws/rds/cluster/audit-lab-2/audit", "/aws/rds/cluster/audit-lab-2/error", "/aws/rds/cluster/audit-lab-2/slowquery"]);
    const script = userDataOf(run);
    expect(script).toContain(
      "/opt/aurora-lab/setup_sysbench.sh --region 'cn-north-1' --source 's3://lab-artifacts/sysbench-1.0.20.tar.gz' --sha256 'e8ee79b1f399b2d167e6a90de52ccc90e52408f7ade1b9b7135727efe181347f'\n",
    );
    const st = policyOf(one(run, "aws:iam/rolePolicy:RolePolicy", "aurora-lab-client-lab-access")).Statement;
    expect(st.find((s: any) => s.Sid === "ReadTheSysbenchSource")).toEqual({
      Sid: "ReadTheSysbenchSource",
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: "arn:aws-cn:s3:::lab-artifacts/sysbench-1.0.20.tar.gz",
    });
  });

  test("no excluded users: the parameter is left out (everyone is audited)", async () => {
    const run = await runStack("cn-north-1", { config: { auroraLab: { enabled: true, auditExcludedUsers: [] } } });
    const pg = one(run, "aws:rds/clusterParameterGroup:ClusterParameterGroup", "aurora-lab-cluster-params");
    expect(pg.inputs.parameters.map((p: any) => p.name)).toEqual(["server_audit_logging", "server_audit_events"]);
  });

  test("functions placed in the lab VPC get only the endpoints the lab does not already have", async () => {
    const run = await runStack("cn-north-1", { config: { lambdaNetwork: { useAuroraLabVpc: true } } });
    const lambdaEndpoints = ofType(run, "aws:ec2/vpcEndpoint:VpcEndpoint").filter((e) => e.name.startsWith("lambda-endpoints-"));
    expect(lambdaEndpoints.map((e) => e.name).sort()).toEqual(["backup", "dynamodb", "kms", "rds", "sqs", "sts"].map((s) => `lambda-endpoints-${s}`).sort());
    const vpc = one(run, "aws:ec2/vpc:Vpc", "aurora-lab-vpc");
    for (const e of lambdaEndpoints) expect(e.inputs.vpcId).toBe(vpc.id);
    // the lab's own endpoints (logs, s3) admit the functions' security group
    const lambdaSg = one(run, "aws:ec2/securityGroup:SecurityGroup", "aurora-lab-lambda-sg").id;
    expect(one(run, "aws:ec2/securityGroup:SecurityGroup", "aurora-lab-vpce-endpoints-sg").inputs.ingress[0].securityGroups).toContain(lambdaSg);
    const lambdaEndpointsSg = one(run, "aws:ec2/securityGroup:SecurityGroup", "lambda-endpoints-endpoints-sg");
    expect(lambdaEndpointsSg.inputs.ingress[0].securityGroups).toEqual([lambdaSg]);
  });

  test("audit-log pipeline off: the client gets no archive access and the script no bucket", async () => {
    const run = await runStack("cn-north-1", { config: { auditLogPipeline: { enabled: false } } });
    const sids = policyOf(one(run, "aws:iam/rolePolicy:RolePolicy", "aurora-lab-client-lab-access")).Statement.map((s: any) => s.Sid);
    expect(sids).toEqual(["ReadTheMasterSecret", "DecryptTheMasterSecret"]);
    const setupLine = userDataOf(run)
      .split("\n")
      .find((l) => l.startsWith("/opt/aurora-lab/setup_ec2.sh --region"))!;
    expect(setupLine).not.toContain("--bucket");
    expect(setupLine).toMatch(/ --cw-agent-config 'AmazonCloudWatch-cn-log-backup-cn-north-1'$/);
  });

  test("lab off: nothing of it is built and no lab outputs", async () => {
    const run = await runStack("cn-north-1", { config: { auroraLab: { enabled: false } } });
    expect(run.resources.filter((r) => r.type === "cn-log-backup:lab:AuroraLab")).toHaveLength(0);
    expect(labResources(run)).toHaveLength(0);
    expect(run.outputs.auroraLab).toBeUndefined();
  });

  test("the backup stack never builds the lab, even with it enabled", async () => {
    const run = await runStack("cn-northwest-1", { config: { auroraLab: { enabled: true } } });
    expect(labResources(run)).toHaveLength(0);
  });

  test("in preview the lab still builds; endpoints and the secret are unknown until the cluster exists", async () => {
    const run = await runStack("cn-north-1", { preview: true });
    const instance = one(run, "aws:ec2/instance:Instance", "aurora-lab-client");
    expect(pulumi.isUnknown(instance.inputs.userDataBase64)).toBe(true);
    expect(instance.propertyDependencies.userDataBase64).toContain(one(run, "aws:rds/cluster:Cluster", "aurora-lab-cluster").urn);
    expect(instance.inputs.metadataOptions.httpTokens).toBe("required");
  });
});
