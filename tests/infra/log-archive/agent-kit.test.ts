/** The EC2 CloudWatch-agent kit and the log groups LogArchive owns (infra/log-archive/agent-kit.ts). */
import { ofType, policyOf } from "../../helpers/pulumi";
import * as pulumi from "@pulumi/pulumi";
import type { StackRun } from "../../../tools/harness";
import { ACCOUNT_ID, outputValue, settle, useMocks } from "../../helpers/pulumi";
import {
  AgentKit,
  AgentKitArgs,
  CloudWatchLogsArgs,
  LogArchive,
  LogArchiveArgs,
  ReplicaLogArchive,
  agentKit,
  cloudWatchLogsToArchive,
  vpcFlowLogs,
} from "../../../infra/log-archive";
import { byName, primaryStacks } from "./helpers";

describe("LogArchive agent kit", () => {
  let run: StackRun;
  beforeAll(async () => {
    ({ run } = await primaryStacks());
  });
  const key = () => byName(run, "aws:kms/key:Key", "log-archive-archive-key");

  test("EC2 CloudWatch-agent kit: role, aws-cn managed policies, instance profile, agent config in SSM, KMS log groups", () => {
    const role = byName(run, "aws:iam/role:Role", "log-archive-agent-role");
    expect(policyOf(role, "assumeRolePolicy").Statement).toEqual([
      { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com.cn" }, Action: "sts:AssumeRole" },
    ]);
    const attached = ofType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.name.startsWith("log-archive-agent"));
    expect(attached.map((a) => a.inputs.policyArn).sort()).toEqual([
      "arn:aws-cn:iam::aws:policy/AmazonSSMManagedInstanceCore",
      "arn:aws-cn:iam::aws:policy/CloudWatchAgentServerPolicy",
    ]);
    for (const a of attached) expect(a.inputs.role).toBe(role.state.name);
    const profile = byName(run, "aws:iam/instanceProfile:InstanceProfile", "log-archive-agent-profile");
    expect(profile.inputs.role).toBe(role.state.name);
    expect(run.outputs.logArchiveAgentInstanceProfileName).toBe(profile.state.name);
    const param = byName(run, "aws:ssm/parameter:Parameter", "log-archive-agent-config");
    expect(param.inputs.name).toBe("AmazonCloudWatch-cn-log-backup-cn-north-1");
    expect(JSON.parse(param.inputs.insecureValue).logs.logs_collected.files.collect_list).toEqual([
      { file_path: "/var/log/app/*.log", log_group_name: "/ec2/app", log_stream_name: "{instance_id}", timezone: "UTC" },
    ]);
    const lg = ofType(run, "aws:cloudwatch/logGroup:LogGroup").find((g) => g.inputs.name === "/ec2/app")!;
    expect(lg.inputs).toMatchObject({ kmsKeyId: key().state.arn, retentionInDays: 400 });
  });

  test("RDS/Aurora log groups /aws/rds/cluster/<name>/<type> with KMS and retention", () => {
    const names = ofType(run, "aws:cloudwatch/logGroup:LogGroup").filter((g) => g.inputs.name.startsWith("/aws/rds/cluster/orders/"));
    expect(names.map((g) => g.inputs.name).sort()).toEqual(["/aws/rds/cluster/orders/audit", "/aws/rds/cluster/orders/error"]);
    for (const g of names) expect(g.inputs).toMatchObject({ kmsKeyId: key().state.arn, retentionInDays: 400 });
  });
});

/**
 * The parts built directly (not through a stack), in the stack's order: the archive, the agent
 * kit with the log groups other components take (AuroraLab's cluster), then the log shipping that
 * subscribes them and the flow logs of a VPC made after the archive.
 */
