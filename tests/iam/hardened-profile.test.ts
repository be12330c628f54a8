/**
 * The hardened profile, proved with the IAM simulator (@cloud-copilot/iam-simulate, AWS's action
 * catalogue) over the resource policies of the planned backup stack: an administrator of the
 * primary account and one of the backup account (identity policy Allow *:*), and the backup
 * account's root user, can delete or shorten nothing in Ningxia; the break-glass role can change
 * the policies it must be able to change.
 *
 * Two things the simulator does not model, asserted another way:
 * - Object Lock: it answers for IAM only. That a locked version cannot be deleted by anyone, the
 *   break-glass role and root included, is AWS's compliance-mode guarantee; here the planned
 *   Object Lock configuration is asserted (COMPLIANCE, >= 180 days) instead.
 * - Vault Lock: likewise; the planned lock is asserted to be in compliance mode (changeableForDays).
 * - S3's root-user exception: the bucket owner's root user can always Get/Put/DeleteBucketPolicy
 *   (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketPolicy.html); the simulator
 *   would answer "denied", so root is not asked about those two actions (README says so).
 */
import { decideCore } from "../helpers/iam-sim-core";
import { one, policyOf } from "../helpers/pulumi";
import type { StackRun } from "../../tools/harness";
import { ALL_OPTIONS, BACKUP_ACCOUNT, BREAK_GLASS_ROLE, HARDENED, PRIMARY_ACCOUNT, runVariant, variant } from "../../tools/variants";
import { replicationRoleName } from "../../infra/log-archive";
import {
  BREAK_GLASS_ROLE_IAM_ACTIONS,
  HARDENED_BACKUP_VAULT_ACTIONS,
  HARDENED_KMS_KEY_ACTIONS,
  HARDENED_S3_BUCKET_ACTIONS,
  HARDENED_S3_OBJECT_ACTIONS,
} from "../../infra/hardened-profile";

const REGION = "cn-northwest-1";
const ADMIN_POLICY = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
const BREAK_GLASS = `arn:aws-cn:iam::${BACKUP_ACCOUNT}:role/${BREAK_GLASS_ROLE}`;
const PRIMARY_ADMIN = `arn:aws-cn:iam::${PRIMARY_ACCOUNT}:role/Administrator`;
const BACKUP_ADMIN = `arn:aws-cn:iam::${BACKUP_ACCOUNT}:role/Administrator`;
const BACKUP_ROOT = `arn:aws-cn:iam::${BACKUP_ACCOUNT}:root`;
const accountOf = (principal: string) => principal.split(":")[4];
/** Denied to everyone by statements older than the profile (tested on their own below). */
const BY_OWN_DENY = ["s3:DeleteObjectVersion", "backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"];

/** Everything this test needs from one planned backup stack (update mode: every ARN known). */
interface Planned {
  run: StackRun;
  bucketArn: string;
  bucketPolicy: object;
  replicaKeyArn: string;
  replicaKeyPolicy: object;
  vaultArn: string;
  vaultPolicy: object;
  vaultKeyArn: string;
  vaultKeyPolicy: object;
}

async function plan(name: string): Promise<Planned> {
  const run = await runVariant(REGION, variant(name));
  const key = (n: string) => one(run, "aws:kms/key:Key", n);
  return {
    run,
    bucketArn: one(run, "aws:s3/bucket:Bucket", "log-archive-replica").state.arn,
    bucketPolicy: policyOf(one(run, "aws:s3/bucketPolicy:BucketPolicy", "log-archive-replica-policy")),
    replicaKeyArn: key("log-archive-replica-key").state.arn,
    replicaKeyPolicy: policyOf(key("log-archive-replica-key")),
    vaultArn: one(run, "aws:backup/vault:Vault", "backup-events-vault").state.arn,
    vaultPolicy: policyOf(one(run, "aws:backup/vaultPolicy:VaultPolicy", "backup-events-vault-policy")),
    vaultKeyArn: ALL_OPTIONS === name ? "" : key("backup-events-vault-key").state.arn,
    vaultKeyPolicy: ALL_OPTIONS === name ? {} : policyOf(key("backup-events-vault-key")),
  };
}

