/**
 * AuroraLab under the aws-cn mocks: the whole primary stack (Pulumi.cn-north-1.yaml turns the lab
 * on, built on LogArchive's agent kit, log groups and archive), plus the component alone (its own
 * minimal client role and log groups, and the Args the stack passes, from fakes).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import * as pulumi from "@pulumi/pulumi";
import { ACCOUNT_ID, ofType, one, policyOf, runStack, settle, useMocks } from "../helpers/pulumi";
import type { ResourceRecord } from "../../tools/types";
import {
  AL2023_ARM64_AMI_PARAMETER,
  AuroraLab,
  AuroraLabArgs,
  LAB_SCRIPTS,
  SCRIPTS_DIR,
  quarterCidr,
  renderUserData,
} from "../../infra/aurora-lab";
import { outputValue } from "../../tools/harness";
import { decide, rolePolicies } from "../helpers/iam-sim";

/** Stands in for a log group LogArchive's factory would make. */
class Marker extends pulumi.CustomResource {
  constructor(name: string, opts: pulumi.CustomResourceOptions) {
    super("test:index:Marker", name, {}, opts);
  }
}

const AMI = "ami-0a1b2c3d4e5f60718"; // the mocks' answer for the AL2023 arm64 parameter
const R = "cn-north-1";

type Run = Awaited<ReturnType<typeof runStack>>;
const byUrn = (run: Run, urn: string) => run.resources.find((r) => r.urn === urn)!;
const labResources = (run: Run) => run.resources.filter((r) => r.type.startsWith("aws:") && /aurora-lab|cn-log-backup-lab/.test(r.name));
function userDataOf(run: Run): string {
  const instance = one(run, "aws:ec2/instance:Instance", "aurora-lab-client");
  return zlib.gunzipSync(Buffer.from(instance.inputs.userDataBase64, "base64")).toString("utf8");
}

