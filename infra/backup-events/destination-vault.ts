/**
 * The destination vault (backup region): its own customer-managed key, whose policy admits AWS
 * Backup on behalf of the admitted accounts; an access policy denying DeleteRecoveryPoint /
 * UpdateRecoveryPointLifecycle to everyone but the allow-listed admin roles, admitting the other
 * source accounts to copy in; and Vault Lock (governance, or compliance with a grace time).
 * A brought vault keeps its owner's access policy and lock (BackupRegionArgs.destinationVaultArn).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocumentJson } from "../iam";
import type { BackupRegionArgs } from "./args";
import { vaultAccessStatements, vaultKeyStatements } from "./statements";
import { hardenedKeyStatements, hardenedVaultStatements } from "../hardened-profile";
import { Scope, VaultRef } from "./types";
import { rootArns, vaultKeyServices, vaultRef } from "./vault";

export function destinationVault(scope: Scope, args: BackupRegionArgs): VaultRef {
  const { name, facts } = scope;
  const o = { parent: scope.parent };
  const sourceAccountIds = [args.primaryAccountId, args.backupAccountId].filter((id): id is string => id !== undefined);
  const admitted = pulumi.all([facts.accountId, sourceAccountIds]).apply(([own, others]) => [...new Set([own, ...others])]);
  const roots = rootArns(scope, admitted);
  const ref = vaultRef(scope, {
    keys: { vaultArn: "destinationVaultArn", kmsKeyArn: "destinationVaultKmsKeyArn" },
    vaultArn: args.destinationVaultArn,
    kmsKeyArn: args.destinationVaultKmsKeyArn,
    vaultName: args.destinationVaultName,
    kmsKeyDeletionWindowDays: args.kmsKeyDeletionWindowDays,
    keyDescription: "cn-log-backup: encrypts the disaster-recovery backup vault",
    keyStatements: () => [
      ...vaultKeyStatements(roots, admitted, vaultKeyServices(scope, facts.region)),
      ...(args.hardened ? hardenedKeyStatements(args.hardened) : []),
    ],
    forceDestroy: false,
  });
  if (!ref.vault) return ref;
  const vault = ref.vault;

  // Copies within the vault's own account need no consent: only the other accounts are named.
  const others = facts.accountId.apply((own) => [...new Set(sourceAccountIds.filter((id) => id !== own))]);
  const policy = pulumi
    .all([rootArns(scope, others)])
    .apply(([otherRoots]) => [...vaultAccessStatements(args.adminRoleArns, otherRoots), ...(args.hardened ? hardenedVaultStatements(args.hardened) : [])]);
  // A vault access policy takes only a JSON string; it names no resource of this stack (known at preview).
  new aws.backup.VaultPolicy(`${name}-vault-policy`, { backupVaultName: vault.name, policy: policyDocumentJson(policy) }, o);

  new aws.backup.VaultLockConfiguration(
    `${name}-vault-lock`,
    {
      backupVaultName: vault.name,
      minRetentionDays: args.vaultLockMinRetentionDays,
      maxRetentionDays: args.vaultLockMaxRetentionDays,
      // Without changeableForDays the lock is in governance mode; with it, compliance mode
      // (immutable once the grace time has passed).
      changeableForDays: args.vaultLockMode === "compliance" ? args.vaultLockChangeableForDays : undefined,
    },
    o,
  );
  return ref;
}
