/** Symmetric KMS keys rotate their key material automatically. */
import { fsbp } from "../lib/controls";
import { describe, MANDATORY, read, T, validateTypes } from "../lib/kit";
import { PackResourcePolicy } from "../lib/meta";

export const kmsKeyRotationEnabled: PackResourcePolicy = {
  name: "kms-key-rotation-enabled",
  description: "Symmetric KMS keys rotate their key material automatically.",
  remediationSteps: "Set enableKeyRotation: true on the aws.kms.Key.",
  enforcementLevel: MANDATORY,
  severity: "medium",
  topics: ["encryption", "key-management"],
  framework: fsbp("KMS.4", "AWS KMS key rotation should be enabled"),
  validateResource: validateTypes([T.kmsKey], (key, args, report) => {
    const spec = read(() => key.customerMasterKeySpec);
    if (spec.known && spec.value && spec.value !== "SYMMETRIC_DEFAULT") {
      args.notApplicable(`asymmetric or HMAC key (${spec.value}) cannot rotate automatically`);
    }
    if (key.enableKeyRotation !== true) {
      report(`${describe(args)} does not rotate its key material: set enableKeyRotation: true.`);
    }
  }),
};
