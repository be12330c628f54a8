/** The logArchive config section: defaults, and every bad value named with key, value and what is allowed. */
import { parseConfig } from "../../stacks/config";
import { stackConfig } from "../helpers/pulumi";
import { configErrorOf } from "../helpers/config";

const base = (logArchive: unknown, extra: Record<string, string> = {}) => ({
  "aws:region": "cn-north-1",
  "cn-log-backup:logArchive": JSON.stringify(logArchive),
  ...extra,
});

const problems = (logArchive: unknown): string => configErrorOf(base(logArchive), "cn-north-1");

describe("logArchive config", () => {
  test("defaults", () => {
    const la = parseConfig({ "aws:region": "cn-north-1" }, "cn-north-1").logArchive;
    expect(la).toEqual({
      archiveRetentionDays: 400,
      prefixRetentionDays: {},
      replicaRetentionDays: 730,
      infrequentAccessAfterDays: 30,
      glacierAfterDays: 90,
      noncurrentVersionExpirationDays: 90,
      abortIncompleteMultipartUploadDays: 7,
      objectLockMode: "off",
      objectLockDays: 180,
      primaryAccountId: undefined,
      inventory: false,
      completeness: false,
      completenessGraceHours: 24,
      completenessSchedule: "cron(0 12 * * ? *)",
      athenaBytesScannedCutoffMb: 102400,
      archiveSearch: false,
      replicationTimeControl: false,
      replicaStorageClass: "STANDARD",
      cloudWatchLogsMode: "firehose",
      logGroupPatterns: ["/aws/rds/cluster/", "/ec2/"],
      subscriptionSchedule: "rate(1 hour)",
      firehoseBufferSizeMb: 5,
      firehoseBufferIntervalSeconds: 300,
      firehoseDecompression: false,
      exportPeriod: "hour",
      exportSchedule: "rate(15 minutes)",
      flowLogVpcIds: [],
      flowLogTrafficType: "ALL",
      cloudTrail: true,
      cloudTrailMultiRegion: true,
      logGroupRetentionDays: 400,
      ec2LogFiles: [],
      rdsLogGroups: [],
    });
  });

  test("both stack files parse, and their logArchive rows are what they say", () => {
    const primary = parseConfig(stackConfig("cn-north-1"), "cn-north-1").logArchive;
    expect(primary.cloudWatchLogsMode).toBe("firehose");
    expect(primary.ec2LogFiles.map((f) => f.logGroupName)).toEqual(["/ec2/cloud-init-output", "/ec2/ssm-agent"]);
    const backup = parseConfig(stackConfig("cn-northwest-1"), "cn-northwest-1").logArchive;
    expect(backup.replicaRetentionDays).toBe(730);
    expect(backup.objectLockMode).toBe("off");
  });

  test.each([
    [{ archiveRetentionDays: 90 }, "cn-log-backup:logArchive.archiveRetentionDays: 90 is not allowed; expected an integer from 180 to 36500"],
    [{ replicaRetentionDays: 179 }, "cn-log-backup:logArchive.replicaRetentionDays: 179 is not allowed; expected an integer from 180 to 36500"],
    [
      { prefixRetentionDays: { "flow-logs": 30 } },
      'cn-log-backup:logArchive.prefixRetentionDays: {"flow-logs":30} is not allowed; expected an object mapping cloudwatch, flow-logs, cloudtrail, audit-logs, exports to days (180-36500) (bad entry "flow-logs": 30)',
    ],
    [{ prefixRetentionDays: { logs: 400 } }, '(bad entry "logs": 400)'],
    [{ cloudWatchLogsMode: "kinesis" }, 'cn-log-backup:logArchive.cloudWatchLogsMode: "kinesis" is not allowed; expected one of firehose, exportTask'],
    [{ exportPeriod: "week" }, 'cn-log-backup:logArchive.exportPeriod: "week" is not allowed; expected one of hour, day'],
    [{ objectLockMode: "governance" }, 'cn-log-backup:logArchive.objectLockMode: "governance" is not allowed; expected one of off, GOVERNANCE, COMPLIANCE'],
    [{ logGroupPatterns: [] }, "cn-log-backup:logArchive.logGroupPatterns: [] is not allowed; expected a list of log-group patterns"],
    [{ logGroupPatterns: ["!/only/excludes/"] }, "(at least one must include)"],
    [{ logGroupPatterns: ["/ok/", "bad pattern"] }, '(bad item "bad pattern")'],
    [{ logGroupPatterns: ["/ok/", "!"] }, '(bad item "!")'],
    [
      { subscriptionSchedule: "every hour" },
      'cn-log-backup:logArchive.subscriptionSchedule: "every hour" is not allowed; expected an EventBridge schedule expression, rate(...) or cron(...)',
    ],
    [{ firehoseBufferSizeMb: 256 }, "cn-log-backup:logArchive.firehoseBufferSizeMb: 256 is not allowed; expected an integer from 1 to 128"],
    [{ firehoseBufferIntervalSeconds: 901 }, "cn-log-backup:logArchive.firehoseBufferIntervalSeconds: 901 is not allowed; expected an integer from 0 to 900"],
    [
      { flowLogVpcIds: ["vpc-123"] },
      'cn-log-backup:logArchive.flowLogVpcIds: ["vpc-123"] is not allowed; expected a list of a VPC id (vpc-...) (item 0: "vpc-123" is not a VPC id (vpc-...))',
    ],
    [{ flowLogTrafficType: "all" }, 'cn-log-backup:logArchive.flowLogTrafficType: "all" is not allowed; expected one of ALL, ACCEPT, REJECT'],
    [
      { logGroupRetentionDays: 200 },
      "cn-log-backup:logArchive.logGroupRetentionDays: 200 is not allowed; expected one of the CloudWatch Logs retention periods",
    ],
    [
      { ec2LogFiles: [{ filePath: "var/log/x", logGroupName: "/ec2/x" }] },
      'cn-log-backup:logArchive.ec2LogFiles: [{"filePath":"var/log/x","logGroupName":"/ec2/x"}] is not allowed; expected a list of objects {"filePath": "/var/log/...", "logGroupName": "/ec2/..."} (item 0:',
    ],
    [{ ec2LogFiles: [{ filePath: "/var/log/x", logGroupName: "has space" }] }, "cn-log-backup:logArchive.ec2LogFiles:"],
    [{ rdsLogGroups: [{ clusterName: "Orders", logTypes: ["audit"] }] }, "cn-log-backup:logArchive.rdsLogGroups:"],
    [{ rdsLogGroups: [{ clusterName: "orders", logTypes: ["binlog"] }] }, '(item 0: {"clusterName":"orders","logTypes":["binlog"]} is not)'],
    [{ primaryAccountId: "12345" }, 'cn-log-backup:logArchive.primaryAccountId: "12345" is not allowed; expected a 12-digit AWS account id'],
    [{ unknownKey: 1 }, "cn-log-backup:logArchive.unknownKey: unknown key; allowed keys here: archiveRetentionDays,"],
  ])("rejects %j", (la, message) => {
    expect(problems(la)).toContain(message);
  });

  test("cross-key rules name the key, the value and the bound", () => {
    expect(problems({ infrequentAccessAfterDays: 60, glacierAfterDays: 80 })).toContain(
      "cn-log-backup:logArchive.glacierAfterDays: 80 is not allowed; expected at least infrequentAccessAfterDays + 30 (90)",
    );
    expect(problems({ glacierAfterDays: 400, archiveRetentionDays: 400 })).toContain(
      "cn-log-backup:logArchive.archiveRetentionDays: 400 is not allowed; expected more than glacierAfterDays (400)",
    );
    expect(problems({ glacierAfterDays: 300, prefixRetentionDays: { cloudtrail: 250 } })).toContain(
      "cn-log-backup:logArchive.prefixRetentionDays.cloudtrail: 250 is not allowed; expected more than glacierAfterDays (300)",
    );
    expect(problems({ objectLockMode: "COMPLIANCE", objectLockDays: 800, replicaRetentionDays: 730 })).toContain(
      "cn-log-backup:logArchive.objectLockDays: 800 is not allowed; expected at most replicaRetentionDays (730)",
    );
    // Object Lock days above the retention are fine while Object Lock is off.
    expect(() => parseConfig(base({ objectLockMode: "off", objectLockDays: 800 }), "cn-north-1")).not.toThrow();
  });

  test("every problem is reported at once", () => {
    const msg = problems({ archiveRetentionDays: 1, exportPeriod: "week", flowLogTrafficType: "x" });
    expect(msg.match(/^  - /gm)).toHaveLength(3);
  });

  test("valid non-default values are parsed", () => {
    const la = parseConfig(
      base({
        cloudWatchLogsMode: "exportTask",
        exportPeriod: "day",
        logGroupPatterns: ["/aws/rds/cluster/", "*/error", "!/aws/rds/cluster/scratch-"],
        ec2LogFiles: [{ filePath: "/var/log/app/*.log", logGroupName: "/ec2/app" }],
        rdsLogGroups: [{ clusterName: "orders", logTypes: ["audit", "error"] }],
        prefixRetentionDays: { cloudtrail: 2000 },
        objectLockMode: "GOVERNANCE",
        objectLockDays: 365,
      }),
      "cn-north-1",
    ).logArchive;
    expect(la.logGroupPatterns).toEqual(["/aws/rds/cluster/", "*/error", "!/aws/rds/cluster/scratch-"]);
    expect(la.rdsLogGroups).toEqual([{ clusterName: "orders", logTypes: ["audit", "error"] }]);
    expect(la.prefixRetentionDays).toEqual({ cloudtrail: 2000 });
  });
});
