import { ACCOUNT_ID, one, policyOf, runStack } from "../helpers/pulumi";
import { isUnknown } from "../../tools/harness";

describe("both stacks under the aws-cn mocks", () => {
  test("the backup stack (Ningxia) builds its role's resources and exports what the primary reads", async () => {
    const run = await runStack("cn-northwest-1");
    expect(run.outputs.role).toBe("backup");
    expect(run.outputs.region).toBe("cn-northwest-1");
    expect(run.outputs.accountId).toBe(ACCOUNT_ID);
    expect(run.resources.filter((r) => r.type === "pulumi:pulumi:StackReference")).toHaveLength(0);
    for (const r of run.resources.filter((r) => r.custom && r.type.startsWith("aws:"))) expect(r.region).toBe("cn-northwest-1");
  });

  test("the primary stack (Beijing) reads the backup stack by the configured name", async () => {
    const run = await runStack("cn-north-1");
    expect(run.outputs.role).toBe("primary");
    const ref = one(run, "pulumi:pulumi:StackReference", "backup-stack");
    expect(ref.inputs.name).toBe("organization/cn-log-backup/cn-northwest-1");
    expect(run.outputs.backupAccountId).toBe(ACCOUNT_ID);
    for (const r of run.resources.filter((r) => r.custom && r.type.startsWith("aws:"))) expect(r.region).toBe("cn-north-1");
  });

  test("the primary's StackReference name is config", async () => {
    const run = await runStack("cn-north-1", {
      config: { backupStackName: "acme/cn-log-backup/dr" },
      stackOutputs: {
        "acme/cn-log-backup/dr": {
          accountId: "210987654321",
          region: "cn-northwest-1",
          // What BackupEvents' backup role exports (the primary's copies go there).
          destinationVaultArn: "arn:aws-cn:backup:cn-northwest-1:210987654321:backup-vault:cn-log-backup-dr",
          destinationVaultKeyArn: "arn:aws-cn:kms:cn-northwest-1:210987654321:key/00000000-1111-2222-3333-444444444444",
        },
      },
    });
    expect(one(run, "pulumi:pulumi:StackReference", "backup-stack").inputs.name).toBe("acme/cn-log-backup/dr");
    expect(run.outputs.backupAccountId).toBe("210987654321");
  });

  test("the Lambda log key lets only this region's CloudWatch Logs use it, for this account's log groups", async () => {
    const run = await runStack("cn-north-1");
    const key = one(run, "aws:kms/key:Key", "lambda-logs-key");
    expect(key.inputs.enableKeyRotation).toBe(true);
    expect(key.inputs.deletionWindowInDays).toBe(30);
    const statements = policyOf(key).Statement;
    expect(statements[0]).toEqual({
      Sid: "AccountRootAdministers",
      Effect: "Allow",
      Principal: { AWS: `arn:aws-cn:iam::${ACCOUNT_ID}:root` },
      Action: "kms:*",
      Resource: "*",
    });
    const logs = statements.find((s) => s.Sid === "CloudWatchLogsEncryptsThisAccountsLogGroups");
    expect(logs.Principal).toEqual({ Service: "logs.cn-north-1.amazonaws.com.cn" });
    expect(logs.Condition).toEqual({ ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws-cn:logs:cn-north-1:${ACCOUNT_ID}:log-group:*` } });
  });

  test("a bad value stops the program before any resource is registered", async () => {
    await expect(runStack("cn-north-1", { config: { "aws:region": "us-east-1" }, stackOutputs: {} })).rejects.toThrow(/aws:region: "us-east-1" is not allowed/);
  });

  test("in preview, computed outputs are unknown but the program still builds", async () => {
    const run = await runStack("cn-north-1", { preview: true });
    expect(run.preview).toBe(true);
    const alias = one(run, "aws:kms/alias:Alias", "lambda-logs-key-alias");
    expect(isUnknown(alias.inputs.targetKeyId)).toBe(true);
    expect(isUnknown(alias.inputs.name)).toBe(false);
    expect(alias.propertyDependencies.targetKeyId).toEqual([one(run, "aws:kms/key:Key", "lambda-logs-key").urn]);
  });
});
