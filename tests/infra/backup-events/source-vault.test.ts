/** BackupEvents in the primary region: the source vault, its key, and the tag-selected plan run by the service role. */
import { ACCOUNT_ID, one, ofType, policyOf } from "../../helpers/pulumi";
import type { StackRun } from "../../../tools/harness";
import { SOURCE_VAULT_ARN, stmt } from "./helpers";
import { runBothStacks } from "./fixture";

describe("BackupEvents, primary role (Beijing): source vault and plan", () => {
  let run: StackRun;

  beforeAll(async () => {
    ({ run } = await runBothStacks());
  });

  test("source vault with its own key, usable by AWS Backup in Beijing for this account", () => {
    const vault = one(run, "aws:backup/vault:Vault", "backup-events-vault");
    const key = one(run, "aws:kms/key:Key", "backup-events-vault-key");
    expect(vault.inputs.name).toBe("cn-log-backup-source");
    expect(vault.inputs.kmsKeyArn).toBe(key.state.arn);
    expect(stmt(policyOf(key), "AwsBackupUsesKeyForAdmittedAccounts").Condition).toEqual({
      StringEquals: { "kms:ViaService": ["backup.cn-north-1.amazonaws.com.cn", "rds.cn-north-1.amazonaws.com.cn"], "kms:CallerAccount": [ACCOUNT_ID] },
    });
    expect(run.outputs.sourceVaultArn).toBe(SOURCE_VAULT_ARN);
  });

  test("a plan (schedule, lifecycle) selecting resources by tag, run by the service role with the aws-cn managed policies", () => {
    const plan = one(run, "aws:backup/plan:Plan", "backup-events-plan");
    expect(plan.inputs.rules).toEqual([
      {
        ruleName: "daily-to-source-vault",
        targetVaultName: "cn-log-backup-source",
        schedule: "cron(0 18 * * ? *)",
        startWindow: 60,
        completionWindow: 480,
        lifecycle: { deleteAfter: 35 },
        recoveryPointTags: expect.objectContaining({ "cn-log-backup:copy": "event-driven", owner: "platform-team" }),
      },
    ]);
    // Copies are event-driven: the plan itself copies nothing.
    expect(plan.inputs.rules[0].copyActions).toBeUndefined();
    const role = one(run, "aws:iam/role:Role", "backup-events-service-role");
    const sel = one(run, "aws:backup/selection:Selection", "backup-events-selection");
    expect(sel.inputs.iamRoleArn).toBe(role.state.arn);
    expect(sel.inputs.planId).toBe(plan.id);
    expect(sel.inputs.selectionTags).toEqual([{ type: "STRINGEQUALS", key: "cn-log-backup:backup", value: "daily" }]);
    expect(policyOf(role, "assumeRolePolicy").Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "backup.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID } },
      },
    ]);
    const attached = ofType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
      .filter((a) => a.inputs.role === role.state.name)
      .map((a) => a.inputs.policyArn)
      .sort();
    expect(attached).toEqual([
      "arn:aws-cn:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
      "arn:aws-cn:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
    ]);
  });

  test("the plan selects the AuroraLab cluster by default (same tag)", () => {
    const clusters = ofType(run, "aws:rds/cluster:Cluster");
    expect(clusters).toHaveLength(1);
    const [sel] = one(run, "aws:backup/selection:Selection", "backup-events-selection").inputs.selectionTags;
    expect(clusters[0].inputs.tags[sel.key]).toBe(sel.value);
  });
});