describe("AuroraLab in the Beijing stack", () => {
  let run: Run;
  beforeAll(async () => {
    run = await runStack("cn-north-1");
  });

  const sg = (suffix: string) => one(run, "aws:ec2/securityGroup:SecurityGroup", suffix);
  const key = () => one(run, "aws:kms/key:Key", "aurora-lab-key");
  const archiveKey = () => one(run, "aws:kms/key:Key", "log-archive-archive-key");
  const archiveBucket = () => one(run, "aws:s3/bucket:Bucket", "log-archive-archive");

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
    expect(assoc.filter((a) => a.inputs.routeTableId === privateRt.id).map((a) => a.inputs.subnetId).sort()).toEqual(
      ["aurora-lab-private-a", "aurora-lab-private-b"].map((n) => one(run, "aws:ec2/subnet:Subnet", n).id).sort(),
    );
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
    expect(vpceSg.inputs.ingress).toEqual([
      expect.objectContaining({ protocol: "tcp", fromPort: 443, toPort: 443, securityGroups: [client, lambdaSg] }),
    ]);
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

  test("the client: AL2023 arm64 from the public parameter, t4g.micro, private, IMDSv2, no key pair, encrypted with the lab key", () => {
    const instance = one(run, "aws:ec2/instance:Instance", "aurora-lab-client");
    expect(run.invokes.find((i) => i.token === "aws:ssm/getParameter:getParameter")?.args.name).toBe(AL2023_ARM64_AMI_PARAMETER);
    expect(AL2023_ARM64_AMI_PARAMETER).toBe("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64");
    expect(instance.inputs.ami).toBe(AMI);
    expect(instance.inputs.instanceType).toBe("t4g.micro");
    expect(instance.inputs.subnetId).toBe(one(run, "aws:ec2/subnet:Subnet", "aurora-lab-private-a").id);
    expect(instance.inputs.associatePublicIpAddress).toBe(false);
    expect(instance.inputs.keyName).toBeUndefined();
    expect(instance.inputs.vpcSecurityGroupIds).toEqual([sg("aurora-lab-client-sg").id]);
    expect(instance.inputs.metadataOptions).toEqual({
      httpTokens: "required",
      httpEndpoint: "enabled",
      httpPutResponseHopLimit: 1,
      instanceMetadataTags: "disabled",
    });
    expect(instance.inputs.rootBlockDevice).toMatchObject({ encrypted: true, kmsKeyId: key().state.arn, volumeType: "gp3", volumeSize: 16, deleteOnTermination: true });
    // The lab's own profile and role, not LogArchive's shared agent profile (which other instances get)
    const labProfile = one(run, "aws:iam/instanceProfile:InstanceProfile", "aurora-lab-client-profile");
    expect(instance.inputs.iamInstanceProfile).toBe(labProfile.state.name);
    expect(instance.inputs.iamInstanceProfile).not.toBe(one(run, "aws:iam/instanceProfile:InstanceProfile", "log-archive-agent-profile").state.name);
    expect(labProfile.inputs.role).toBe(one(run, "aws:iam/role:Role", "aurora-lab-client-role").state.name);
    // it boots after the endpoints it needs exist
    const deps = instance.dependencies ?? [];
    for (const e of ofType(run, "aws:ec2/vpcEndpoint:VpcEndpoint")) expect(deps).toContain(e.urn);
  });

  test("Aurora MySQL 3, writer + reader db.t4g.medium, private, encrypted with the lab key, managed password, IAM auth", () => {
    const cluster = one(run, "aws:rds/cluster:Cluster", "aurora-lab-cluster");
    const k = key().state.arn;
    expect(cluster.inputs).toMatchObject({
      clusterIdentifier: "cn-log-backup-lab",
      engine: "aurora-mysql",
      engineMode: "provisioned",
      engineVersion: "8.0.mysql_aurora.3.08.2",
      masterUsername: "labadmin",
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: k,
      iamDatabaseAuthenticationEnabled: true,
      storageEncrypted: true,
      kmsKeyId: k,
      port: 3306,
      vpcSecurityGroupIds: [sg("aurora-lab-db-sg").id],
      backupRetentionPeriod: 7,
      copyTagsToSnapshot: true,
      deletionProtection: true,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: "cn-log-backup-lab-final",
    });
    expect(cluster.inputs.masterPassword).toBeUndefined();
    expect(cluster.inputs.engineVersion).toMatch(/^8\.0\.mysql_aurora\.3\.\d{2}\.\d+$/);
    const subnetGroup = one(run, "aws:rds/subnetGroup:SubnetGroup", "aurora-lab-db-subnets");
    expect(cluster.inputs.dbSubnetGroupName).toBe(subnetGroup.state.name);
    expect([...subnetGroup.inputs.subnetIds].sort()).toEqual(
      ["aurora-lab-private-a", "aurora-lab-private-b"].map((n) => one(run, "aws:ec2/subnet:Subnet", n).id).sort(),
    );
    const instances = ofType(run, "aws:rds/clusterInstance:ClusterInstance");
    expect(instances.map((i) => [i.name, i.inputs.identifier, i.inputs.promotionTier]).sort()).toEqual([
      ["aurora-lab-reader", "cn-log-backup-lab-2", 1],
      ["aurora-lab-writer", "cn-log-backup-lab-1", 0],
    ]);
    for (const i of instances) {
      expect(i.inputs).toMatchObject({
        clusterIdentifier: cluster.id,
        engine: "aurora-mysql",
        instanceClass: "db.t4g.medium",
        publiclyAccessible: false,
        dbSubnetGroupName: subnetGroup.state.name,
      });
    }
    // the reader is created after the writer, so the writer really is the first instance
    const reader = one(run, "aws:rds/clusterInstance:ClusterInstance", "aurora-lab-reader");
    expect(reader.dependencies).toContain(one(run, "aws:rds/clusterInstance:ClusterInstance", "aurora-lab-writer").urn);
  });

  test("the cluster parameter group sets the audit parameters Aurora MySQL 3 has, and no invented ones", () => {
    const pg = one(run, "aws:rds/clusterParameterGroup:ClusterParameterGroup", "aurora-lab-cluster-params");
    expect(pg.inputs.family).toBe("aurora-mysql8.0");
    const params = Object.fromEntries(pg.inputs.parameters.map((p: any) => [p.name, p.value]));
    expect(params).toEqual({
      server_audit_logging: "1",
      server_audit_events: "CONNECT,QUERY,TABLE,QUERY_DDL,QUERY_DML,QUERY_DCL",
      server_audit_excl_users: "rdsadmin",
    });
    expect(one(run, "aws:rds/cluster:Cluster", "aurora-lab-cluster").inputs.dbClusterParameterGroupName).toBe(pg.state.name);
    const instancePg = one(run, "aws:rds/parameterGroup:ParameterGroup", "aurora-lab-instance-params");
    expect(instancePg.inputs.family).toBe("aurora-mysql8.0");
    expect(Object.fromEntries(instancePg.inputs.parameters.map((p: any) => [p.name, p.value]))).toEqual({
      slow_query_log: "1",
      long_query_time: "2",
      log_output: "FILE",
    });
    for (const i of ofType(run, "aws:rds/clusterInstance:ClusterInstance")) expect(i.inputs.dbParameterGroupName).toBe(instancePg.state.name);
  });

  test("audit, error and slow query logs go to LogArchive's log groups (archive key, subscribed), created before the cluster", () => {
    const cluster = one(run, "aws:rds/cluster:Cluster", "aurora-lab-cluster");
    expect(cluster.inputs.enabledCloudwatchLogsExports).toEqual(["audit", "error", "slowquery"]);
    const stream = one(run, "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "log-archive-cloudwatch");
    const filters = ofType(run, "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter");
    for (const type of ["audit", "error", "slowquery"]) {
      const name = `/aws/rds/cluster/cn-log-backup-lab/${type}`;
      const groups = ofType(run, "aws:cloudwatch/logGroup:LogGroup").filter((g) => g.inputs.name === name);
      expect(groups).toHaveLength(1);
      const lg = groups[0];
      expect(lg.name).toBe(`log-archive-rds-cn-log-backup-lab-${type}`);
      expect(lg.parent).toBe(one(run, "cn-log-backup:index:LogArchive", "log-archive").urn);
      expect(lg.inputs.kmsKeyId).toBe(archiveKey().state.arn);
      expect(lg.inputs.retentionInDays).toBe(365); // auroraLab.logRetentionDays, not logArchive's 400
      expect(cluster.dependencies).toContain(lg.urn);
      // archived: one subscription filter into LogArchive's delivery stream
      const subscribed = filters.filter((f) => f.inputs.logGroup === lg.state.name);
      expect(subscribed.map((f) => f.inputs.destinationArn)).toEqual([stream.state.arn]);
    }
    // the lab key no longer admits CloudWatch Logs
    expect(policyOf(key()).Statement.map((s: any) => s.Sid)).not.toContain("CloudWatchLogsEncryptsThisAccountsLogGroups");
  });

  test("the cluster carries the tag the backup plan selects", () => {
    const cluster = one(run, "aws:rds/cluster:Cluster", "aurora-lab-cluster");
    expect(cluster.inputs.tags["cn-log-backup:backup"]).toBe("daily");
    expect(cluster.inputs.tags.owner).toBe("platform-team");
  });

  test("the lab key: rotation on, the account root only (the log groups use the archive key)", () => {
    const k = key();
    expect(k.inputs.enableKeyRotation).toBe(true);
    expect(k.inputs.deletionWindowInDays).toBe(30);
    const sids = policyOf(k).Statement.map((s: any) => s.Sid);
    expect(sids).toEqual(["AccountRootAdministers"]);
  });

  test("the client's own role may read exactly the master secret and the audit logs; LogArchive's shared agent role gets nothing of the lab's", () => {
    const cluster = one(run, "aws:rds/cluster:Cluster", "aurora-lab-cluster");
    const secretArn = cluster.state.masterUserSecrets[0].secretArn;
    const rp = one(run, "aws:iam/rolePolicy:RolePolicy", "aurora-lab-client-lab-access");
    const clientRole = one(run, "aws:iam/role:Role", "aurora-lab-client-role").state.name;
    const agentRole = one(run, "aws:iam/role:Role", "log-archive-agent-role");
    expect(rp.inputs.role).toBe(clientRole);
    expect(rolePolicies(run.resources, agentRole).documents).toEqual({});
    const st = policyOf(rp).Statement;
    const bucket = archiveBucket().state.bucket;
    expect(st).toEqual([
      { Sid: "ReadTheMasterSecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: secretArn },
      {
        Sid: "DecryptTheMasterSecret",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: key().state.arn,
        Condition: { StringEquals: { "kms:ViaService": "secretsmanager.cn-north-1.amazonaws.com.cn" } },
      },
      // where AuditLogPipeline writes (the pipeline is on in the stack file): LogArchive's bucket and key
      {
        Sid: "ListTheAuditLogs",
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: `arn:aws-cn:s3:::${bucket}`,
        Condition: { StringLike: { "s3:prefix": ["audit-logs/*"] } },
      },
      { Sid: "ReadTheAuditLogs", Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws-cn:s3:::${bucket}/audit-logs/*` },
      {
        Sid: "DecryptTheAuditLogs",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: archiveKey().state.arn,
        Condition: { StringEquals: { "kms:ViaService": "s3.cn-north-1.amazonaws.com.cn" } },
      },
    ]);
    // Both roles: Session Manager and the CloudWatch agent, nothing more.
    for (const role of [clientRole, agentRole.state.name]) {
      const attached = ofType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.inputs.role === role).map((a) => a.inputs.policyArn).sort();
      expect(attached).toEqual([
        "arn:aws-cn:iam::aws:policy/AmazonSSMManagedInstanceCore",
        "arn:aws-cn:iam::aws:policy/CloudWatchAgentServerPolicy",
      ]);
    }
  });

  test("IAM simulation: the lab client's role reads the secret and audit-logs/ only, decrypting only through the services; the shared agent role reads neither", async () => {
    const role = one(run, "aws:iam/role:Role", "aurora-lab-client-role");
    const shared = one(run, "aws:iam/role:Role", "log-archive-agent-role");
    // The two AWS managed policies (Session Manager, CloudWatch agent) cannot be simulated offline.
    const { documents, managedPolicyArns } = rolePolicies(run.resources, role);
    expect(managedPolicyArns).toHaveLength(2);
    const secretArn = one(run, "aws:rds/cluster:Cluster", "aurora-lab-cluster").state.masterUserSecrets[0].secretArn;
    const bucket = archiveBucket();
    const bucketPolicy = one(run, "aws:s3/bucketPolicy:BucketPolicy", "log-archive-archive-policy").inputs.policy;
    const via = (service: string) => ({ "kms:ViaService": `${service}.cn-north-1.amazonaws.com.cn` });
    const otherSecret = secretArn.replace(/secret:.*$/, "secret:someone-else-AbCdEf");
    // KMS needs its key policy too (both keys delegate to IAM through the account root).
    const labKeyPolicy = key().inputs.policy;
    const archiveKeyPolicy = archiveKey().inputs.policy;
    // [action, resource, context, resource policy, expected]
    const cases: [string, string, Record<string, string>, any, string][] = [
      ["secretsmanager:GetSecretValue", secretArn, {}, undefined, "Allowed"],
      ["secretsmanager:GetSecretValue", otherSecret, {}, undefined, "ImplicitlyDenied"],
      ["secretsmanager:PutSecretValue", secretArn, {}, undefined, "ImplicitlyDenied"],
      ["kms:Decrypt", key().state.arn, via("secretsmanager"), labKeyPolicy, "Allowed"],
      ["kms:Decrypt", key().state.arn, {}, labKeyPolicy, "ImplicitlyDenied"],
      ["s3:GetObject", `${bucket.state.arn}/audit-logs/cn-log-backup-lab-1/audit.log`, {}, bucketPolicy, "Allowed"],
      ["s3:GetObject", `${bucket.state.arn}/cloudtrail/x.json.gz`, {}, bucketPolicy, "ImplicitlyDenied"],
      ["s3:PutObject", `${bucket.state.arn}/audit-logs/x`, {}, bucketPolicy, "ImplicitlyDenied"],
      ["s3:ListBucket", bucket.state.arn, { "s3:prefix": "audit-logs/cn-log-backup-lab-1/" }, bucketPolicy, "Allowed"],
      ["s3:ListBucket", bucket.state.arn, { "s3:prefix": "cloudtrail/" }, bucketPolicy, "ImplicitlyDenied"],
      ["kms:Decrypt", archiveKey().state.arn, via("s3"), archiveKeyPolicy, "Allowed"],
      ["kms:Decrypt", archiveKey().state.arn, via("secretsmanager"), archiveKeyPolicy, "ImplicitlyDenied"],
      ["kms:Encrypt", archiveKey().state.arn, via("s3"), archiveKeyPolicy, "ImplicitlyDenied"],
    ];
    const decided = [];
    for (const [action, resource, context, resourcePolicy] of cases) {
      const decision = await decide({ identityPolicies: documents, resourcePolicy, request: { principal: role.state.arn, action, resource, context } });
      decided.push([action, resource, context, resourcePolicy, decision]);
    }
    expect(decided).toEqual(cases);
    // Every instance given LogArchive's exported profile: neither the master password nor the archived audit logs.
    const sharedDocs = rolePolicies(run.resources, shared).documents;
    for (const [action, resource, context, resourcePolicy, expected] of cases.filter((c) => c[4] === "Allowed")) {
      const decision = await decide({ identityPolicies: sharedDocs, resourcePolicy, request: { principal: shared.state.arn, action, resource, context } });
      expect([action, resource, decision]).toEqual([action, resource, expected === "Allowed" ? "ImplicitlyDenied" : expected]);
    }
  });

  test("the user data (gzip, under 16 KB) places the three lab scripts verbatim and runs setup_ec2.sh with the cluster's values", () => {
    const instance = one(run, "aws:ec2/instance:Instance", "aurora-lab-client");
    expect(instance.inputs.userDataReplaceOnChange).toBe(true);
    expect(Buffer.from(instance.inputs.userDataBase64, "base64").length).toBeLessThan(16384);
    const script = userDataOf(run);
    for (const file of LAB_SCRIPTS) {
      const text = fs.readFileSync(path.join(SCRIPTS_DIR, file), "utf8");
      expect(script).toContain(`cat >/opt/aurora-lab/${file} <<'AURORA_LAB_SCRIPT_END'\n${text}AURORA_LAB_SCRIPT_END\nchmod 0755 /opt/aurora-lab/${file}\n`);
    }
    const cluster = one(run, "aws:rds/cluster:Cluster", "aurora-lab-cluster");
    expect(script).toContain(
      `/opt/aurora-lab/setup_ec2.sh --region 'cn-north-1' --endpoint '${cluster.state.endpoint}' --reader-endpoint '${cluster.state.readerEndpoint}' --secret-arn '${cluster.state.masterUserSecrets[0].secretArn}' --prefix 'audit-logs/' --db-instances 'cn-log-backup-lab-1,cn-log-backup-lab-2' --bucket '${archiveBucket().state.bucket}' --cw-agent-config 'AmazonCloudWatch-cn-log-backup-cn-north-1'\n`,
    );
    expect(script).not.toContain("setup_sysbench.sh --region"); // no sysbenchSource configured
    const syntax = spawnSync("bash", ["-n"], { input: script, encoding: "utf8" });
    expect(syntax.stderr).toBe("");
    expect(syntax.status).toBe(0);
    const shellcheck = spawnSync("bash", ["-c", "command -v shellcheck"], { encoding: "utf8" });
    if (shellcheck.status === 0) {
      const lint = spawnSync(shellcheck.stdout.trim(), ["--shell=bash", "-"], { input: script, encoding: "utf8" });
      expect(lint.stdout + lint.stderr).toBe("");
      expect(lint.status).toBe(0);
    } else {
      console.warn("SKIPPED: shellcheck not found; the user data was only checked with bash -n");
    }
  });

  test("running the user data's file-writing part recreates the scripts byte for byte, executable", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aurora-lab-userdata-"));
    const script = userDataOf(run)
      .split("\n")
      .filter((l) => !l.startsWith("exec >>"))
      .join("\n")
      .replaceAll("/opt/aurora-lab", dir);
    const upToSetup = script.slice(0, script.indexOf(`${dir}/setup_ec2.sh --region`));
    const r = spawnSync("bash", ["-c", upToSetup], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    for (const file of LAB_SCRIPTS) {
      expect(fs.readFileSync(path.join(dir, file), "utf8")).toBe(fs.readFileSync(path.join(SCRIPTS_DIR, file), "utf8"));
      expect(fs.statSync(path.join(dir, file)).mode & 0o777).toBe(0o755);
    }
  });

  test("stack outputs: client, Session Manager command, endpoints, secret, parameter group", () => {
    const lab = run.outputs.auroraLab as Record<string, any>;
    const instance = one(run, "aws:ec2/instance:Instance", "aurora-lab-client");
    const cluster = one(run, "aws:rds/cluster:Cluster", "aurora-lab-cluster");
    expect(cluster.state.masterUserSecrets[0].secretArn).toMatch(new RegExp(`^arn:aws-cn:secretsmanager:cn-north-1:${ACCOUNT_ID}:secret:rds!cluster-`));
    expect(lab).toEqual({
      vpcId: one(run, "aws:ec2/vpc:Vpc", "aurora-lab-vpc").id,
      clientInstanceId: instance.id,
      ssmStartSessionCommand: `aws ssm start-session --target ${instance.id} --region cn-north-1`,
      clusterIdentifier: "cn-log-backup-lab",
      clusterEndpoint: cluster.state.endpoint,
      readerEndpoint: cluster.state.readerEndpoint,
      masterUserSecretArn: cluster.state.masterUserSecrets[0].secretArn,
      clusterParameterGroupName: one(run, "aws:rds/clusterParameterGroup:ClusterParameterGroup", "aurora-lab-cluster-params").state.name,
      dbInstanceIdentifiers: ["cn-log-backup-lab-1", "cn-log-backup-lab-2"],
    });
  });

  test("everything the lab makes is in Beijing and carries the stack tags", () => {
    const resources = labResources(run);
    expect(resources.length).toBeGreaterThan(40);
    for (const r of resources) expect(r.region).toBe(R);
    for (const r of resources.filter((r) => "tags" in r.inputs)) {
      expect(r.inputs.tags["cn-log-backup:stack"]).toBe("cn-north-1");
    }
  });
});

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
    expect(ofType(run, "aws:ec2/subnet:Subnet").map((s) => s.inputs.cidrBlock).sort()).toEqual(["172.20.10.0/24", "172.20.8.0/24", "172.20.9.0/24"]);
    expect(ofType(run, "aws:cloudwatch/logGroup:LogGroup").filter((g) => g.inputs.name.startsWith("/aws/rds/")).map((g) => g.inputs.name).sort()).toEqual([
      "/aws/rds/cluster/audit-lab-2/audit",
      "/aws/rds/cluster/audit-lab-2/error",
      "/aws/rds/cluster/audit-lab-2/slowquery",
    ]);
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
    expect(lambdaEndpoints.map((e) => e.name).sort()).toEqual(
      ["backup", "dynamodb", "kms", "rds", "sqs", "sts"].map((s) => `lambda-endpoints-${s}`).sort(),
    );
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
    const setupLine = userDataOf(run).split("\n").find((l) => l.startsWith("/opt/aurora-lab/setup_ec2.sh --region"))!;
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

describe("AuroraLab with LogArchive's kit and the archive bucket (component alone)", () => {
  const baseArgs = (over: Partial<AuroraLabArgs> = {}): AuroraLabArgs => ({
    stack: R,
    region: R,
    vpcCidr: "10.50.0.0/16",
    natGateway: false,
    client: { instanceType: "t4g.micro", rootVolumeGiB: 16 },
    database: {
      clusterIdentifier: "lab-x",
      engineVersion: "8.0.mysql_aurora.3.08.2",
      instanceClass: "db.t4g.medium",
      masterUsername: "labadmin",
      backupRetentionDays: 7,
      deletionProtection: true,
      finalSnapshot: true,
      auditExcludedUsers: ["rdsadmin"],
      slowQuerySeconds: 2,
    },
    backupSelectionTag: { key: "cn-log-backup:backup", value: "daily" },
    logs: { retentionInDays: 365 },
    kmsKeyDeletionWindowDays: 30,
    tags: { project: "t" },
    ...over,
  });

  test("with LogArchive's agent configuration: its own role and profile (agent + SSM policies), reads the audit-log prefix, passes bucket and agent parameter to the client", async () => {
    const mocks = await useMocks(R);
    const lab = new AuroraLab(
      "lab",
      baseArgs({
        clientKit: { cloudWatchAgentConfigParameter: "/cn-log-backup/cloudwatch-agent" },
        auditLogs: { bucketName: "archive-123", bucketKeyArn: `arn:aws-cn:kms:cn-north-1:${ACCOUNT_ID}:key/archive` },
      }),
    );
    const clientId = await outputValue(lab.clientInstanceId);
    await settle();
    const res = mocks.resources;
    const find = (type: string, name: string) => res.find((r) => r.type === type && r.name === name)!;
    const role = find("aws:iam/role:Role", "lab-client-role");
    const profile = find("aws:iam/instanceProfile:InstanceProfile", "lab-client-profile");
    expect(profile.inputs.role).toBe(role.state.name);
    expect(
      res.filter((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment" && r.inputs.role === role.state.name).map((r) => r.inputs.policyArn).sort(),
    ).toEqual(["arn:aws-cn:iam::aws:policy/AmazonSSMManagedInstanceCore", "arn:aws-cn:iam::aws:policy/CloudWatchAgentServerPolicy"]);
    const instance = find("aws:ec2/instance:Instance", "lab-client");
    expect(instance.id).toBe(clientId);
    expect(instance.inputs.iamInstanceProfile).toBe(profile.state.name);
    const rp = find("aws:iam/rolePolicy:RolePolicy", "lab-client-lab-access");
    expect(rp.inputs.role).toBe(role.state.name);
    const st = policyOf(rp).Statement;
    expect(st.slice(2)).toEqual([
      {
        Sid: "ListTheAuditLogs",
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: "arn:aws-cn:s3:::archive-123",
        Condition: { StringLike: { "s3:prefix": ["audit-logs/*"] } },
      },
      { Sid: "ReadTheAuditLogs", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws-cn:s3:::archive-123/audit-logs/*" },
      {
        Sid: "DecryptTheAuditLogs",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: `arn:aws-cn:kms:cn-north-1:${ACCOUNT_ID}:key/archive`,
        Condition: { StringEquals: { "kms:ViaService": "s3.cn-north-1.amazonaws.com.cn" } },
      },
    ]);
    const script = zlib.gunzipSync(Buffer.from(instance.inputs.userDataBase64, "base64")).toString("utf8");
    expect(script).toMatch(/setup_ec2\.sh .* --prefix 'audit-logs\/' --db-instances 'lab-x-1,lab-x-2' --bucket 'archive-123' --cw-agent-config '\/cn-log-backup\/cloudwatch-agent'\n/);
  });

  test("alone: a minimal client role and profile, and log groups with the lab key (which then admits CloudWatch Logs)", async () => {
    const mocks = await useMocks(R);
    new AuroraLab("lab", baseArgs());
    await settle();
    const res = mocks.resources;
    const find = (type: string, name: string) => res.find((r) => r.type === type && r.name === name)!;
    const role = find("aws:iam/role:Role", "lab-client-role");
    expect(policyOf(role, "assumeRolePolicy").Statement).toEqual([
      { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com.cn" }, Action: "sts:AssumeRole" },
    ]);
    const profile = find("aws:iam/instanceProfile:InstanceProfile", "lab-client-profile");
    expect(profile.inputs.role).toBe(role.state.name);
    expect(find("aws:ec2/instance:Instance", "lab-client").inputs.iamInstanceProfile).toBe(profile.state.name);
    expect(find("aws:iam/rolePolicy:RolePolicy", "lab-client-lab-access").inputs.role).toBe(role.state.name);
    const key = find("aws:kms/key:Key", "lab-key");
    expect(policyOf(key).Statement.map((st: any) => st.Sid)).toEqual(["AccountRootAdministers", "CloudWatchLogsEncryptsThisAccountsLogGroups"]);
    const groups = res.filter((r) => r.type === "aws:cloudwatch/logGroup:LogGroup");
    expect(groups.map((g) => [g.inputs.name, g.inputs.kmsKeyId, g.inputs.retentionInDays]).sort()).toEqual(
      ["audit", "error", "slowquery"].map((t) => [`/aws/rds/cluster/lab-x/${t}`, key.state.arn, 365]),
    );
  });

  test("LogArchive's log-group factory replaces the lab's own", async () => {
    const mocks = await useMocks(R);
    const calls: [string, string[]][] = [];
    new AuroraLab(
      "lab",
      baseArgs({
        logs: {
          retentionInDays: 365,
          createLogGroups: (id, types, parent) => {
            calls.push([id, types]);
            return [new Marker(`${id}-marker`, { parent })];
          },
        },
      }),
    );
    await settle();
    expect(calls).toEqual([["lab-x", ["audit", "error", "slowquery"]]]);
    expect(mocks.resources.filter((r) => r.type === "aws:cloudwatch/logGroup:LogGroup")).toEqual([]);
  });
});

describe("AuroraLab helpers", () => {
  test("quarterCidr splits on the right boundaries", () => {
    expect(quarterCidr("10.42.0.0/16")).toEqual(["10.42.0.0/18", "10.42.64.0/18", "10.42.128.0/18", "10.42.192.0/18"]);
    expect(quarterCidr("192.168.4.0/24")).toEqual(["192.168.4.0/26", "192.168.4.64/26", "192.168.4.128/26", "192.168.4.192/26"]);
  });

  test("user data values are shell-quoted, so a quote in a value cannot break out", () => {
    const script = renderUserData({
      region: R,
      dbInstances: ["d-1"],
      endpoint: "e",
      readerEndpoint: "r",
      secretArn: "it's",
      prefix: "audit-logs/",
      scripts: { "setup_ec2.sh": "#!/bin/sh\n" },
    });
    expect(script).toContain("--secret-arn 'it'\\''s'");
  });

  test("a script containing the heredoc terminator is refused", () => {
    expect(() =>
      renderUserData({ region: R, dbInstances: [], endpoint: "e", readerEndpoint: "r", secretArn: "s", prefix: "p/", scripts: { "x.sh": "a\nAURORA_LAB_SCRIPT_END\nb" } }),
    ).toThrow(/x\.sh contains the line AURORA_LAB_SCRIPT_END/);
  });
});
