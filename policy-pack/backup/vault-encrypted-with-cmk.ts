/** AWS Backup: vaults are encrypted with a customer-managed key. */
import { fsbp } from "../lib/controls";
import { customerManagedKeyProblem, describe, MANDATORY, T, validateTypes } from "../lib/kit";
import { PackResourcePolicy } from "../lib/meta";

export const backupVaultEncryptedWithCmk: PackResourcePolicy = {
  name: "backup-vault-encrypted-with-cmk",
  description: "AWS Backup vaults encrypt recovery points with a customer-managed KMS key.",
  remediationSteps: "Set kmsKeyArn: <aws.kms.Key>.arn on the aws.backup.Vault (this replaces the vault).",
  enforcementLevel: MANDATORY,
  severity: "medium",
  topics: ["encryption"],
  framework: fsbp("Backup.1", "AWS Backup recovery points should be encrypted at rest"),
  validateResource: validateTypes([T.backupVault], (vault, args, report) => {
    const problem = customerManagedKeyProblem(() => vault.kmsKeyArn, "kmsKeyArn");
    if (problem) {
      report(`${describe(args)}: ${problem}; use a customer-managed key.`);
    }
  }),
};

export const backupPolicies = [backupVaultEncryptedWithCmk];
