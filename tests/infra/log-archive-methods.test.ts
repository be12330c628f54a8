/**
 * LogArchive built directly (not through a stack), to exercise what other components call on it
 * later: `createRdsLogGroups` and `addFlowLogs` (AuroraLab's cluster and VPC), and the role guards.
 */
import * as pulumi from "@pulumi/pulumi";
import { LogArchive, PrimaryRoleArgs } from "../../infra/log-archive";
import { ACCOUNT_ID, outputValue, settle, useMocks } from "../helpers/pulumi";

const lifecycle = { expirationDays: 400, infrequentAccessDays: 30, glacierDays: 90, noncurrentVersionExpirationDays: 90, abortIncompleteMultipartUploadDays: 7 };
const primaryArgs = (extra: Partial<PrimaryRoleArgs> = {}): PrimaryRoleArgs => ({
  role: "primary",
  stack: "cn-north-1",
  primaryRegion: "cn-north-1",
  backupRegion: "cn-northwest-1",
  replica: { bucketArn: "arn:aws-cn:s3:::replica", keyArn: `arn:aws-cn:kms:cn-northwest-1:${ACCOUNT_ID}:key/r` },
  replication: { replicationTimeControl: false, storageClass: "STANDARD" },
  lifecycle,
  cloudWatchLogs: {
    mode: "firehose",
    logGroupPatterns: ["/aws/rds/cluster/", "/ec2/"],
    subscriptionSchedule: "rate(1 hour)",
    firehose: { bufferSizeMb: 5, bufferIntervalSeconds: 300, decompress: false },
    exportTask: { period: "hour", schedule: "rate(15 minutes)" },
  },
  flowLogs: { vpcIds: [], trafficType: "ALL" },
  cloudTrail: { enabled: true, multiRegion: true },
  ec2Agent: { logFiles: [] },
  rdsLogGroups: [],
  logGroupRetentionDays: 400,
  lambdaLogKeyArn: `arn:aws-cn:kms:cn-north-1:${ACCOUNT_ID}:key/l`,
  lambdaLogRetentionDays: 365,
  kmsKeyDeletionWindowDays: 30,
  ...extra,
});

describe("LogArchive methods for other components", () => {
  test("createRdsLogGroups and addFlowLogs after construction: KMS, retention, subscription, Parquet flow logs", async () => {
    const mocks = await useMocks("cn-north-1");
    const la = new LogArchive("la", primaryArgs());
    const groups = la.createRdsLogGroups("lab-rds", "lab-aurora", ["audit", "error", "slowquery"]);
    const vpcId = pulumi.output("vpc-0aaaabbbbccccdddd");
    la.addFlowLogs("lab-flow-logs", vpcId);
    expect(groups).toHaveLength(3);
    await outputValue(la.bucketArn);
    await settle();
    const key = mocks.resources.find((r) => r.name === "la-archive-key")!;
    const created = mocks.resources.filter((r) => r.type === "aws:cloudwatch/logGroup:LogGroup" && r.inputs.name.startsWith("/aws/rds/cluster/lab-aurora/"));
    expect(created.map((g) => g.inputs.name).sort()).toEqual(["/aws/rds/cluster/lab-aurora/audit", "/aws/rds/cluster/lab-aurora/error", "/aws/rds/cluster/lab-aurora/slowquery"]);
    for (const g of created) expect(g.inputs).toMatchObject({ kmsKeyId: key.state.arn, retentionInDays: 400 });
    const filters = mocks.resources.filter((r) => r.type === "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter" && r.inputs.logGroup.startsWith("/aws/rds/cluster/lab-aurora/"));
    expect(filters).toHaveLength(3);
    const fl = mocks.resources.find((r) => r.name === "lab-flow-logs")!;
    const bucket = mocks.resources.find((r) => r.name === "la-archive")!;
    expect(fl.inputs).toMatchObject({
      vpcId: "vpc-0aaaabbbbccccdddd",
      logDestination: `${bucket.state.arn}/flow-logs/`,
      destinationOptions: { fileFormat: "parquet", hiveCompatiblePartitions: true, perHourPartition: true },
    });
  });

  test("deferred functions, the RdsLogGroupFactory shape and the agent kit other components take", async () => {
    const mocks = await useMocks("cn-north-1");
    const la = new LogArchive("la3", primaryArgs({ deferFunctions: true }));
    expect(la.subscriber).toBeUndefined();
    const groups = la.rdsLogGroupFactory()("lab-aurora", ["audit"], la);
    la.createFunctions({ subnetIds: ["subnet-0aaaabbbbccccdddd"], securityGroupIds: ["sg-0aaaabbbbccccdddd"] });
    expect(() => la.createFunctions()).toThrow("createFunctions was already called");
    const kit = la.agentKit();
    expect(Object.keys(kit)).toEqual(["cloudWatchAgentConfigParameter"]);
    const param = await outputValue(kit.cloudWatchAgentConfigParameter);
    await settle();
    expect(groups).toHaveLength(1);
    expect(mocks.resources.find((r) => r.name === "la3-rds-lab-aurora-audit")!.inputs.name).toBe("/aws/rds/cluster/lab-aurora/audit");
    expect(mocks.resources.find((r) => r.type === "aws:lambda/function:Function" && r.name === "la3-subscriber")!.inputs.vpcConfig).toMatchObject({ subnetIds: ["subnet-0aaaabbbbccccdddd"] });
    expect(param).toBe("AmazonCloudWatch-cn-log-backup-cn-north-1");
  });

  test("a log group outside the patterns is created but not subscribed; the backup role creates neither", async () => {
    const mocks = await useMocks("cn-north-1");
    const la = new LogArchive("la2", primaryArgs({ cloudWatchLogs: { ...primaryArgs().cloudWatchLogs, logGroupPatterns: ["/ec2/"] } }));
    la.createRdsLogGroups("other-rds", "x", ["error"]);
    await outputValue(la.bucketArn);
    await settle();
    expect(mocks.resources.some((r) => r.type === "aws:cloudwatch/logGroup:LogGroup" && r.inputs.name === "/aws/rds/cluster/x/error")).toBe(true);
    expect(mocks.resources.some((r) => r.type === "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter" && r.inputs.logGroup === "/aws/rds/cluster/x/error")).toBe(false);

    await useMocks("cn-northwest-1");
    const replica = new LogArchive("replica", { role: "backup", primaryRegion: "cn-north-1", backupRegion: "cn-northwest-1", lifecycle: { ...lifecycle, expirationDays: 730 }, kmsKeyDeletionWindowDays: 30 });
    expect(() => replica.createRdsLogGroups("r", "x", ["error"])).toThrow("LogArchive: log groups are created by the primary role only");
    expect(() => replica.addFlowLogs("f", "vpc-0123456789abcdef0")).toThrow("flow logs are delivered by the primary role only");
    expect(() => new LogArchive("short", { role: "backup", primaryRegion: "cn-north-1", backupRegion: "cn-northwest-1", lifecycle: { ...lifecycle, expirationDays: 90 }, kmsKeyDeletionWindowDays: 30 })).toThrow(
      "expirationDays 90 is below 180",
    );
  });
});
