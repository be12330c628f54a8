/**
 * BackupEvents in the backup region (Ningxia) under the aws-cn mocks: the destination vault, its key,
 * access policy and Vault Lock, the security alerts and their targets.
 */
import { ACCOUNT_ID, one, ofType, policyOf, runStack } from "../../helpers/pulumi";
import type { StackRun } from "../../../tools/harness";
import { DEST_VAULT_ARN, pattern, stmt, targetOf } from "./helpers";
import { DESTRUCTIVE_BACKUP_CALLS, TARGET_RETRY_POLICY } from "../../../infra/backup-events";

describe("BackupEvents, backup role (Ningxia)", () => {
  let run: StackRun;
  beforeAll(async () => {
    run = await runStack("cn-northwest-1");
  });

  test("exports the destination vault ARN and key ARN for the primary", () => {
    const vault = one(run, "aws:backup/vault:Vault", "backup-events-vault");
    const key = one(run, "aws:kms/key:Key", "backup-events-vault-key");
    expect(run.outputs.destinationVaultArn).toBe(DEST_VAULT_ARN);
    expect(run.outputs.destinationVaultKeyArn).toBe(key.state.arn);
    expect(vault.inputs.name).toBe("cn-log-backup-dr");
    expect(vault.inputs.kmsKeyArn).toBe(key.state.arn);
    expect(vault.region).toBe("cn-northwest-1");
  });

  test("the vault key lets AWS Backup in Ningxia use it for the admitted accounts only", () => {
    const key = one(run, "aws:kms/key:Key", "backup-events-vault-key");
    expect(key.inputs.enableKeyRotation).toBe(true);
    const p = policyOf(key);
    expect(stmt(p, "AwsBackupUsesKeyForAdmittedAccounts")).toEqual({
      Sid: "AwsBackupUsesKeyForAdmittedAccounts",
      Effect: "Allow",
      Principal: { AWS: [`arn:aws-cn:iam::${ACCOUNT_ID}:root`] },
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
      Resource: "*",
      Condition: {
        StringEquals: {
          "kms:ViaService": ["backup.cn-northwest-1.amazonaws.com.cn", "rds.cn-northwest-1.amazonaws.com.cn"],
          "kms:CallerAccount": [ACCOUNT_ID],
        },
      },
    });
    expect(stmt(p, "AwsBackupCreatesGrantsForAwsResources").Condition).toEqual({
      StringEquals: { "kms:ViaService": ["backup.cn-northwest-1.amazonaws.com.cn", "rds.cn-northwest-1.amazonaws.com.cn"], "kms:CallerAccount": [ACCOUNT_ID] },
      Bool: { "kms:GrantIsForAWSResource": true },
    });
  });

  test("the vault access policy denies deleting or shortening recovery points to everyone (no admin roles configured)", () => {
    const policy = policyOf(one(run, "aws:backup/vaultPolicy:VaultPolicy", "backup-events-vault-policy"));
    expect(policy.Statement).toEqual([
      {
        Sid: "DenyDeletingOrShorteningRecoveryPoints",
        Effect: "Deny",
        Principal: "*",
        Action: ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"],
        Resource: "*",
      },
    ]);
  });

  test("Vault Lock is in governance mode by default, with the configured retention range", () => {
    const lock = one(run, "aws:backup/vaultLockConfiguration:VaultLockConfiguration", "backup-events-vault-lock");
    expect(lock.inputs).toEqual({ backupVaultName: "cn-log-backup-dr", minRetentionDays: 7, maxRetentionDays: 3650 });
  });

  test("alerts on destructive Backup calls and on deleting or disabling the vault key, via CloudTrail", () => {
    const destructive = one(run, "aws:cloudwatch/eventRule:EventRule", "backup-events-destructive-calls");
    expect(pattern(destructive)).toEqual({
      source: ["aws.backup"],
      "detail-type": ["AWS API Call via CloudTrail"],
      detail: { eventSource: ["backup.amazonaws.com"], eventName: DESTRUCTIVE_BACKUP_CALLS },
    });
    const keyRule = one(run, "aws:cloudwatch/eventRule:EventRule", "backup-events-vault-key-deletion");
    expect(pattern(keyRule)).toEqual({
      source: ["aws.kms"],
      "detail-type": ["AWS API Call via CloudTrail"],
      detail: {
        eventSource: ["kms.amazonaws.com"],
        eventName: ["ScheduleKeyDeletion", "DisableKey"],
        resources: { ARN: [one(run, "aws:kms/key:Key", "backup-events-vault-key").state.arn] },
      },
    });
    // In Ningxia nobody is exempt: every lifecycle change is alerted.
    expect(pattern(one(run, "aws:cloudwatch/eventRule:EventRule", "backup-events-lifecycle-changes")).detail).toEqual({
      eventSource: ["backup.amazonaws.com"],
      eventName: ["UpdateRecoveryPointLifecycle"],
    });
    const topic = one(run, "aws:sns/topic:Topic", "backup-events-alerts");
    const queue = one(run, "aws:sqs/queue:Queue", "backup-events-errors");
    for (const rule of ofType(run, "aws:cloudwatch/eventRule:EventRule")) {
      const t = targetOf(run, rule);
      expect(t.inputs.arn).toBe(topic.state.arn);
      expect(t.inputs.deadLetterConfig).toEqual({ arn: queue.state.arn });
      expect(t.inputs.retryPolicy).toEqual(TARGET_RETRY_POLICY);
    }
  });

  test("a separate backup account: the stack runs in backupAccountId; the key admits it and the primary account, the vault admits the primary account; admin roles are exempt", async () => {
    const admin = `arn:aws-cn:iam::${ACCOUNT_ID}:role/backup-admin`;
    const r = await runStack("cn-northwest-1", {
      config: {
        backupAccountId: "210987654321",
        backupEvents: { primaryAccountId: "111122223333", adminRoleArns: [admin], vaultLockMode: "compliance", vaultLockChangeableForDays: 5 },
      },
    });
    const key = policyOf(one(r, "aws:kms/key:Key", "backup-events-vault-key"));
    const use = stmt(key, "AwsBackupUsesKeyForAdmittedAccounts");
    // The stack's own account (the harness runs it in backupAccountId, as AWS would) and the primary's.
    expect(use.Principal.AWS).toEqual(["arn:aws-cn:iam::210987654321:root", "arn:aws-cn:iam::111122223333:root"]);
    expect(use.Condition.StringEquals["kms:CallerAccount"]).toEqual(["210987654321", "111122223333"]);
    expect(JSON.stringify(key)).not.toContain(ACCOUNT_ID);
    const vp = policyOf(one(r, "aws:backup/vaultPolicy:VaultPolicy", "backup-events-vault-policy"));
    expect(stmt(vp, "DenyDeletingOrShorteningRecoveryPoints").Condition).toEqual({ ArnNotLike: { "aws:PrincipalArn": [admin] } });
    expect(stmt(vp, "SourceAccountsCopyIn")).toEqual({
      Sid: "SourceAccountsCopyIn",
      Effect: "Allow",
      // Copies within the vault's own account need no consent.
      Principal: { AWS: ["arn:aws-cn:iam::111122223333:root"] },
      Action: ["backup:CopyIntoBackupVault"],
      Resource: "*",
    });
    const lock = one(r, "aws:backup/vaultLockConfiguration:VaultLockConfiguration", "backup-events-vault-lock");
    expect(lock.inputs).toEqual({ backupVaultName: "cn-log-backup-dr", minRetentionDays: 7, maxRetentionDays: 3650, changeableForDays: 5 });
  });

  test("disabled: no vault, no outputs for it", async () => {
    const r = await runStack("cn-northwest-1", { config: { backupEvents: { enabled: false } } });
    expect(ofType(r, "aws:backup/vault:Vault")).toHaveLength(0);
    expect(r.outputs.destinationVaultArn).toBeUndefined();
  });
});
