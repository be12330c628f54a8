import { hardenedProfileHolds } from "../../../policy-pack/aws/hardened-profile-holds";
import { BACKUP_VAULT_ACTIONS, KMS_ACTIONS, S3_BUCKET_ACTIONS, S3_OBJECT_ACTIONS } from "../../../policy-pack/lib/hardened-statements";
import {
  HARDENED_BACKUP_VAULT_ACTIONS,
  HARDENED_KMS_KEY_ACTIONS,
  HARDENED_S3_BUCKET_ACTIONS,
  HARDENED_S3_OBJECT_ACTIONS,
} from "../../../infra/hardened-profile";
import { ACCOUNT, BACKUP_REGION, res, runOne } from "../helpers";
import type { ResourceRecord } from "../../../tools/types";

const TAGS = { "cn-log-backup:role": "backup", "cn-log-backup:profile": "hardened" };
const BREAK_GLASS = `arn:aws-cn:iam::${ACCOUNT}:role/break-glass`;
const BUCKET_ARN = "arn:aws-cn:s3:::replica-1";
const REPLICA_KEY = `arn:aws-cn:kms:${BACKUP_REGION}:${ACCOUNT}:key/11111111-1111-4111-8111-111111111111`;
const VAULT_KEY = `arn:aws-cn:kms:${BACKUP_REGION}:${ACCOUNT}:key/22222222-2222-4222-8222-222222222222`;
const except = (role: any = BREAK_GLASS) => ({ ArnNotEquals: { "aws:PrincipalArn": role } });

interface World {
  bucketStatements?: any[];
  keyStatements?: any[];
  vaultStatements?: any[];
  lock?: any;
  objectLockEnabled?: boolean;
  changeableForDays?: number;
  bringVaultKey?: boolean;
}

const keyStatements = (role: any = BREAK_GLASS) => [
  { Sid: "AccountRootAdministers", Effect: "Allow", Principal: { AWS: `arn:aws-cn:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" },
  { Sid: "Deny", Effect: "Deny", Principal: { AWS: "*" }, Action: KMS_ACTIONS, Resource: "*", Condition: except(role) },
  {
    Sid: "Grants",
    Effect: "Deny",
    Principal: { AWS: "*" },
    Action: "kms:CreateGrant",
    Resource: "*",
    Condition: { ...except(role), BoolIfExists: { "kms:GrantIsForAWSResource": "false" } },
  },
];
const bucketStatements = (role: any = BREAK_GLASS): any[] => [
  {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [BUCKET_ARN, `${BUCKET_ARN}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  },
  { Sid: "Bucket", Effect: "Deny", Principal: "*", Action: S3_BUCKET_ACTIONS, Resource: [BUCKET_ARN], Condition: except(role) },
  { Sid: "Objects", Effect: "Deny", Principal: "*", Action: S3_OBJECT_ACTIONS, Resource: [`${BUCKET_ARN}/*`], Condition: except(role) },
];
const vaultStatements = (role: any = BREAK_GLASS) => [
  { Sid: "Vault", Effect: "Deny", Principal: "*", Action: BACKUP_VAULT_ACTIONS, Resource: "*", Condition: except(role) },
];
const doc = (statements: any[]) => ({ Version: "2012-10-17", Statement: statements });

/** A hardened backup stack as the harness records it (update mode), with parts replaced per test. */
function world(w: World = {}, tags: Record<string, string> = TAGS): ResourceRecord[] {
  const bucket = res(
    "aws:s3/bucket:Bucket",
    "log-archive-replica",
    { objectLockEnabled: w.objectLockEnabled ?? true, tags },
    { state: { arn: BUCKET_ARN, bucket: "replica-1", id: "replica-1" }, region: BACKUP_REGION },
  );
  const replicaKey = res(
    "aws:kms/key:Key",
    "log-archive-replica-key",
    { policy: JSON.stringify(doc(w.keyStatements ?? keyStatements())), tags },
    { state: { arn: REPLICA_KEY }, region: BACKUP_REGION },
  );
  const vaultKey = res(
    "aws:kms/key:Key",
    "backup-events-vault-key",
    { policy: JSON.stringify(doc(keyStatements())), tags },
    { state: { arn: VAULT_KEY }, region: BACKUP_REGION },
  );
  const vault = res(
    "aws:backup/vault:Vault",
    "backup-events-vault",
    { name: "dr", kmsKeyArn: w.bringVaultKey ? VAULT_KEY.replace("2222", "3333") : VAULT_KEY, tags },
    { region: BACKUP_REGION },
  );
  return [
    bucket,
    replicaKey,
    ...(w.bringVaultKey ? [] : [vaultKey]),
    res(
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      "sse",
      { bucket: "replica-1", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: REPLICA_KEY } }] },
      { region: BACKUP_REGION },
    ),
    res(
      "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
      "lock",
      { bucket: "replica-1", rule: { defaultRetention: w.lock ?? { mode: "COMPLIANCE", days: 180 } } },
      { region: BACKUP_REGION },
    ),
    res(
      "aws:s3/bucketPolicy:BucketPolicy",
      "policy",
      { bucket: "replica-1", policy: doc(w.bucketStatements ?? bucketStatements()) },
      { region: BACKUP_REGION },
    ),
    vault,
    res(
      "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
      "vault-lock",
      {
        backupVaultName: "dr",
        minRetentionDays: 7,
        ...(w.changeableForDays === undefined ? { changeableForDays: 3 } : w.changeableForDays > 0 ? { changeableForDays: w.changeableForDays } : {}),
      },
      { region: BACKUP_REGION },
    ),
    res(
      "aws:backup/vaultPolicy:VaultPolicy",
      "vault-policy",
      { backupVaultName: "dr", policy: JSON.stringify(doc(w.vaultStatements ?? vaultStatements())) },
      { region: BACKUP_REGION },
    ),
  ];
}

