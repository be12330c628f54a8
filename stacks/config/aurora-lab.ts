/** The `auroraLab` section: the Aurora MySQL lab (VPC, EC2 client, cluster) that exercises the audit-log pipeline. */
import type { RuleInput } from "./app-config";
import { configKey } from "./top-level";
import { ConfigProblem, Field, bool, int, ipv4Cidr, list, logRetention, optionalStr, section, str } from "./schema";

export const auroraLabFields = {
  enabled: bool("Build the Aurora MySQL lab (VPC, EC2 client, Aurora cluster) that exercises the audit-log pipeline (primary stack only).", false),
  vpcCidr: ipv4Cidr(
    "The lab VPC's IPv4 range; split into quarters: one public subnet and two private subnets (two availability zones).",
    "10.42.0.0/16",
    16,
    24,
  ),
  natGateway: bool("Add a NAT gateway (public subnet) so the client reaches the internet, e.g. to download sysbench's source; off: VPC endpoints only.", false),
  clientInstanceType: str("Instance type of the EC2 client; arm64 (Graviton) because the AMI is Amazon Linux 2023 arm64.", {
    default: "t4g.micro",
    pattern: /^(t4g|m6g|m7g|c6g|c7g|r6g|r7g)\.(nano|micro|small|medium|large|\d*xlarge)$/,
    allowed: "an arm64 (Graviton) instance type such as t4g.micro",
  }),
  clientRootVolumeGiB: int("Size of the client's encrypted gp3 root volume (GiB).", { min: 8, max: 100, default: 16 }),
  clusterIdentifier: str("Aurora cluster identifier; also names its log groups /aws/rds/cluster/<id>/<type>.", {
    default: "cn-log-backup-lab",
    pattern: /^(?!.*--)[a-z][a-z0-9-]{0,54}[a-z0-9]$/,
    allowed: "2-56 lower-case letters, digits or hyphens, starting with a letter, not ending with a hyphen, no two hyphens in a row",
  }),
  engineVersion: str("Aurora MySQL 3 engine version (aws rds describe-db-engine-versions --engine aurora-mysql lists those offered in the region).", {
    default: "8.0.mysql_aurora.3.08.2",
    pattern: /^8\.0\.mysql_aurora\.3\.\d{2}\.\d+$/,
    allowed: "an Aurora MySQL 3 version such as 8.0.mysql_aurora.3.08.2",
  }),
  dbInstanceClass: str("Instance class of the writer and the reader.", {
    default: "db.t4g.medium",
    pattern: /^db\.(t4g|r6g|r7g|r8g)\.(medium|large|\d*xlarge)$/,
    allowed: "a Graviton DB instance class Aurora MySQL 3 supports, such as db.t4g.medium or db.r6g.large",
  }),
  masterUsername: str("Master user name; its password is generated and kept in Secrets Manager (manageMasterUserPassword).", {
    default: "labadmin",
    pattern: /^(?!rdsadmin$)[A-Za-z][A-Za-z0-9_]{0,15}$/,
    allowed: "1-16 letters, digits or underscores, starting with a letter, not rdsadmin",
  }),
  backupRetentionDays: int("Days Aurora keeps automated backups.", { min: 1, max: 35, default: 7 }),
  deletionProtection: bool("Protect the cluster against deletion.", true),
  finalSnapshot: bool("Take a final snapshot (<clusterIdentifier>-final) when the cluster is deleted.", true),
  auditExcludedUsers: list(
    str("", { pattern: /^[A-Za-z0-9_]{1,32}$/, allowed: "a MySQL user name (1-32 letters, digits or underscores)" }),
    "Users whose activity Advanced Auditing skips (server_audit_excl_users); empty: audit everyone.",
    ["rdsadmin"],
  ),
  slowQuerySeconds: int("long_query_time: statements slower than this go to the slow query log (exported to CloudWatch Logs).", {
    min: 1,
    max: 3600,
    default: 2,
  }),
  logRetentionDays: logRetention("Retention of the cluster's audit, error and slow query log groups (LogArchive creates them with the archive key).", 365),
  backupTagKey: str("Tag key on the cluster that the AWS Backup plan (BackupEvents) selects.", {
    default: "cn-log-backup:backup",
    pattern: /^(?!aws:)[\p{L}\p{N}\s_.:/=+\-@]{1,128}$/u,
    allowed: "a tag key (1-128 characters, not starting with aws:)",
  }),
  backupTagValue: str("Tag value on the cluster that the AWS Backup plan (BackupEvents) selects.", {
    default: "daily",
    pattern: /^[\p{L}\p{N}\s_.:/=+\-@]{1,256}$/u,
    allowed: "a tag value (1-256 characters)",
  }),
  sysbenchSource: optionalStr(
    "sysbench source tarball for the client (https:// needs natGateway; s3:// works through the S3 endpoint). Unset: sysbench is not built at boot.",
    {
      pattern: /^(https|s3):\/\/[^\s'"]+$/,
      allowed: "an https:// URL or s3:// URI without spaces or quotes",
    },
  ),
  sysbenchSha256: optionalStr("Expected SHA-256 of sysbenchSource.", { pattern: /^[0-9a-f]{64}$/, allowed: "64 lower-case hexadecimal digits" }),
} satisfies Record<string, Field<any>>;

export const auroraLabSection = section("AuroraLab: the Aurora MySQL audit-log lab.", auroraLabFields);

/** Checks across AuroraLab keys (each alone may be valid). */
export function auroraLabProblems(cfg: RuleInput): ConfigProblem[] {
  const lab = cfg.auroraLab;
  const problems: ConfigProblem[] = [];
  // LogArchive makes the lab cluster's log groups; a second copy from rdsLogGroups would collide.
  const duplicate = cfg.logArchive?.rdsLogGroups?.find((r) => r.clusterName === lab?.clusterIdentifier);
  if (lab?.enabled && duplicate) {
    problems.push({
      key: configKey("logArchive.rdsLogGroups"),
      message: `lists ${JSON.stringify(duplicate.clusterName)}, the AuroraLab cluster, whose log groups the lab already has LogArchive create; remove that entry (or change auroraLab.clusterIdentifier)`,
    });
  }
  if (lab?.enabled && lab.sysbenchSource?.startsWith("https://") && !lab.natGateway) {
    problems.push({
      key: configKey("auroraLab.sysbenchSource"),
      message: `${JSON.stringify(lab.sysbenchSource)} is not reachable without a NAT gateway; expected an s3:// URI, or set auroraLab.natGateway: true`,
    });
  }
  if (lab?.sysbenchSha256 !== undefined && lab.sysbenchSource === undefined) {
    problems.push({ key: configKey("auroraLab.sysbenchSha256"), message: "is set but auroraLab.sysbenchSource is not; expected both or neither" });
  }
  return problems;
}