/** One request as AWS evaluates it: the principal's identity policy, the resource's policy, the request's context keys. */
function decide(principal: string, action: string, resource: string, resourcePolicy: object, extra: Record<string, string> = {}) {
  return decideCore({
    principal,
    action,
    resource,
    resourceAccount: BACKUP_ACCOUNT,
    identityPolicies: principal.endsWith(":root") ? [] : [ADMIN_POLICY],
    resourcePolicy,
    context: { "aws:PrincipalArn": principal, "aws:PrincipalAccount": accountOf(principal), "aws:SecureTransport": "true", ...extra },
  });
}

/** Every destructive request of the profile, with the resource policy AWS evaluates for it. */
function destructive(p: Planned): [string, string, object][] {
  const rp = `arn:aws-cn:backup:${REGION}:${BACKUP_ACCOUNT}:recovery-point:0123abcd-4567-89ef-0123-456789abcdef`;
  return [
    ...HARDENED_S3_BUCKET_ACTIONS.map((a) => [a, p.bucketArn, p.bucketPolicy] as [string, string, object]),
    ...HARDENED_S3_OBJECT_ACTIONS.map((a) => [a, `${p.bucketArn}/flow-logs/2026/12/01/x.parquet`, p.bucketPolicy] as [string, string, object]),
    ...[...HARDENED_KMS_KEY_ACTIONS, "kms:CreateGrant"].flatMap((a) => [
      [a, p.replicaKeyArn, p.replicaKeyPolicy] as [string, string, object],
      [a, p.vaultKeyArn, p.vaultKeyPolicy] as [string, string, object],
    ]),
    ...HARDENED_BACKUP_VAULT_ACTIONS.map((a) => [a, a.includes("RecoveryPoint") ? rp : p.vaultArn, p.vaultPolicy] as [string, string, object]),
  ];
}

