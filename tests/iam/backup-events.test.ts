/**
 * The BackupEvents policies, as the stacks produce them, evaluated by an IAM simulator: each
 * Lambda can make exactly its calls, UpdateRecoveryPointLifecycle reaches only this account's
 * recovery points, and nothing but an allow-listed admin role can delete or shorten in Ningxia.
 */
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { ACCOUNT_ID, one, policyOf, runStack } from "../helpers/pulumi";
import type { StackRun } from "../../tools/harness";
import { ALL_OPTIONS, runVariant, variant } from "../../tools/variants";

const OTHER_ACCOUNT = "999988887777";
const OWN_RP = `arn:aws-cn:backup:cn-north-1:${ACCOUNT_ID}:recovery-point:f1d966fe-a3bd-410b-b292-99f442d13b56`;
// EBS/EC2 recovery points carry native EC2 ARNs (`arn:aws-cn:ec2:<region>::snapshot/...`), which
// the simulator's recoveryPoint pattern does not recognise; the policies' account scoping for
// them rests on aws:ResourceAccount, checked below for the formats the simulator knows.
const OWN_AURORA_RP = `arn:aws-cn:rds:cn-north-1:${ACCOUNT_ID}:cluster-snapshot:awsbackup:job-4ece7121-d60e-00c2-5c3b-49960142d03b`;
const OTHER_RP = `arn:aws-cn:backup:cn-north-1:${OTHER_ACCOUNT}:recovery-point:0c2a9e77-5f7b-4a0a-9f3e-2b7f1a0e6d11`;
const NINGXIA_RP = `arn:aws-cn:backup:cn-northwest-1:${ACCOUNT_ID}:recovery-point:0c2a9e77-5f7b-4a0a-9f3e-2b7f1a0e6d11`;

type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

