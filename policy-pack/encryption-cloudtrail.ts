/** CloudTrail: trails encrypt log files with KMS and sign digests for log file validation. */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { describe, isSet, MANDATORY, T, validateTypes } from "./lib/kit";

export const cloudtrailEncryptedAndValidated: ResourceValidationPolicy = {
    name: "cloudtrail-encrypted-and-validated",
    description: "CloudTrail trails encrypt log files with a KMS key and have log file validation on.",
    remediationSteps: "Set kmsKeyId: <aws.kms.Key>.arn and enableLogFileValidation: true on the aws.cloudtrail.Trail.",
    enforcementLevel: MANDATORY,
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
