/** The `auroraLab` config section: defaults, and errors that name the key, the value and what is allowed. */
import { parseConfig } from "../../stacks/config";
import { stackConfig } from "../../tools/harness";
import { configErrorOf } from "../helpers/config";

const base = (lab?: Record<string, unknown>): Record<string, string> => ({
  "aws:region": "cn-north-1",
  ...(lab ? { "cn-log-backup:auroraLab": JSON.stringify(lab) } : {}),
});

const problemsOf = (all: Record<string, string>): string => configErrorOf(all, "cn-north-1");

describe("auroraLab defaults", () => {
  test("off unless enabled, with the lab's documented defaults", () => {
    const lab = parseConfig(base(), "cn-north-1").auroraLab;
    expect(lab).toEqual({
      enabled: false,
      vpcCidr: "10.42.0.0/16",
      natGateway: false,
      clientInstanceType: "t4g.micro",
      clientRootVolumeGiB: 16,
      clusterIdentifier: "cn-log-backup-lab",
      engineVersion: "8.0.mysql_aurora.3.08.2",
      dbInstanceClass: "db.t4g.medium",
      masterUsername: "labadmin",
      backupRetentionDays: 7,
      deletionProtection: true,
      finalSnapshot: true,
      auditExcludedUsers: ["rdsadmin"],
      slowQuerySeconds: 2,
      logRetentionDays: 365,
      backupTagKey: "cn-log-backup:backup",
      backupTagValue: "daily",
      sysbenchSource: undefined,
      sysbenchSha256: undefined,
    });
  });

  test("the Beijing stack file turns the lab on", () => {
    expect(parseConfig(stackConfig("cn-north-1"), "cn-north-1").auroraLab.enabled).toBe(true);
  });
});

