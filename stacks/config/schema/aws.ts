/**
 * Patterns and field kinds for AWS identifiers in the China partition: account and resource ids,
 * ARNs, schedule expressions, CloudWatch Logs log-group patterns, RDS DB instances.
 */
import { compilePatterns } from "../../../functions/log-archive/common";
import { ConfigValueError, Field, safeJson } from "./field";
import { REGIONS } from "./scalars";

export const ACCOUNT_ID = /^\d{12}$/;
export const VPC_ID = /^vpc-[0-9a-f]{8}([0-9a-f]{9})?$/;
export const SUBNET_ID = /^subnet-[0-9a-f]{8}([0-9a-f]{9})?$/;
export const SECURITY_GROUP_ID = /^sg-[0-9a-f]{8}([0-9a-f]{9})?$/;
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** An ARN in the China partition, optionally of one service. */
export function chinaArnPattern(service?: string): RegExp {
  return new RegExp(`^arn:aws-cn:${service ?? "[a-z0-9-]+"}:(cn-north-1|cn-northwest-1)?:(\\d{12}|aws)?:.+$`);
}
/**
 * The ARN of one resource type in the China partition, in one of its regions and a 12-digit account:
 * `arn:aws-cn:<service>:<region>:<account>:<resource>`, where `resource` is a regular-expression
 * source matched against the whole resource part.
 */
export function chinaResourceArnPattern(service: string, resource: string): RegExp {
  return new RegExp(`^arn:aws-cn:${service}:(${REGIONS.join("|")}):\\d{12}:${resource}$`);
}
/** An AWS Backup vault ARN. */
export const BACKUP_VAULT_ARN = chinaResourceArnPattern("backup", "backup-vault:[A-Za-z0-9_-]{2,50}");
/** A KMS key by key ARN (single- or multi-Region key id). */
export const KMS_KEY_ARN = chinaResourceArnPattern("kms", "key/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})");
/** The alias ARN of AWS Backup's AWS-managed key, `alias/aws/backup`. */
export const AWS_BACKUP_MANAGED_KEY_ALIAS_ARN = chinaResourceArnPattern("kms", "alias/aws/backup");
/** The region and account fields of an ARN. */
export function arnRegionAndAccount(arn: string): { region: string; account: string } {
  const [, , , region = "", account = ""] = arn.split(":");
  return { region, account };
}
/** EventBridge / Backup schedule expressions. */
export const SCHEDULE_EXPRESSION = /^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\(([^ )]+ ){5}[^ )]+\))$/;
/** A CloudWatch Logs log group name. */
export const LOG_GROUP_NAME = /^[A-Za-z0-9_\-/.#]{1,512}$/;

/** A list of log-group patterns (syntax in functions/log-archive/common.ts). */
export function logGroupPatternList(doc: string, def: string[]): Field<string[]> {
  const allowed =
    'a list of log-group patterns: a prefix ("/aws/rds/cluster/"), a whole-name glob with * ("/aws/lambda/*-prod"), or either with a leading ! to exclude';
  return {
    doc,
    allowed,
    default: def,
    parse(raw) {
      const value = typeof raw === "string" ? safeJson(raw) : raw;
      if (!Array.isArray(value) || value.length === 0) throw new ConfigValueError(allowed);
      for (const v of value) {
        if (typeof v !== "string" || !/^!?[A-Za-z0-9_\-/.#*]+$/.test(v) || v === "!") throw new ConfigValueError(`${allowed} (bad item ${JSON.stringify(v)})`);
      }
      try {
        compilePatterns(value as string[]);
      } catch (e) {
        throw new ConfigValueError(`${allowed} (${(e as Error).message})`);
      }
      if (!(value as string[]).some((v) => !v.startsWith("!"))) throw new ConfigValueError(`${allowed} (at least one must include)`);
      return value as string[];
    },
  };
}

/** Engines whose DB instances RDS cross-Region automated backups replicate. */
export const REPLICABLE_ENGINES = [
  "mysql",
  "mariadb",
  "postgres",
  "oracle-ee",
  "oracle-ee-cdb",
  "oracle-se2",
  "oracle-se2-cdb",
  "sqlserver-ee",
  "sqlserver-se",
  "sqlserver-ex",
  "sqlserver-web",
  "db2-se",
  "db2-ae",
] as const;

const AURORA_WHY =
  "RDS cross-Region automated backups replicate RDS DB instances only; Aurora reaches Ningxia as AWS Backup copies (backupEvents): tag the Aurora cluster for the backup plan instead";

/** One source DB instance: `{ "dbInstanceArn": "arn:aws-cn:rds:cn-north-1:<acct>:db:<id>", "engine": "mysql", "encrypted": true }`. */
export function replicatedInstance(): Field<{ dbInstanceArn: string; engine: string; encrypted: boolean }> {
  const allowed = `an object { dbInstanceArn: "arn:aws-cn:rds:<region>:<account>:db:<id>", engine: one of ${REPLICABLE_ENGINES.join(", ")}, encrypted: true|false (default true) }`;
  return {
    doc: "a DB instance",
    allowed,
    parse(raw) {
      if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new ConfigValueError(allowed);
      const { dbInstanceArn, engine, encrypted, ...rest } = raw as Record<string, unknown>;
      if (Object.keys(rest).length > 0) throw new ConfigValueError(`unknown key ${Object.keys(rest).join(", ")}; expected ${allowed}`);
      if (typeof dbInstanceArn !== "string") throw new ConfigValueError(`dbInstanceArn is required; expected ${allowed}`);
      if (/^arn:aws-cn:rds:[a-z0-9-]+:\d{12}:cluster:/.test(dbInstanceArn)) {
        throw new ConfigValueError(`${JSON.stringify(dbInstanceArn)} is a DB cluster (Aurora or Multi-AZ cluster): ${AURORA_WHY}`);
      }
      if (!/^arn:aws-cn:rds:(cn-north-1|cn-northwest-1):\d{12}:db:[A-Za-z][A-Za-z0-9-]{0,62}$/.test(dbInstanceArn)) {
        throw new ConfigValueError(`${JSON.stringify(dbInstanceArn)} is not a DB instance ARN in aws-cn; expected ${allowed}`);
      }
      if (typeof engine === "string" && engine.startsWith("aurora")) {
        throw new ConfigValueError(`${JSON.stringify(dbInstanceArn)} is an Aurora instance (engine ${engine}): ${AURORA_WHY}`);
      }
      if (typeof engine !== "string" || !(REPLICABLE_ENGINES as readonly string[]).includes(engine)) {
        throw new ConfigValueError(`engine ${JSON.stringify(engine)} of ${dbInstanceArn} is not allowed; expected one of ${REPLICABLE_ENGINES.join(", ")}`);
      }
      if (encrypted !== undefined && typeof encrypted !== "boolean") throw new ConfigValueError(`encrypted must be true or false; expected ${allowed}`);
      return { dbInstanceArn, engine, encrypted: encrypted ?? true };
    },
  };
}
