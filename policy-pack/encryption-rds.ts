/** RDS and Aurora: storage encrypted with a customer-managed key; deletion protection unless allow-listed. */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { allowListSchema, customerManagedKeyProblem, describe, knownString, MANDATORY, onAllowList, T, validateTypes } from "./lib/kit";

const RDS_TYPES = [T.rdsInstance, T.rdsCluster];

export const rdsStorageEncryptedWithCmk: ResourceValidationPolicy = {
    name: "rds-storage-encrypted-with-cmk",
    description: "RDS instances and Aurora clusters encrypt their storage with a customer-managed KMS key.",
    remediationSteps: "Set storageEncrypted: true and kmsKeyId: <aws.kms.Key>.arn on the aws.rds.Instance or aws.rds.Cluster (this replaces the database).",
    enforcementLevel: MANDATORY,
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

export interface RdsDeletionProtectionConfig {
    exemptDatabases?: string[];
}

export const rdsDeletionProtection: ResourceValidationPolicy = {
    name: "rds-deletion-protection",
    description: "RDS instances and Aurora clusters have deletion protection on, unless allow-listed (e.g. a throw-away lab).",
    remediationSteps: "Set deletionProtection: true, or add the database's logical name or identifier to this policy's `exemptDatabases`.",
    enforcementLevel: MANDATORY,
    configSchema: {
        properties: {
            exemptDatabases: allowListSchema("Databases (logical names, identifiers or cluster identifiers) that may be deleted without turning deletion protection off first."),
        },
    },
    validateResource: validateTypes(RDS_TYPES, (db, args, report) => {
        const cfg = args.getConfig<RdsDeletionProtectionConfig>();
        if (onAllowList(cfg.exemptDatabases, args.name, knownString(() => db.identifier), knownString(() => db.clusterIdentifier))) {
            return;
        }
        if (db.deletionProtection !== true) {
            report(`${describe(args)} has deletion protection off: set deletionProtection: true or add "${args.name}" to exemptDatabases.`);
        }
    }),
};

export const rdsPolicies = [rdsStorageEncryptedWithCmk, rdsDeletionProtection];
