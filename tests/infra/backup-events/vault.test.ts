/**
 * BackupEvents with a brought (existing) vault or key, through both stacks under the aws-cn mocks:
 * for each role, no vault or key of its own is created where one is given, and every place the
 * program names the vault or key (plan, rules, alarms, Lambda settings, copy role, outputs, key
 * alerts) names the given ARN instead.
 */
import { ACCOUNT_ID, one, ofType, policyOf, runStack } from "../../helpers/pulumi";
import type { StackRun } from "../../../tools/harness";
import type { ResourceRecord } from "../../../tools/types";

const SOURCE_VAULT = `arn:aws-cn:backup:cn-north-1:${ACCOUNT_ID}:backup-vault:existing-source`;
const SOURCE_KEY = `arn:aws-cn:kms:cn-north-1:${ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const DEST_VAULT = `arn:aws-cn:backup:cn-northwest-1:${ACCOUNT_ID}:backup-vault:existing-dr`;
const DEST_KEY = `arn:aws-cn:kms:cn-northwest-1:${ACCOUNT_ID}:key/0fedcba9-8765-4321-0fed-cba987654321`;
const SOURCE_MANAGED = `arn:aws-cn:kms:cn-north-1:${ACCOUNT_ID}:alias/aws/backup`;
const DEST_MANAGED = `arn:aws-cn:kms:cn-northwest-1:${ACCOUNT_ID}:alias/aws/backup`;
const BACKUP_STACK = "organization/cn-log-backup/cn-northwest-1";

const vaults = (run: StackRun) => ofType(run, "aws:backup/vault:Vault");
const vaultKeys = (run: StackRun) => ofType(run, "aws:kms/key:Key").filter((k) => k.name.endsWith("backup-events-vault-key"));
const rule = (run: StackRun, suffix: string) => one(run, "aws:cloudwatch/eventRule:EventRule", `backup-events-${suffix}`);
const pattern = (r: ResourceRecord) => JSON.parse(r.inputs.eventPattern);
const env = (run: StackRun, fn: string) => one(run, "aws:lambda/function:Function", `backup-events-${fn}`).inputs.environment.variables;
const copyRolePolicy = (run: StackRun) => policyOf(one(run, "aws:iam/rolePolicy:RolePolicy", "backup-events-copy-role-policy"));
const stmt = (policy: { Statement: any[] }, sid: string) => {
  const s = policy.Statement.filter((x) => x.Sid === sid);
  expect(s).toHaveLength(1);
  return s[0];
};
const keyDeletionArns = (run: StackRun) => pattern(rule(run, "vault-key-deletion")).detail.resources.ARN;

async function stacks(backupEvents: { primary?: Record<string, unknown>; backup?: Record<string, unknown> }) {
  const backup = await runStack("cn-northwest-1", backupEvents.backup ? { config: { backupEvents: backupEvents.backup } } : {});
  const primary = await runStack("cn-north-1", {
    config: backupEvents.primary ? { backupEvents: backupEvents.primary } : {},
    stackOutputs: { [BACKUP_STACK]: backup.outputs },
  });
  return { backup, primary };
}

describe("off (the stack files): each role creates its vault and its key", () => {
  let run: { backup: StackRun; primary: StackRun };
  beforeAll(async () => {
    run = await stacks({});
  });

  test.each(["backup", "primary"] as const)("%s stack: one vault, encrypted with the vault key it creates", (role) => {
    const r = run[role];
    expect(vaults(r)).toHaveLength(1);
    expect(vaultKeys(r)).toHaveLength(1);
    expect(vaults(r)[0].inputs.kmsKeyArn).toBe(vaultKeys(r)[0].state.arn);
  });
});

describe("an existing destination vault and its key (backup stack)", () => {
  let run: { backup: StackRun; primary: StackRun };
  beforeAll(async () => {
    run = await stacks({ backup: { destinationVaultArn: DEST_VAULT, destinationVaultKmsKeyArn: DEST_KEY } });
  });

  test("no vault, no vault key, no access policy and no Vault Lock are created in Ningxia", () => {
    expect(vaults(run.backup)).toEqual([]);
    expect(vaultKeys(run.backup)).toEqual([]);
    expect(ofType(run.backup, "aws:backup/vaultPolicy:VaultPolicy")).toEqual([]);
    expect(ofType(run.backup, "aws:backup/vaultLockConfiguration:VaultLockConfiguration")).toEqual([]);
    // The messaging key (topic, queue) is still the component's own.
    expect(one(run.backup, "aws:kms/key:Key", "backup-events-messaging-key")).toBeDefined();
  });

  test("the given vault and key are exported for the primary, and the key is watched for deletion", () => {
    expect(run.backup.outputs.destinationVaultArn).toBe(DEST_VAULT);
    expect(run.backup.outputs.destinationVaultKeyArn).toBe(DEST_KEY);
    expect(keyDeletionArns(run.backup)).toEqual([DEST_KEY]);
  });

  test("the primary copies into the given vault with the given key: copy role, copy starter and retention rule", () => {
    const p = copyRolePolicy(run.primary);
    expect(stmt(p, "CopyIntoTheDestinationVault").Resource).toEqual([DEST_VAULT]);
    const sourceKey = one(run.primary, "aws:kms/key:Key", "backup-events-vault-key").state.arn;
    expect(stmt(p, "UseTheVaultKeysThroughAwsBackup").Resource).toEqual([sourceKey, DEST_KEY]);
    expect(stmt(p, "GrantsForAwsResourcesOnTheVaultKeys").Resource).toEqual([sourceKey, DEST_KEY]);
    expect(env(run.primary, "copy-starter").destinationVaultArn).toBe(DEST_VAULT);
    expect(env(run.primary, "retention-updater").destinationVaultArn).toBe(DEST_VAULT);
    expect(pattern(rule(run.primary, "retention-after-copy")).detail.destinationBackupVaultArn).toEqual([DEST_VAULT]);
  });
});

describe("an existing destination key for the vault the backup stack creates", () => {
  let backup: StackRun;
  beforeAll(async () => {
    backup = await runStack("cn-northwest-1", { config: { backupEvents: { destinationVaultKmsKeyArn: DEST_KEY } } });
  });

  test("the vault is created with the given key; no vault key is created", () => {
    expect(vaultKeys(backup)).toEqual([]);
    const vault = one(backup, "aws:backup/vault:Vault", "backup-events-vault");
    expect(vault.inputs).toMatchObject({ name: "cn-log-backup-dr", kmsKeyArn: DEST_KEY });
    expect(backup.outputs.destinationVaultKeyArn).toBe(DEST_KEY);
    expect(keyDeletionArns(backup)).toEqual([DEST_KEY]);
  });

  test("the vault is still the program's: its access policy and Vault Lock are set", () => {
    const vault = one(backup, "aws:backup/vault:Vault", "backup-events-vault");
    expect(one(backup, "aws:backup/vaultPolicy:VaultPolicy", "backup-events-vault-policy").inputs.backupVaultName).toBe(vault.state.name);
    expect(one(backup, "aws:backup/vaultLockConfiguration:VaultLockConfiguration", "backup-events-vault-lock").inputs.backupVaultName).toBe("cn-log-backup-dr");
  });
});

describe("an existing source vault and its key (primary stack)", () => {
  let run: { backup: StackRun; primary: StackRun };
  beforeAll(async () => {
    run = await stacks({ primary: { sourceVaultArn: SOURCE_VAULT, sourceVaultKmsKeyArn: SOURCE_KEY } });
  });

  test("no vault and no vault key are created in Beijing", () => {
    expect(vaults(run.primary)).toEqual([]);
    expect(vaultKeys(run.primary)).toEqual([]);
    expect(run.primary.outputs.sourceVaultArn).toBe(SOURCE_VAULT);
  });

  test("the plan backs up into the given vault", () => {
    const plan = one(run.primary, "aws:backup/plan:Plan", "backup-events-plan");
    expect(plan.inputs.name).toBe("existing-source-plan");
    expect(plan.inputs.rules.map((r: any) => r.targetVaultName)).toEqual(["existing-source"]);
  });

  test("rules, alarms and the Lambdas' settings name the given vault", () => {
    expect(pattern(rule(run.primary, "copy-on-backup")).detail.backupVaultArn).toEqual([SOURCE_VAULT]);
    expect(pattern(rule(run.primary, "retention-after-copy")).detail.sourceBackupVaultArn).toEqual([SOURCE_VAULT]);
    expect(pattern(rule(run.primary, "backup-failures")).detail.backupVaultArn).toEqual([SOURCE_VAULT]);
    expect(pattern(rule(run.primary, "copy-failures")).detail.sourceBackupVaultArn).toEqual([SOURCE_VAULT]);
    const copyAlarm = one(run.primary, "aws:cloudwatch/metricAlarm:MetricAlarm", "backup-events-copy-jobs-failed").inputs;
    expect(copyAlarm.metricQueries.find((q: any) => q.id === "bySourceVault").metric.dimensions).toEqual({ BackupVaultName: "existing-source" });
    for (const alarm of ["backup-jobs-failed", "no-completed-backup"]) {
      expect([alarm, one(run.primary, "aws:cloudwatch/metricAlarm:MetricAlarm", `backup-events-${alarm}`).inputs.dimensions]).toEqual([
        alarm,
        { BackupVaultName: "existing-source" },
      ]);
    }
    expect(env(run.primary, "copy-starter").sourceVaultArn).toBe(SOURCE_VAULT);
    expect(env(run.primary, "retention-updater").sourceVaultArn).toBe(SOURCE_VAULT);
  });

  test("the copy role may use exactly the given source key and the destination key; the given key is watched for deletion", () => {
    const p = copyRolePolicy(run.primary);
    const destKey = run.backup.outputs.destinationVaultKeyArn;
    expect(stmt(p, "UseTheVaultKeysThroughAwsBackup").Resource).toEqual([SOURCE_KEY, destKey]);
    expect(stmt(p, "GrantsForAwsResourcesOnTheVaultKeys")).toEqual({
      Sid: "GrantsForAwsResourcesOnTheVaultKeys",
      Effect: "Allow",
      Action: ["kms:CreateGrant"],
      Resource: [SOURCE_KEY, destKey],
      // Through AWS Backup, or RDS for RDS/Aurora copies, in either region: never directly.
      Condition: {
        StringEquals: {
          "kms:ViaService": [
            "backup.cn-north-1.amazonaws.com.cn",
            "rds.cn-north-1.amazonaws.com.cn",
            "backup.cn-northwest-1.amazonaws.com.cn",
            "rds.cn-northwest-1.amazonaws.com.cn",
          ],
        },
        Bool: { "kms:GrantIsForAWSResource": true },
      },
    });
    expect(stmt(p, "UseTheVaultKeysThroughAwsBackup").Condition).toEqual({
      StringEquals: stmt(p, "GrantsForAwsResourcesOnTheVaultKeys").Condition.StringEquals,
    });
    expect(keyDeletionArns(run.primary)).toEqual([SOURCE_KEY]);
  });
});

describe("an existing source key for the vault the primary stack creates", () => {
  let primary: StackRun;
  beforeAll(async () => {
    primary = (await stacks({ primary: { sourceVaultKmsKeyArn: SOURCE_KEY } })).primary;
  });

  test("the vault is created with the given key, no vault key is created, and the copy role is granted the given key", () => {
    expect(vaultKeys(primary)).toEqual([]);
    expect(one(primary, "aws:backup/vault:Vault", "backup-events-vault").inputs).toMatchObject({ name: "cn-log-backup-source", kmsKeyArn: SOURCE_KEY });
    expect(stmt(copyRolePolicy(primary), "UseTheVaultKeysThroughAwsBackup").Resource[0]).toBe(SOURCE_KEY);
    expect(one(primary, "aws:backup/plan:Plan", "backup-events-plan").inputs.rules[0].targetVaultName).toBe("cn-log-backup-source");
    expect(keyDeletionArns(primary)).toEqual([SOURCE_KEY]);
  });
});

describe("existing vaults on the AWS-managed key aws/backup, within one account", () => {
  let run: { backup: StackRun; primary: StackRun };
  beforeAll(async () => {
    run = await stacks({
      backup: { destinationVaultArn: DEST_VAULT, destinationVaultKmsKeyArn: DEST_MANAGED },
      primary: { sourceVaultArn: SOURCE_VAULT, sourceVaultKmsKeyArn: SOURCE_MANAGED },
    });
  });

  test("no vault or key is created, and no key-deletion alert is set up (nobody can delete an AWS-managed key)", () => {
    for (const r of [run.backup, run.primary]) {
      expect(vaults(r)).toEqual([]);
      expect(vaultKeys(r)).toEqual([]);
      expect(ofType(r, "aws:cloudwatch/eventRule:EventRule").filter((x) => x.name.endsWith("vault-key-deletion"))).toEqual([]);
      // The destructive-call alerts still watch the vault.
      expect(rule(r, "destructive-calls")).toBeDefined();
    }
    expect(run.backup.outputs.destinationVaultKeyArn).toBe(DEST_MANAGED);
  });

  test("the copy role names no brought alias of its own stack, and the other stack's alias matches no key", () => {
    // The source key's kind is known from this stack's config: an AWS-managed source key is left out.
    // The destination key comes from the backup stack as an Output; leaving it out would need the
    // whole statement list inside an apply, which hides it from the policy pack during preview. Its
    // alias ARN matches no key (IAM names keys by key ARN), and the AWS-managed key's own policy
    // admits the account's principals through AWS Backup.
    const st = copyRolePolicy(run.primary).Statement;
    expect(st[0]).toEqual({ Sid: "CopyIntoTheDestinationVault", Effect: "Allow", Action: ["backup:CopyIntoBackupVault"], Resource: [DEST_VAULT] });
    expect(stmt(copyRolePolicy(run.primary), "UseTheVaultKeysThroughAwsBackup").Resource).toEqual([DEST_MANAGED]);
    expect(stmt(copyRolePolicy(run.primary), "GrantsForAwsResourcesOnTheVaultKeys").Resource).toEqual([DEST_MANAGED]);
    expect(JSON.stringify(st)).not.toContain(SOURCE_MANAGED);
  });

  test("with one AWS-managed key, the other key is still granted", async () => {
    const { backup, primary } = await stacks({ primary: { sourceVaultArn: SOURCE_VAULT, sourceVaultKmsKeyArn: SOURCE_MANAGED } });
    const destKey = backup.outputs.destinationVaultKeyArn;
    expect(destKey).toMatch(/^arn:aws-cn:kms:cn-northwest-1:\d{12}:key\//);
    const p = copyRolePolicy(primary);
    expect(stmt(p, "UseTheVaultKeysThroughAwsBackup").Resource).toEqual([destKey]);
    expect(stmt(p, "GrantsForAwsResourcesOnTheVaultKeys").Resource).toEqual([destKey]);
  });
});
