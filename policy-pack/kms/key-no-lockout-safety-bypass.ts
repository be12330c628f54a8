/**
 * No key (or key policy) skips KMS's policy lockout safety check, which refuses a policy that would
 * leave the key unmanageable. https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-bypass-policy-lockout-safety-check
 */
import { design } from "../lib/controls";
import { describe, MANDATORY, read, T, validateTypes } from "../lib/kit";
import { PackResourcePolicy } from "../lib/meta";

export const kmsNoLockoutBypass: PackResourcePolicy = {
  name: "kms-key-no-lockout-safety-bypass",
  description: "KMS keys and key policies never set bypassPolicyLockoutSafetyCheck.",
  remediationSteps: "Remove bypassPolicyLockoutSafetyCheck (or set it to false) on the aws.kms.Key / aws.kms.KeyPolicy / aws.kms.ReplicaKey.",
  enforcementLevel: MANDATORY,
  severity: "high",
  topics: ["key-management"],
  framework: design("Key policies", "A key policy never bypasses the lockout safety check (AWS: 'should be used with caution')."),
  validateResource: validateTypes([T.kmsKey, T.kmsReplicaKey, T.kmsKeyPolicy, T.kmsExternalKey], (props, args, report) => {
    const b = read(() => props.bypassPolicyLockoutSafetyCheck);
    if (!b.known || b.value === true || b.value === "true") {
      report(
        `${describe(args)} sets bypassPolicyLockoutSafetyCheck${b.known ? "" : " (unknown during preview)"}: a policy that locks everyone out could be applied.`,
      );
    }
  }),
};