describe("the hardened profile, simulated over the planned backup stack", () => {
  let hardened: Planned;
  beforeAll(async () => {
    hardened = await plan(HARDENED);
  });

  test("the requests cover every action the profile denies, on the bucket, its objects, both keys, the vault and its recovery points", () => {
    const actions = new Set(destructive(hardened).map(([a]) => a));
    expect(actions.size).toBe(
      HARDENED_S3_BUCKET_ACTIONS.length + HARDENED_S3_OBJECT_ACTIONS.length + HARDENED_KMS_KEY_ACTIONS.length + 1 + HARDENED_BACKUP_VAULT_ACTIONS.length,
    );
    expect(hardened.bucketArn).toMatch(/^arn:aws-cn:s3:::/);
    expect(hardened.vaultKeyArn).toContain(`:${BACKUP_ACCOUNT}:key/`);
  });

  test.each([
    ["an administrator of the primary account", PRIMARY_ADMIN],
    ["an administrator of the backup account", BACKUP_ADMIN],
    ["the backup account's root user", BACKUP_ROOT],
  ])("%s is explicitly denied every destructive request", async (_who, principal) => {
    const allowed: string[] = [];
    for (const [action, resource, policy] of destructive(hardened)) {
      // S3 lets the owner's root user manage the bucket policy whatever it says (module comment).
      if (principal === BACKUP_ROOT && (action === "s3:PutBucketPolicy" || action === "s3:DeleteBucketPolicy")) continue;
      const d = await decide(principal, action, resource, policy);
      if (d !== "ExplicitlyDenied") allowed.push(`${action} ${resource}: ${d}`);
    }
    expect(allowed).toEqual([]);
  });

  test("a grant for an AWS resource (AWS Backup's) is still possible for the backup account; a direct one is not", async () => {
    const via = { "kms:ViaService": `backup.${REGION}.amazonaws.com.cn`, "kms:CallerAccount": BACKUP_ACCOUNT };
    expect(await decide(BACKUP_ADMIN, "kms:CreateGrant", hardened.vaultKeyArn, hardened.vaultKeyPolicy, { ...via, "kms:GrantIsForAWSResource": "true" })).toBe(
      "Allowed",
    );
    expect(await decide(BACKUP_ADMIN, "kms:CreateGrant", hardened.vaultKeyArn, hardened.vaultKeyPolicy, { ...via, "kms:GrantIsForAWSResource": "false" })).toBe(
      "ExplicitlyDenied",
    );
  });

  test("the break-glass role may change the policies, lifecycle, keys and vault lock it exists for", async () => {
    const denied: string[] = [];
    for (const [action, resource, policy] of destructive(hardened)) {
      if (BY_OWN_DENY.includes(action)) continue; // below
      const d = await decide(BREAK_GLASS, action, resource, policy);
      if (d !== "Allowed") denied.push(`${action}: ${d}`);
    }
    expect(denied).toEqual([]);
  });

  test("the break-glass role still cannot delete object versions or recovery points through the API (the resources' own denies), and the locks hold them anyway", async () => {
    // The denies every replica and destination vault carry, profile or not (DenyDeletingObjectVersions,
    // DenyDeletingOrShorteningRecoveryPoints): break-glass would first have to rewrite the policy.
    const rp = `arn:aws-cn:backup:${REGION}:${BACKUP_ACCOUNT}:recovery-point:0123abcd-4567-89ef-0123-456789abcdef`;
    expect(await decide(BREAK_GLASS, "s3:DeleteObjectVersion", `${hardened.bucketArn}/x`, hardened.bucketPolicy)).toBe("ExplicitlyDenied");
    expect(await decide(BREAK_GLASS, "backup:DeleteRecoveryPoint", rp, hardened.vaultPolicy)).toBe("ExplicitlyDenied");
    expect(await decide(BREAK_GLASS, "backup:UpdateRecoveryPointLifecycle", rp, hardened.vaultPolicy)).toBe("ExplicitlyDenied");
    // Not simulated (module comment): the compliance-mode default retention the replica is planned with.
    const bucket = one(hardened.run, "aws:s3/bucket:Bucket", "log-archive-replica");
    expect(bucket.inputs.objectLockEnabled).toBe(true);
    const lock = one(hardened.run, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", "log-archive-replica-object-lock");
    expect(lock.inputs.rule.defaultRetention).toEqual({ mode: "COMPLIANCE", days: 180 });
    const vaultLock = one(hardened.run, "aws:backup/vaultLockConfiguration:VaultLockConfiguration", "backup-events-vault-lock");
    expect(vaultLock.inputs.changeableForDays).toBe(3);
  });

  test("a role that is not the break-glass role (same name in another account, or a longer name) gets no exception", async () => {
    for (const impostor of [`arn:aws-cn:iam::${PRIMARY_ACCOUNT}:role/${BREAK_GLASS_ROLE}`, `${BREAK_GLASS}-2`]) {
      expect(await decide(impostor, "s3:PutBucketPolicy", hardened.bucketArn, hardened.bucketPolicy)).toBe("ExplicitlyDenied");
      expect(await decide(impostor, "kms:ScheduleKeyDeletion", hardened.replicaKeyArn, hardened.replicaKeyPolicy)).toBe("ExplicitlyDenied");
      expect(await decide(impostor, "backup:DeleteBackupVault", hardened.vaultArn, hardened.vaultPolicy)).toBe("ExplicitlyDenied");
    }
  });

  test("the replication role of the primary still writes replicas (the profile takes nothing from it)", async () => {
    const role = `arn:aws-cn:iam::${PRIMARY_ACCOUNT}:role/${replicationRoleName("cn-north-1")}`;
    const d = await decideCore({
      principal: role,
      action: "s3:ReplicateObject",
      resource: `${hardened.bucketArn}/cloudtrail/x.json.gz`,
      resourceAccount: BACKUP_ACCOUNT,
      identityPolicies: [{ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:ReplicateObject", Resource: `${hardened.bucketArn}/*` }] }],
      resourcePolicy: hardened.bucketPolicy,
      context: { "aws:PrincipalArn": role, "aws:PrincipalAccount": PRIMARY_ACCOUNT, "aws:SecureTransport": "true" },
    });
    expect(d).toBe("Allowed");
  });
});

describe("the break-glass role itself, and the SCP the backup stack exports for it", () => {
  let hardened: Planned;
  let scp: object;
  const FULL_ACCESS = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
  const asWithScp = (principal: string, action: string, resource: string, resourcePolicy?: object) =>
    decideCore({
      principal,
      action,
      resource,
      resourceAccount: BACKUP_ACCOUNT,
      identityPolicies: principal.endsWith(":root") ? [] : [ADMIN_POLICY],
      resourcePolicy,
      serviceControlPolicies: [FULL_ACCESS, scp],
      context: { "aws:PrincipalArn": principal, "aws:PrincipalAccount": accountOf(principal), "aws:SecureTransport": "true" },
    });
  beforeAll(async () => {
    hardened = await plan(HARDENED);
    scp = JSON.parse(String(hardened.run.outputs.hardenedProfileScp));
  });

  test("the gap the profile leaves alone: without an SCP an administrator of the backup account may rewrite the break-glass role's trust policy", async () => {
    const d = await decideCore({
      principal: BACKUP_ADMIN,
      action: "iam:UpdateAssumeRolePolicy",
      resource: BREAK_GLASS,
      resourceAccount: BACKUP_ACCOUNT,
      identityPolicies: [ADMIN_POLICY],
      context: { "aws:PrincipalArn": BACKUP_ADMIN, "aws:PrincipalAccount": BACKUP_ACCOUNT },
    });
    expect(d).toBe("Allowed");
  });

  test("with the SCP, no administrator (root included) may change the break-glass role or the replica's bucket policy; break-glass still may", async () => {
    for (const action of BREAK_GLASS_ROLE_IAM_ACTIONS) {
      expect([action, await asWithScp(BACKUP_ADMIN, action, BREAK_GLASS)]).toEqual([action, "ExplicitlyDenied"]);
      expect([action, await asWithScp(BACKUP_ROOT, action, BREAK_GLASS)]).toEqual([action, "ExplicitlyDenied"]);
    }
    for (const action of ["s3:PutBucketPolicy", "s3:DeleteBucketPolicy"]) {
      // The S3 root exception AWS documents yields to SCPs (module comment's source).
      expect(await asWithScp(BACKUP_ROOT, action, hardened.bucketArn, hardened.bucketPolicy)).toBe("ExplicitlyDenied");
      expect(await asWithScp(BREAK_GLASS, action, hardened.bucketArn, hardened.bucketPolicy)).toBe("Allowed");
    }
    expect(await asWithScp(BREAK_GLASS, "iam:UpdateAssumeRolePolicy", BREAK_GLASS)).toBe("Allowed");
  });
});

describe("without the profile (the same requests over the 'every option on' variant)", () => {
  test("an administrator of the backup account could change the replica's policy and lifecycle, and schedule the key's deletion", async () => {
    const p = await plan(ALL_OPTIONS);
    expect(await decide(BACKUP_ADMIN, "s3:PutLifecycleConfiguration", p.bucketArn, p.bucketPolicy)).toBe("Allowed");
    expect(await decide(BACKUP_ADMIN, "s3:DeleteBucketPolicy", p.bucketArn, p.bucketPolicy)).toBe("Allowed");
    expect(await decide(BACKUP_ADMIN, "kms:ScheduleKeyDeletion", p.replicaKeyArn, p.replicaKeyPolicy)).toBe("Allowed");
    expect(await decide(BACKUP_ADMIN, "backup:DeleteBackupVaultAccessPolicy", p.vaultArn, p.vaultPolicy)).toBe("Allowed");
  });
});
