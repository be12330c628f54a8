/** CloudTrail: trails encrypt log files with KMS and sign digests for log file validation. */
import { describe, isSet, MANDATORY, T, validateTypes } from "../lib/kit";
import { PackResourcePolicy } from "../lib/meta";

export const cloudtrailEncryptedAndValidated: PackResourcePolicy = {
  name: "cloudtrail-trail-encrypted-and-validated",
  description: "CloudTrail trails encrypt log files with a KMS key and have log file validation on.",
  remediationSteps: "Set kmsKeyId: <aws.kms.Key>.arn and enableLogFileValidation: true on the aws.cloudtrail.Trail.",
  enforcementLevel: MANDATORY,
  severity: "medium",
  topics: ["encryption", "audit-logging"],
  validateResource: validateTypes([T.cloudTrail], (trail, args, report) => {
    if (!isSet(() => trail.kmsKeyId)) {
      report(`${describe(args)} does not encrypt its log files with KMS: set kmsKeyId.`);
    }
    if (trail.enableLogFileValidation !== true) {
      report(`${describe(args)} has log file validation off: set enableLogFileValidation: true.`);
    }
  }),
};

export const cloudtrailPolicies = [cloudtrailEncryptedAndValidated];
