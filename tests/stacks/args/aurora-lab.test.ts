/** stacks/args/aurora-lab.ts: config `auroraLab.*` -> AuroraLab's Args, field by field; the kit's log groups as data. */
import { parseConfig } from "../../../stacks/config";
import { auroraLabArgs, labRdsLogGroups } from "../../../stacks/args/aurora-lab";
import type { AgentKit } from "../../../infra/log-archive";

const REGION = { "aws:region": "cn-north-1" };
const cfgWith = (lab: Record<string, unknown>) =>
  parseConfig({ ...REGION, "cn-log-backup:auroraLab": JSON.stringify({ enabled: true, ...lab }) }, "cn-north-1");

/** The kit as data: the agent parameter, and stand-ins for the log groups it made, by cluster and type. */
const groups = { audit: { stand: "audit" }, error: { stand: "error" }, slowquery: { stand: "slowquery" } };
const kitFor = (clusterName: string) =>
  ({
    clientKit: { cloudWatchAgentConfigParameter: "AmazonCloudWatch-cn-log-backup-cn-north-1" },
    rdsLogGroups: new Map([[clusterName, groups]]),
  }) as unknown as Pick<AgentKit, "clientKit" | "rdsLogGroups">;

describe("labRdsLogGroups", () => {
  test("the lab cluster's three exports with auroraLab.logRetentionDays; none without the lab", () => {
    expect(labRdsLogGroups(cfgWith({ clusterIdentifier: "orders-lab", logRetentionDays: 90 }))).toEqual({
      clusterName: "orders-lab",
      logTypes: ["audit", "error", "slowquery"],
      retentionInDays: 90,
    });
    expect(labRdsLogGroups(parseConfig(REGION, "cn-north-1"))).toBeUndefined();
  });
});

describe("auroraLabArgs", () => {
  test("each auroraLab.* value arrives in its Args field", () => {
    // Values other than the defaults; these auroraLab keys are named as the Args' `database` fields.
    const database = {
      clusterIdentifier: "orders-lab",
      masterUsername: "labroot",
      backupRetentionDays: 14,
      deletionProtection: false,
      finalSnapshot: false,
      auditExcludedUsers: ["rdsadmin", "monitor"],
      slowQuerySeconds: 5,
    };
    const cfg = cfgWith({
      ...database,
      vpcCidr: "10.60.0.0/16",
      natGateway: true,
      clientInstanceType: "t4g.small",
      clientRootVolumeGiB: 20,
      dbInstanceClass: "db.r7g.large",
      backupTagKey: "backup-plan",
      backupTagValue: "hourly",
      logRetentionDays: 90,
    });
    const args = auroraLabArgs(cfg, { project: "t" }, { kit: kitFor("orders-lab"), auditArchive: undefined });
    expect(args).toMatchObject({
      stack: "cn-north-1",
      region: "cn-north-1",
      vpcCidr: "10.60.0.0/16",
      natGateway: true,
      client: { instanceType: "t4g.small", rootVolumeGiB: 20 },
      database: { ...database, instanceClass: "db.r7g.large" },
      backupSelectionTag: { key: "backup-plan", value: "hourly" },
      tags: { project: "t" },
    });
    expect(args.logs.retentionInDays).toBe(90);
    expect(args.auditLogs).toBeUndefined();
    expect(args.sysbench).toBeUndefined();
  });

  test("the kit's agent parameter and its log groups for the lab cluster arrive as data; the audit archive as auditLogs", () => {
    const cfg = cfgWith({ clusterIdentifier: "orders-lab" });
    const auditArchive = { bucket: "archive-bucket", keyArn: "arn:aws-cn:kms:cn-north-1:123456789012:key/archive" };
    const args = auroraLabArgs(cfg, {}, { kit: kitFor("orders-lab"), auditArchive });
    expect(args.clientKit).toEqual({ cloudWatchAgentConfigParameter: "AmazonCloudWatch-cn-log-backup-cn-north-1" });
    expect(args.logs.logGroups).toBe(groups);
    expect(typeof args.logs.logGroups).toBe("object");
    expect(args.auditLogs).toEqual({ bucketName: "archive-bucket", bucketKeyArn: auditArchive.keyArn });
  });

  test("a kit without the lab cluster's log groups is refused by name (the lab would make unarchived ones)", () => {
    expect(() => auroraLabArgs(cfgWith({ clusterIdentifier: "orders-lab" }), {}, { kit: kitFor("other"), auditArchive: undefined })).toThrow(
      "auroraLab: LogArchive's agent kit made no log groups for cluster orders-lab",
    );
  });
});
