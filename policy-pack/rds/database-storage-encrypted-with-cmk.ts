/** RDS instances and Aurora clusters encrypt their storage with a customer-managed key. */
import { customerManagedKeyProblem, describe, MANDATORY, T, validateTypes } from "../lib/kit";
import { PackResourcePolicy } from "../lib/meta";

const RDS_TYPES = [T.rdsInstance, T.rdsCluster];

export const rdsStorageEncryptedWithCmk: PackResourcePolicy = {
  name: "rds-database-storage-encrypted-with-cmk",
  description: "RDS instances and Aurora clusters encrypt their storage with a customer-managed KMS key.",
  remediationSteps: "Set storageEncrypted: true and kmsKeyId: <aws.kms.Key>.arn on the aws.rds.Instance or aws.rds.Cluster (this replaces the database).",
  enforcementLevel: MANDATORY,
  severity: "medium",
  topics: ["encryption"],
  validateResource: validateTypes(RDS_TYPES, (db, args, report) => {
    if (db.storageEncrypted !== true) {
      report(`${describe(args)} does not encrypt its storage: set storageEncrypted: true with a customer-managed kmsKeyId.`);
      return;
    }
    const problem = customerManagedKeyProblem(() => db.kmsKeyId, "kmsKeyId");
    if (problem) {
      report(`${describe(args)}: ${problem}; use a customer-managed key.`);
    }
  }),
};