async function decide(req: {
  principal: string;
  identity: object[];
  action: string;
  resource: string;
  resourceAccount?: string;
  resourcePolicy?: object;
  context?: Record<string, string | string[]>;
}): Promise<Decision> {
  const resourceAccount = req.resourceAccount ?? ACCOUNT_ID;
  const response = await runSimulation(
    {
      identityPolicies: req.identity.map((policy, i) => ({ name: `p${i}`, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: req.resourcePolicy,
      request: {
        action: req.action,
        principal: req.principal,
        resource: { accountId: resourceAccount, resource: req.resource },
        contextVariables: {
          "aws:ResourceAccount": resourceAccount,
          "aws:PrincipalArn": req.principal,
          "aws:PrincipalAccount": ACCOUNT_ID,
          ...(req.context ?? {}),
        },
      },
    } as any,
    {},
  );
  if (response.resultType === "error") throw new Error(`simulation error: ${JSON.stringify(response.errors)}`);
  return response.overallResult as Decision;
}

const RUNS = [variant("stack files"), variant(ALL_OPTIONS)].map((v) => [v.name, v] as const);

describe.each(RUNS)("BackupEvents IAM, simulated [%s]", (_name, v) => {
  let primary: StackRun;
  let backup: StackRun;
  let copyStarter: { arn: string; policy: object };
  let updater: { arn: string; policy: object };
  let copyRoleArn: string;

  beforeAll(async () => {
    backup = await runVariant("cn-northwest-1", v);
    primary = await runVariant("cn-north-1", v);
    const role = (suffix: string) => one(primary, "aws:iam/role:Role", `backup-events-${suffix}-role`);
    copyStarter = { arn: role("copy-starter").state.arn, policy: policyOf(one(primary, "aws:iam/rolePolicy:RolePolicy", "backup-events-copy-starter-policy")) };
    updater = {
      arn: role("retention-updater").state.arn,
      policy: policyOf(one(primary, "aws:iam/rolePolicy:RolePolicy", "backup-events-retention-updater-policy")),
    };
    copyRoleArn = one(primary, "aws:iam/role:Role", "backup-events-copy-role").state.arn;
  });

  describe("the copy starter", () => {
    const as = (action: string, resource: string, extra: Partial<Parameters<typeof decide>[0]> = {}) =>
      decide({ principal: copyStarter.arn, identity: [copyStarter.policy], action, resource, ...extra });

    test.each([OWN_RP, OWN_AURORA_RP])("may start a copy of this account's recovery point %s", async (rp) => {
      expect(await as("backup:StartCopyJob", rp)).toBe("Allowed");
    });

    test("may not copy another account's recovery point", async () => {
      expect(await as("backup:StartCopyJob", OTHER_RP, { resourceAccount: OTHER_ACCOUNT })).toBe("ImplicitlyDenied");
    });

    test("may list copy jobs", async () => {
      expect(await as("backup:ListCopyJobs", "*")).toBe("Allowed");
    });

    test("may pass the copy role, only to AWS Backup, and no other role", async () => {
      expect(await as("iam:PassRole", copyRoleArn, { context: { "iam:PassedToService": "backup.amazonaws.com" } })).toBe("Allowed");
      expect(await as("iam:PassRole", copyRoleArn, { context: { "iam:PassedToService": "ec2.amazonaws.com" } })).toBe("ImplicitlyDenied");
      expect(await as("iam:PassRole", `arn:aws-cn:iam::${ACCOUNT_ID}:role/admin`, { context: { "iam:PassedToService": "backup.amazonaws.com" } })).toBe(
        "ImplicitlyDenied",
      );
    });

    test.each([
      ["backup:DeleteRecoveryPoint", OWN_RP],
      ["backup:UpdateRecoveryPointLifecycle", OWN_RP],
      ["backup:StartRestoreJob", OWN_RP],
      ["backup:DeleteBackupVault", `arn:aws-cn:backup:cn-north-1:${ACCOUNT_ID}:backup-vault:cn-log-backup-source`],
    ])("may not %s", async (action, resource) => {
      expect(await as(action, resource)).toBe("ImplicitlyDenied");
    });
  });

  describe("the retention updater", () => {
    const as = (action: string, resource: string, extra: Partial<Parameters<typeof decide>[0]> = {}) =>
      decide({ principal: updater.arn, identity: [updater.policy], action, resource, ...extra });

    test.each([OWN_RP, OWN_AURORA_RP])("may read and shorten this account's recovery point %s", async (rp) => {
      expect(await as("backup:DescribeRecoveryPoint", rp)).toBe("Allowed");
      expect(await as("backup:UpdateRecoveryPointLifecycle", rp)).toBe("Allowed");
    });

    test("may not change another account's recovery points", async () => {
      expect(await as("backup:UpdateRecoveryPointLifecycle", OTHER_RP, { resourceAccount: OTHER_ACCOUNT })).toBe("ImplicitlyDenied");
      const otherAurora = OWN_AURORA_RP.replace(ACCOUNT_ID, OTHER_ACCOUNT);
      expect(await as("backup:UpdateRecoveryPointLifecycle", otherAurora, { resourceAccount: OTHER_ACCOUNT })).toBe("ImplicitlyDenied");
      // Even where the ARN pattern would match, the aws:ResourceAccount condition holds the line.
      expect(await as("backup:UpdateRecoveryPointLifecycle", OWN_RP, { resourceAccount: OTHER_ACCOUNT })).toBe("ImplicitlyDenied");
    });

    test("may not touch the Ningxia copies, delete anything or start copies", async () => {
      expect(await as("backup:UpdateRecoveryPointLifecycle", NINGXIA_RP)).toBe("ImplicitlyDenied");
      expect(await as("backup:DeleteRecoveryPoint", OWN_RP)).toBe("ImplicitlyDenied");
      expect(await as("backup:StartCopyJob", OWN_RP)).toBe("ImplicitlyDenied");
    });
  });

  describe("the Ningxia vault", () => {
    const fullBackupAdmin = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "backup:*", Resource: "*" }] };
    const ops = `arn:aws-cn:iam::${ACCOUNT_ID}:role/ops`;
    /** `principal`, allowed backup:* by its IAM, doing `action` on a Ningxia recovery point under `vaultPolicy`. */
    const asBackupAdmin = (principal: string, action: string, vaultPolicy: object) =>
      decide({ principal, identity: [fullBackupAdmin], action, resource: NINGXIA_RP, resourcePolicy: vaultPolicy });

    test("nobody can delete or shorten a recovery point, not even a principal allowed backup:*", async () => {
      const vaultPolicy = policyOf(one(backup, "aws:backup/vaultPolicy:VaultPolicy", "backup-events-vault-policy"));
      for (const principal of [ops, updater.arn]) {
        for (const action of ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"]) {
          expect(await asBackupAdmin(principal, action, vaultPolicy)).toBe("ExplicitlyDenied");
        }
      }
      // Reading is not affected.
      expect(await asBackupAdmin(ops, "backup:DescribeRecoveryPoint", vaultPolicy)).toBe("Allowed");
    });

    test("an allow-listed admin role may still delete; everyone else stays denied", async () => {
      const admin = `arn:aws-cn:iam::${ACCOUNT_ID}:role/backup-admin`;
      const run = await runStack("cn-northwest-1", { config: { backupEvents: { adminRoleArns: [admin] } } });
      const vaultPolicy = policyOf(one(run, "aws:backup/vaultPolicy:VaultPolicy", "backup-events-vault-policy"));
      expect(await asBackupAdmin(admin, "backup:DeleteRecoveryPoint", vaultPolicy)).toBe("Allowed");
      expect(await asBackupAdmin(ops, "backup:DeleteRecoveryPoint", vaultPolicy)).toBe("ExplicitlyDenied");
    });
  });

  describe("the error queue", () => {
    let queuePolicy: object;
    let queueArn: string;
    const sendAll = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sqs:*", Resource: "*" }] };
    beforeAll(() => {
      queuePolicy = policyOf(one(primary, "aws:sqs/queuePolicy:QueuePolicy", "backup-events-errors-policy"));
      queueArn = one(primary, "aws:sqs/queue:Queue", "backup-events-errors").state.arn;
    });
    /** `principal`, allowed sqs:* by its IAM, sending to the error queue under its queue policy. */
    const send = (principal: string, context: Record<string, string>) =>
      decide({ principal, identity: [sendAll], action: "sqs:SendMessage", resource: queueArn, resourcePolicy: queuePolicy, context });

    test("our Lambda roles may send (on-failure destination) over TLS; other principals may not, whatever their IAM allows", async () => {
      const tls = { "aws:SecureTransport": "true" };
      expect(await send(copyStarter.arn, tls)).toBe("Allowed");
      expect(await send(updater.arn, tls)).toBe("Allowed");
      expect(await send(`arn:aws-cn:iam::${ACCOUNT_ID}:role/ops`, tls)).toBe("ExplicitlyDenied");
      expect(await send(copyStarter.arn, { "aws:SecureTransport": "false" })).toBe("ExplicitlyDenied");
    });
  });
});