describe("auroraLab errors", () => {
  const cases: [string, Record<string, unknown>, string][] = [
    [
      "CIDR too wide",
      { vpcCidr: "10.0.0.0/8" },
      'cn-log-backup:auroraLab.vpcCidr: "10.0.0.0/8" is not allowed; expected an IPv4 CIDR block from /16 to /24 on its network boundary',
    ],
    ["CIDR off boundary", { vpcCidr: "10.42.0.1/16" }, 'cn-log-backup:auroraLab.vpcCidr: "10.42.0.1/16" is not allowed'],
    ["CIDR bad octet", { vpcCidr: "10.300.0.0/16" }, 'cn-log-backup:auroraLab.vpcCidr: "10.300.0.0/16" is not allowed'],
    [
      "x86 client",
      { clientInstanceType: "t3.micro" },
      'cn-log-backup:auroraLab.clientInstanceType: "t3.micro" is not allowed; expected an arm64 (Graviton) instance type such as t4g.micro',
    ],
    [
      "Aurora MySQL 2",
      { engineVersion: "5.7.mysql_aurora.2.11.2" },
      'cn-log-backup:auroraLab.engineVersion: "5.7.mysql_aurora.2.11.2" is not allowed; expected an Aurora MySQL 3 version such as 8.0.mysql_aurora.3.08.2',
    ],
    ["bare MySQL version", { engineVersion: "8.0.32" }, 'cn-log-backup:auroraLab.engineVersion: "8.0.32" is not allowed'],
    [
      "x86 DB class",
      { dbInstanceClass: "db.t3.medium" },
      'cn-log-backup:auroraLab.dbInstanceClass: "db.t3.medium" is not allowed; expected a Graviton DB instance class',
    ],
    [
      "upper-case cluster id",
      { clusterIdentifier: "Lab_1" },
      'cn-log-backup:auroraLab.clusterIdentifier: "Lab_1" is not allowed; expected 2-56 lower-case letters',
    ],
    ["cluster id with --", { clusterIdentifier: "lab--1" }, 'cn-log-backup:auroraLab.clusterIdentifier: "lab--1" is not allowed'],
    ["cluster id ending in -", { clusterIdentifier: "lab-" }, 'cn-log-backup:auroraLab.clusterIdentifier: "lab-" is not allowed'],
    [
      "reserved master user",
      { masterUsername: "rdsadmin" },
      'cn-log-backup:auroraLab.masterUsername: "rdsadmin" is not allowed; expected 1-16 letters, digits or underscores, starting with a letter, not rdsadmin',
    ],
    ["long master user", { masterUsername: "a234567890123456x" }, 'cn-log-backup:auroraLab.masterUsername: "a234567890123456x" is not allowed'],
    ["no backups", { backupRetentionDays: 0 }, "cn-log-backup:auroraLab.backupRetentionDays: 0 is not allowed; expected an integer from 1 to 35"],
    ["too many backup days", { backupRetentionDays: 36 }, "cn-log-backup:auroraLab.backupRetentionDays: 36 is not allowed; expected an integer from 1 to 35"],
    [
      "bad excluded user",
      { auditExcludedUsers: ["rdsadmin", "bad user"] },
      'cn-log-backup:auroraLab.auditExcludedUsers: ["rdsadmin","bad user"] is not allowed; expected a list of a MySQL user name (1-32 letters, digits or underscores) (item 1: "bad user"',
    ],
    [
      "bad retention",
      { logRetentionDays: 100 },
      "cn-log-backup:auroraLab.logRetentionDays: 100 is not allowed; expected one of the CloudWatch Logs retention periods",
    ],
    ["aws: tag key", { backupTagKey: "aws:backup" }, 'cn-log-backup:auroraLab.backupTagKey: "aws:backup" is not allowed; expected a tag key'],
    ["non-boolean NAT", { natGateway: "yes" }, 'cn-log-backup:auroraLab.natGateway: "yes" is not allowed; expected true or false'],
    [
      "ftp sysbench",
      { sysbenchSource: "ftp://x/sb.tgz" },
      'cn-log-backup:auroraLab.sysbenchSource: "ftp://x/sb.tgz" is not allowed; expected an https:// URL or s3:// URI',
    ],
    [
      "short sha",
      { sysbenchSource: "s3://b/k.tgz", sysbenchSha256: "abc" },
      'cn-log-backup:auroraLab.sysbenchSha256: "abc" is not allowed; expected 64 lower-case hexadecimal digits',
    ],
    ["unknown key", { natgateway: true }, "cn-log-backup:auroraLab.natgateway: unknown key; allowed keys here: enabled, vpcCidr, natGateway"],
    [
      "https sysbench without NAT",
      { enabled: true, sysbenchSource: "https://github.com/akopytov/sysbench/archive/refs/tags/1.0.20.tar.gz" },
      'cn-log-backup:auroraLab.sysbenchSource: "https://github.com/akopytov/sysbench/archive/refs/tags/1.0.20.tar.gz" is not reachable without a NAT gateway; expected an s3:// URI, or set auroraLab.natGateway: true',
    ],
    [
      "hash without source",
      { sysbenchSha256: "a".repeat(64) },
      "cn-log-backup:auroraLab.sysbenchSha256: is set but auroraLab.sysbenchSource is not; expected both or neither",
    ],
  ];
  test.each(cases)("%s", (_name, lab, message) => {
    expect(problemsOf(base(lab))).toContain(message);
  });

  test("https sysbench with a NAT gateway, and s3 sysbench without one, are fine", () => {
    const nat = parseConfig(base({ enabled: true, natGateway: true, sysbenchSource: "https://example.com/sb.tgz" }), "cn-north-1").auroraLab;
    expect(nat.sysbenchSource).toBe("https://example.com/sb.tgz");
    const s3 = parseConfig(base({ enabled: true, sysbenchSource: "s3://b/sb.tgz", sysbenchSha256: "0".repeat(64) }), "cn-north-1").auroraLab;
    expect(s3.sysbenchSha256).toBe("0".repeat(64));
  });

  test("logArchive.rdsLogGroups may not list the lab cluster: LogArchive already makes its log groups for the lab", () => {
    const withRds = (lab: Record<string, unknown>, clusterName: string) => ({
      ...base(lab),
      "cn-log-backup:logArchive": JSON.stringify({ rdsLogGroups: [{ clusterName, logTypes: ["audit"] }] }),
    });
    expect(problemsOf(withRds({ enabled: true, clusterIdentifier: "orders-lab" }, "orders-lab"))).toContain(
      'cn-log-backup:logArchive.rdsLogGroups: lists "orders-lab", the AuroraLab cluster, whose log groups the lab already has LogArchive create; remove that entry (or change auroraLab.clusterIdentifier)',
    );
    // another cluster, or the lab off, is fine
    expect(parseConfig(withRds({ enabled: true }, "orders"), "cn-north-1").logArchive.rdsLogGroups).toEqual([{ clusterName: "orders", logTypes: ["audit"] }]);
    expect(parseConfig(withRds({ enabled: false }, "cn-log-backup-lab"), "cn-north-1").auroraLab.enabled).toBe(false);
  });

  test("every problem is reported at once", () => {
    const msg = problemsOf(base({ vpcCidr: "x", masterUsername: "rdsadmin", backupRetentionDays: 99 }));
    expect(msg).toContain("auroraLab.vpcCidr");
    expect(msg).toContain("auroraLab.masterUsername");
    expect(msg).toContain("auroraLab.backupRetentionDays");
  });
});