describe("LogArchive parts built directly", () => {
  const lifecycle = {
    expirationDays: 400,
    infrequentAccessDays: 30,
    glacierDays: 90,
    noncurrentVersionExpirationDays: 90,
    abortIncompleteMultipartUploadDays: 7,
  };
  const archiveArgs: LogArchiveArgs = {
    stack: "cn-north-1",
    primaryRegion: "cn-north-1",
    backupRegion: "cn-northwest-1",
    replica: { bucketArn: "arn:aws-cn:s3:::replica", keyArn: `arn:aws-cn:kms:cn-northwest-1:${ACCOUNT_ID}:key/r` },
    replicationTimeControl: false,
    replicaStorageClass: "STANDARD",
    lifecycle,
    cloudWatchLogsMode: "firehose",
    cloudTrail: true,
    kmsKeyDeletionWindowDays: 30,
  };
  const kitArgs = (rdsLogGroups: AgentKitArgs["rdsLogGroups"]): AgentKitArgs => ({
    stack: "cn-north-1",
    ec2LogFiles: [],
    rdsLogGroups,
    logGroupRetentionDays: 400,
  });
  const shipping = (kit: AgentKit, extra: Partial<CloudWatchLogsArgs> = {}): CloudWatchLogsArgs => ({
    stack: "cn-north-1",
    cloudWatchLogsMode: "firehose",
    logGroupPatterns: ["/aws/rds/cluster/", "/ec2/"],
    subscriptionSchedule: "rate(1 hour)",
    firehoseBufferSizeMb: 5,
    firehoseBufferIntervalSeconds: 300,
    firehoseDecompression: false,
    exportPeriod: "hour",
    exportSchedule: "rate(15 minutes)",
    logGroupRetentionDays: 400,
    logGroups: kit.logGroups,
    lambdaLogKeyArn: `arn:aws-cn:kms:cn-north-1:${ACCOUNT_ID}:key/l`,
    lambdaLogRetentionDays: 365,
    ...extra,
  });

  test("RDS log groups and flow logs of resources made after the archive: KMS, retention, subscription, Parquet flow logs", async () => {
    const mocks = await useMocks("cn-north-1");
    const la = new LogArchive("la", archiveArgs);
    const kit = agentKit(la, kitArgs([{ clusterName: "lab-aurora", logTypes: ["audit", "error", "slowquery"] }]));
    const groups = kit.rdsLogGroups.get("lab-aurora")!;
    cloudWatchLogsToArchive(la, shipping(kit));
    const vpcId = pulumi.output("vpc-0aaaabbbbccccdddd");
    vpcFlowLogs(la, { vpcs: [{ name: "lab-flow-logs", vpcId }], flowLogTrafficType: "ALL" });
    expect(Object.keys(groups)).toEqual(["audit", "error", "slowquery"]);
    await outputValue(la.bucketArn);
    await settle();
    const key = mocks.resources.find((r) => r.name === "la-archive-key")!;
    const created = mocks.resources.filter((r) => r.type === "aws:cloudwatch/logGroup:LogGroup" && r.inputs.name.startsWith("/aws/rds/cluster/lab-aurora/"));
    expect(created.map((g) => g.inputs.name).sort()).toEqual([
      "/aws/rds/cluster/lab-aurora/audit",
      "/aws/rds/cluster/lab-aurora/error",
      "/aws/rds/cluster/lab-aurora/slowquery",
    ]);
    for (const g of created) expect(g.inputs).toMatchObject({ kmsKeyId: key.state.arn, retentionInDays: 400 });
    const filters = mocks.resources.filter(
      (r) => r.type === "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter" && r.inputs.logGroup.startsWith("/aws/rds/cluster/lab-aurora/"),
    );
    expect(filters).toHaveLength(3);
    const fl = mocks.resources.find((r) => r.name === "lab-flow-logs")!;
    const bucket = mocks.resources.find((r) => r.name === "la-archive")!;
    expect(fl.inputs).toMatchObject({
      vpcId: "vpc-0aaaabbbbccccdddd",
      logDestination: `${bucket.state.arn}/flow-logs/`,
      destinationOptions: { fileFormat: "parquet", hiveCompatiblePartitions: true, perHourPartition: true },
    });
  });

  test("functions built once their network is known, the RDS log groups by cluster and type, and the agent kit other components take", async () => {
    const mocks = await useMocks("cn-north-1");
    const la = new LogArchive("la3", archiveArgs);
    const kit = agentKit(la, kitArgs([{ clusterName: "lab-aurora", logTypes: ["audit"] }]));
    // Only what the kit made: no other cluster, no other log type.
    const groups = kit.rdsLogGroups.get("lab-aurora")!;
    expect(Object.keys(groups)).toEqual(["audit"]);
    expect([...kit.rdsLogGroups.keys()]).toEqual(["lab-aurora"]);
    const shipped = cloudWatchLogsToArchive(
      la,
      shipping(kit, { lambdaVpc: { subnetIds: ["subnet-0aaaabbbbccccdddd"], securityGroupIds: ["sg-0aaaabbbbccccdddd"] } }),
    );
    expect(shipped.exporter).toBeUndefined();
    expect(Object.keys(kit.clientKit)).toEqual(["cloudWatchAgentConfigParameter"]);
    const param = await outputValue(kit.clientKit.cloudWatchAgentConfigParameter);
    await settle();
    expect(await outputValue(groups.audit.name)).toBe("/aws/rds/cluster/lab-aurora/audit");
    expect(mocks.resources.find((r) => r.name === "la3-rds-lab-aurora-audit")!.inputs.name).toBe("/aws/rds/cluster/lab-aurora/audit");
    expect(mocks.resources.find((r) => r.type === "aws:lambda/function:Function" && r.name === "la3-subscriber")!.inputs.vpcConfig).toMatchObject({
      subnetIds: ["subnet-0aaaabbbbccccdddd"],
    });
    expect(param).toBe("AmazonCloudWatch-cn-log-backup-cn-north-1");
  });

  test("a log group outside the patterns is created but not subscribed; either region refuses an expiry below 180 days", async () => {
    const mocks = await useMocks("cn-north-1");
    const la = new LogArchive("la2", archiveArgs);
    const kit = agentKit(la, kitArgs([{ clusterName: "x", logTypes: ["error"] }]));
    cloudWatchLogsToArchive(la, shipping(kit, { logGroupPatterns: ["/ec2/"] }));
    await outputValue(la.bucketArn);
    await settle();
    expect(mocks.resources.some((r) => r.type === "aws:cloudwatch/logGroup:LogGroup" && r.inputs.name === "/aws/rds/cluster/x/error")).toBe(true);
    expect(
      mocks.resources.some((r) => r.type === "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter" && r.inputs.logGroup === "/aws/rds/cluster/x/error"),
    ).toBe(false);

    await useMocks("cn-northwest-1");
    const replica = { primaryRegion: "cn-north-1", backupRegion: "cn-northwest-1", kmsKeyDeletionWindowDays: 30 };
    expect(() => new ReplicaLogArchive("short", { ...replica, lifecycle: { ...lifecycle, expirationDays: 90 } })).toThrow("expirationDays 90 is below 180");
    expect(() => new LogArchive("short-archive", { ...archiveArgs, lifecycle: { ...lifecycle, expirationDays: 90 } })).toThrow(
      "expirationDays 90 is below 180",
    );
  });
});
