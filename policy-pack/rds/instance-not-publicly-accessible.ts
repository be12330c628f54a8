/** No database instance is reachable from the internet. https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-2 */
import { fsbp } from "../lib/controls";
import { describe, MANDATORY, read, T, validateTypes } from "../lib/kit";
import { PackResourcePolicy } from "../lib/meta";

export const rdsNotPubliclyAccessible: PackResourcePolicy = {
  name: "rds-instance-not-publicly-accessible",
  description: "RDS DB instances and Aurora cluster instances are not publiclyAccessible.",
  remediationSteps: "Remove publiclyAccessible (default false) from the aws.rds.Instance / aws.rds.ClusterInstance; connect from inside the VPC.",
  enforcementLevel: MANDATORY,
  severity: "critical",
  topics: ["exposure"],
  framework: fsbp("RDS.2", "RDS DB Instances should prohibit public access, as determined by the PubliclyAccessible configuration"),
  validateResource: validateTypes([T.rdsInstance, T.rdsClusterInstance], (p, args, report) => {
    const v = read(() => p.publiclyAccessible);
    if (!v.known || v.value === true || v.value === "true") {
      report(`${describe(args)} is publiclyAccessible${v.known ? "" : " (unknown during preview)"}: it gets a public DNS address reachable from the internet.`);
    }
  }),
};
