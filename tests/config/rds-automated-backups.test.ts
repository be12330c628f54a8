/** The rdsAutomatedBackups config section (stacks/config/rds-automated-backups.ts): the instance kind and the region rule. */
import { parseConfig } from "../../stacks/config";
import { rdsAutomatedBackupsProblems } from "../../stacks/config/rds-automated-backups";
import { replicatedInstance } from "../../stacks/config/schema";
import { ACCOUNT_ID } from "../../tools/mocks/aws-cn";
import { backupStackConfig, configErrorOf } from "../helpers/config";

const DB = (id: string, region = "cn-north-1") => `arn:aws-cn:rds:${region}:123456789012:db:${id}`;
const BACKUP = { "aws:region": "cn-northwest-1" };
/** The config error of the backup stack with both regions set and `sections` added. */
const errorOf = (sections: Record<string, unknown>) => configErrorOf(backupStackConfig(sections), "cn-northwest-1");

const problems = (rdsAutomatedBackups: unknown): string =>
  configErrorOf({ ...BACKUP, "cn-log-backup:rdsAutomatedBackups": JSON.stringify(rdsAutomatedBackups) }, "cn-northwest-1");

describe("rdsAutomatedBackups config", () => {
  test("defaults: nothing replicated, kept 7 days, a key the stack creates", () => {
    expect(parseConfig(BACKUP, "cn-northwest-1").rdsAutomatedBackups).toEqual({ instances: [], retentionPeriodDays: 7, kmsKeyArn: undefined });
  });

  test("an instance is encrypted unless it says otherwise", () => {
    const cfg = parseConfig(
      {
        ...BACKUP,
        "cn-log-backup:rdsAutomatedBackups": JSON.stringify({
          instances: [
            { dbInstanceArn: DB("a"), engine: "postgres" },
            { dbInstanceArn: DB("b"), engine: "mysql", encrypted: false },
          ],
        }),
      },
      "cn-northwest-1",
    );
    expect(cfg.rdsAutomatedBackups.instances).toEqual([
      { dbInstanceArn: DB("a"), engine: "postgres", encrypted: true },
      { dbInstanceArn: DB("b"), engine: "mysql", encrypted: false },
    ]);
  });

  test("an instance object with an unknown key, no ARN, or a non-boolean encrypted is refused with the reason", () => {
    const kind = replicatedInstance();
    expect(() => kind.parse({ dbInstanceArn: DB("a"), engine: "mysql", kms: "x" })).toThrow(`unknown key kms; expected ${kind.allowed}`);
    expect(() => kind.parse({ engine: "mysql" })).toThrow(`dbInstanceArn is required; expected ${kind.allowed}`);
    expect(() => kind.parse({ dbInstanceArn: DB("a"), engine: "mysql", encrypted: "yes" })).toThrow(
      `encrypted must be true or false; expected ${kind.allowed}`,
    );
    expect(() => kind.parse([DB("a")])).toThrow(kind.allowed);
    expect(problems({ instances: [{ dbInstanceArn: DB("a"), engine: "mysql", kms: "x" }] })).toContain("cn-log-backup:rdsAutomatedBackups.instances:");
    expect(problems({ instances: [{ dbInstanceArn: DB("a"), engine: "mysql", kms: "x" }] })).toContain(
      "(item 0: unknown key kms; expected an object { dbInstanceArn:",
    );
  });

  test("each instance outside primaryRegion is reported with its index", () => {
    const cfg = parseConfig(BACKUP, "cn-northwest-1");
    const instances = [DB("a"), DB("b", "cn-northwest-1")].map((dbInstanceArn) => ({ dbInstanceArn, engine: "mysql", encrypted: true }));
    expect(rdsAutomatedBackupsProblems({ ...cfg, rdsAutomatedBackups: { ...cfg.rdsAutomatedBackups, instances } })).toEqual([
      {
        key: "cn-log-backup:rdsAutomatedBackups.instances",
        message: `item 1: ${DB("b", "cn-northwest-1")} is in cn-northwest-1; expected an instance in primaryRegion (cn-north-1), replicated to backupRegion`,
      },
    ]);
    // A primaryRegion that failed to parse is reported once, not again for every instance.
    expect(rdsAutomatedBackupsProblems({ stack: "s", rdsAutomatedBackups: { ...cfg.rdsAutomatedBackups, instances } })).toEqual([]);
  });

  test("the key must be a KMS key ARN in aws-cn", () => {
    expect(problems({ kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/x" })).toContain(
      'cn-log-backup:rdsAutomatedBackups.kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/x" is not allowed; expected a KMS key ARN in aws-cn',
    );
  });

  test("an Aurora cluster ARN is refused, pointing to the AWS Backup path", () => {
    const msg = errorOf({
      rdsAutomatedBackups: { instances: [{ dbInstanceArn: `arn:aws-cn:rds:cn-north-1:${ACCOUNT_ID}:cluster:audit-lab`, engine: "aurora-mysql" }] },
    });
    expect(msg).toContain("cn-log-backup:rdsAutomatedBackups.instances:");
    expect(msg).toContain(
      "is a DB cluster (Aurora or Multi-AZ cluster): RDS cross-Region automated backups replicate RDS DB instances only; Aurora reaches Ningxia as AWS Backup copies (backupEvents)",
    );
  });

  test("an Aurora instance ARN is refused too", () => {
    const msg = errorOf({ rdsAutomatedBackups: { instances: [{ dbInstanceArn: DB("audit-lab-writer"), engine: "aurora-mysql" }] } });
    expect(msg).toContain(
      `"${DB("audit-lab-writer")}" is an Aurora instance (engine aurora-mysql): RDS cross-Region automated backups replicate RDS DB instances only`,
    );
  });

  test("an unknown engine, a missing engine, a non-aws-cn ARN and an instance outside primaryRegion are refused", () => {
    expect(errorOf({ rdsAutomatedBackups: { instances: [{ dbInstanceArn: DB("x"), engine: "mongodb" }] } })).toContain('engine "mongodb" of');
    expect(errorOf({ rdsAutomatedBackups: { instances: [{ dbInstanceArn: DB("x") }] } })).toContain("engine undefined of");
    expect(errorOf({ rdsAutomatedBackups: { instances: [{ dbInstanceArn: "arn:aws:rds:us-east-1:123456789012:db:x", engine: "mysql" }] } })).toContain(
      "is not a DB instance ARN in aws-cn",
    );
    expect(errorOf({ rdsAutomatedBackups: { instances: [{ dbInstanceArn: DB("x", "cn-northwest-1"), engine: "mysql" }] } })).toContain(
      "is in cn-northwest-1; expected an instance in primaryRegion (cn-north-1)",
    );
    expect(errorOf({ rdsAutomatedBackups: { retentionPeriodDays: 36 } })).toContain(
      "cn-log-backup:rdsAutomatedBackups.retentionPeriodDays: 36 is not allowed; expected an integer from 1 to 35",
    );
  });
});