describe("BackupEvents IAM, simulated: with brought vaults and keys, the copy role", () => {
  const SOURCE_VAULT = `arn:aws-cn:backup:cn-north-1:${ACCOUNT_ID}:backup-vault:existing-source`;
  const SOURCE_KEY = `arn:aws-cn:kms:cn-north-1:${ACCOUNT_ID}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  const DEST_VAULT = `arn:aws-cn:backup:cn-northwest-1:${ACCOUNT_ID}:backup-vault:existing-dr`;
  const DEST_KEY = `arn:aws-cn:kms:cn-northwest-1:${ACCOUNT_ID}:key/0fedcba9-8765-4321-0fed-cba987654321`;
  let role: { arn: string; policy: object };
  beforeAll(async () => {
    const byoBackup = await runStack("cn-northwest-1", { config: { backupEvents: { destinationVaultArn: DEST_VAULT, destinationVaultKmsKeyArn: DEST_KEY } } });
    const byoPrimary = await runStack("cn-north-1", {
      config: { backupEvents: { sourceVaultArn: SOURCE_VAULT, sourceVaultKmsKeyArn: SOURCE_KEY } },
      stackOutputs: { "organization/cn-log-backup/cn-northwest-1": byoBackup.outputs },
    });
    role = {
      arn: one(byoPrimary, "aws:iam/role:Role", "backup-events-copy-role").state.arn,
      policy: policyOf(one(byoPrimary, "aws:iam/rolePolicy:RolePolicy", "backup-events-copy-role-policy")),
    };
  });
  // The brought keys' policies are their owner's; the usual one delegates to the account's IAM.
  const delegatingKeyPolicy = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws-cn:iam::${ACCOUNT_ID}:root` }, Action: "kms:*", Resource: "*" }],
  };
  const as = (action: string, resource: string, context?: Record<string, string>) =>
    decide({
      principal: role.arn,
      identity: [role.policy],
      action,
      resource,
      context,
      resourcePolicy: resource.includes(":kms:") ? delegatingKeyPolicy : undefined,
    });

  test("may copy into the given destination vault, and into no other vault", async () => {
    expect(await as("backup:CopyIntoBackupVault", DEST_VAULT)).toBe("Allowed");
    expect(await as("backup:CopyIntoBackupVault", DEST_VAULT.replace("existing-dr", "cn-log-backup-dr"))).toBe("ImplicitlyDenied");
    expect(await as("backup:CopyIntoBackupVault", SOURCE_VAULT)).toBe("ImplicitlyDenied");
  });

  test.each([
    ["the given source key", SOURCE_KEY],
    ["the given destination key", DEST_KEY],
  ])("may use %s through AWS Backup (or RDS, for RDS/Aurora copies), never directly, and create grants on it for AWS resources only", async (_what, key) => {
    const region = key.split(":")[3];
    for (const via of [`backup.${region}.amazonaws.com.cn`, `rds.${region}.amazonaws.com.cn`]) {
      for (const action of ["kms:Decrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom", "kms:DescribeKey"]) {
        expect([action, via, await as(action, key, { "kms:ViaService": via })]).toEqual([action, via, "Allowed"]);
      }
      expect(await as("kms:CreateGrant", key, { "kms:ViaService": via, "kms:GrantIsForAWSResource": "true" })).toBe("Allowed");
      expect(await as("kms:CreateGrant", key, { "kms:ViaService": via, "kms:GrantIsForAWSResource": "false" })).toBe("ImplicitlyDenied");
    }
    expect(await as("kms:Decrypt", key)).toBe("ImplicitlyDenied");
    expect(await as("kms:Decrypt", key, { "kms:ViaService": `s3.${region}.amazonaws.com.cn` })).toBe("ImplicitlyDenied");
  });

  test("may not use another key, nor administer the given ones", async () => {
    const other = `arn:aws-cn:kms:cn-north-1:${ACCOUNT_ID}:key/99999999-9999-4999-8999-999999999999`;
    expect(await as("kms:Decrypt", other)).toBe("ImplicitlyDenied");
    expect(await as("kms:CreateGrant", other, { "kms:ViaService": "backup.cn-north-1.amazonaws.com.cn", "kms:GrantIsForAWSResource": "true" })).toBe(
      "ImplicitlyDenied",
    );
    for (const action of ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy"]) {
      expect([action, await as(action, SOURCE_KEY)]).toEqual([action, "ImplicitlyDenied"]);
    }
  });
});