const run = async (records: ResourceRecord[]) => (await runOne(hardenedProfileHolds, records)).messages;

describe("aws-hardened-profile-holds", () => {
  test("the pack's lists are the program's: what the program denies is what the pack requires", () => {
    expect([...HARDENED_S3_BUCKET_ACTIONS]).toEqual(S3_BUCKET_ACTIONS);
    expect([...HARDENED_S3_OBJECT_ACTIONS]).toEqual(S3_OBJECT_ACTIONS);
    expect([...HARDENED_KMS_KEY_ACTIONS]).toEqual(KMS_ACTIONS);
    expect([...HARDENED_BACKUP_VAULT_ACTIONS]).toEqual(BACKUP_VAULT_ACTIONS);
  });

  test("passes a stack where the profile holds, and judges nothing where the resources are not tagged", async () => {
    expect(await run(world())).toEqual([]);
    const untagged = { "cn-log-backup:role": "backup" };
    expect(await run(world({ lock: { mode: "GOVERNANCE", days: 30 }, bucketStatements: [], vaultStatements: [], changeableForDays: 0 }, untagged))).toEqual([]);
  });

  test("judges during preview too", async () => {
    const preview = async (records: ResourceRecord[]) => (await runOne(hardenedProfileHolds, records, { preview: true })).messages;
    expect(await preview(world())).toEqual([]);
    expect(await preview(world({ vaultStatements: [] }))).toEqual([
      expect.stringMatching(/its access policy VaultPolicy "vault-policy" does not deny backup:DeleteBackupVault/),
    ]);
  });

  test("reports governance-mode or short Object Lock, and a bucket without Object Lock", async () => {
    expect(await run(world({ lock: { mode: "GOVERNANCE", days: 365 } }))).toEqual([
      expect.stringMatching(/keeps GOVERNANCE for 365 days; the hardened profile needs COMPLIANCE for at least 180 days/),
    ]);
    expect(await run(world({ lock: { mode: "COMPLIANCE", days: 90 } }))).toEqual([expect.stringMatching(/keeps COMPLIANCE for 90 days/)]);
    expect(await run(world({ lock: { mode: "COMPLIANCE", years: 1 } }))).toEqual([]);
    expect(await run(world({ objectLockEnabled: false }))).toEqual([expect.stringMatching(/without Object Lock: objectLockEnabled must be true/)]);
  });

  test("reports a bucket policy that misses an action, and one whose exception admits more than the break-glass role", async () => {
    const missing = bucketStatements();
    missing[1] = { ...missing[1], Action: S3_BUCKET_ACTIONS.filter((a) => a !== "s3:PutLifecycleConfiguration") };
    expect(await run(world({ bucketStatements: missing }))).toEqual([
      expect.stringMatching(/its bucket policy BucketPolicy "policy" does not deny s3:PutLifecycleConfiguration to Principal "\*"/),
    ]);
    const wide = await run(world({ bucketStatements: bucketStatements([BREAK_GLASS, `arn:aws-cn:iam::${ACCOUNT}:role/admin`]) }));
    expect(wide).toContainEqual(expect.stringMatching(/statement "Bucket": it exempts 2 principals; expected exactly one break-glass role/));
    const wildcard = bucketStatements().map((s) =>
      s.Sid === "DenyInsecureTransport" ? s : { ...s, Condition: { ArnNotLike: { "aws:PrincipalArn": `arn:aws-cn:iam::${ACCOUNT}:role/*` } } },
    );
    expect(await run(world({ bucketStatements: wildcard }))).toContainEqual(expect.stringMatching(/is not one IAM role ARN without wildcards/));
    // A deny that applies to everyone, break-glass included, is stricter and passes.
    expect(
      await run(world({ bucketStatements: bucketStatements().map((s) => (s.Sid === "DenyInsecureTransport" ? s : { ...s, Condition: undefined })) })),
    ).toEqual([]);
  });

  test("reports a key policy without the denies, a grant deny with another condition, and a vault key the stack does not manage", async () => {
    const noKeyDeny = keyStatements().filter((s) => s.Sid !== "Deny");
    expect(await run(world({ keyStatements: noKeyDeny }))).toEqual([
      expect.stringMatching(/its default encryption key Key "log-archive-replica-key" does not deny kms:PutKeyPolicy, kms:ScheduleKeyDeletion, kms:DisableKey/),
    ]);
    const grantTrue = keyStatements().map((s) =>
      s.Sid === "Grants" ? { ...s, Condition: { ...except(), Bool: { "kms:GrantIsForAWSResource": "true" } } } : s,
    );
    expect(await run(world({ keyStatements: grantTrue }))).toContainEqual(
      expect.stringMatching(/condition Bool kms:grantisforawsresource is not the break-glass exception/),
    );
    expect(await run(world({ bringVaultKey: true }))).toEqual([expect.stringMatching(/Vault "backup-events-vault": its key is not a key this stack manages/)]);
  });

  test("reports a governance-mode Vault Lock, a vault policy that misses an action, and two different break-glass roles", async () => {
    expect(await run(world({ changeableForDays: 0 }))).toEqual([expect.stringMatching(/is in governance mode \(no changeableForDays\)/)]);
    const noPolicyChange = [{ ...vaultStatements()[0], Action: BACKUP_VAULT_ACTIONS.filter((a) => a !== "backup:PutBackupVaultAccessPolicy") }];
    expect(await run(world({ vaultStatements: noPolicyChange }))).toEqual([expect.stringMatching(/does not deny backup:PutBackupVaultAccessPolicy/)]);
    const other = `arn:aws-cn:iam::${ACCOUNT}:role/someone-else`;
    expect(await run(world({ vaultStatements: vaultStatements(other) }))).toEqual([expect.stringMatching(/name 2 different break-glass roles/)]);
  });
});
