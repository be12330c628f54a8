/** A Lambda permission for a service names the source allowed to invoke the function. */
import { describe, isSet, knownString, MANDATORY, T, validateTypes } from "../lib/kit";
import { PackResourcePolicy } from "../lib/meta";

export const lambdaPermissionSourceArn: PackResourcePolicy = {
  name: "lambda-permission-source-arn",
  description: "A Lambda permission for a service principal names the sourceArn allowed to invoke the function.",
  remediationSteps: "Set sourceArn (the rule, bucket, topic or log group that invokes the function) on the aws.lambda.Permission, and sourceAccount for S3.",
  enforcementLevel: MANDATORY,
  severity: "high",
  topics: ["least-privilege"],
  validateResource: validateTypes([T.lambdaPermission], (perm, args, report) => {
    const principal = knownString(() => perm.principal);
    if (principal !== undefined && !principal.includes(".")) {
      args.notApplicable("the principal is an account, not a service");
    }
    if (!isSet(() => perm.sourceArn)) {
      report(`${describe(args)} lets ${principal ?? "a service"} invoke the function from any source: set sourceArn.`);
    }
  }),
};
