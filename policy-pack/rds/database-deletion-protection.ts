/** RDS instances and Aurora clusters have deletion protection on, unless allow-listed. */
import { allowListSchema, describe, knownString, MANDATORY, onAllowList, T, validateTypes } from "../lib/kit";
import { PackResourcePolicy } from "../lib/meta";

const RDS_TYPES = [T.rdsInstance, T.rdsCluster];

export interface RdsDeletionProtectionConfig {
  exemptDatabases?: string[];
}

export const rdsDeletionProtection: PackResourcePolicy = {
  name: "rds-database-deletion-protection",
  description: "RDS instances and Aurora clusters have deletion protection on, unless allow-listed (e.g. a throw-away lab).",
  remediationSteps: "Set deletionProtection: true, or add the database's logical name or identifier to this policy's `exemptDatabases`.",
  enforcementLevel: MANDATORY,
  severity: "low",
  topics: ["retention"],
  configSchema: {
    properties: {
      exemptDatabases: allowListSchema(
        "Databases (logical names, identifiers or cluster identifiers) that may be deleted without turning deletion protection off first.",
      ),
    },
  },
  validateResource: validateTypes(RDS_TYPES, (db, args, report) => {
    const cfg = args.getConfig<RdsDeletionProtectionConfig>();
    if (
      onAllowList(
        cfg.exemptDatabases,
        args.name,
        knownString(() => db.identifier),
        knownString(() => db.clusterIdentifier),
      )
    ) {
      return;
    }
    if (db.deletionProtection !== true) {
      report(`${describe(args)} has deletion protection off: set deletionProtection: true or add "${args.name}" to exemptDatabases.`);
    }
  }),
};
