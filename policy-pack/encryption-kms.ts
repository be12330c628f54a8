/**
 * KMS keys: rotation, a deletion window long enough to notice a mistake, and key policies that give
 * `kms:*` to nobody but the account root.
 */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { labelOf, mayAllow, parseDocument, principalsOf, statementsOf, valuesOf } from "./lib/iam-document";
import { fsbp } from "./lib/controls";
import { describe, MANDATORY, read, T, validateTypes } from "./lib/kit";

export const kmsKeyRotationEnabled: ResourceValidationPolicy = {
    name: "kms-key-rotation-enabled",
    description: "Symmetric KMS keys rotate their key material automatically.",
    remediationSteps: "Set enableKeyRotation: true on the aws.kms.Key.",
    enforcementLevel: MANDATORY,
    severity: "medium",
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

export interface KmsDeletionWindowConfig {
    minimumDays?: number;
}

export const kmsKeyDeletionWindow: ResourceValidationPolicy = {
    name: "kms-key-deletion-window",
    description: "KMS keys have a deletion window of at least 7 days, so a scheduled deletion can be cancelled before the data it protects becomes unreadable.",
    remediationSteps: "Set deletionWindowInDays to 7 or more (30, the default, when omitted).",
    enforcementLevel: MANDATORY,
    severity: "medium",
    framework: fsbp("KMS.3", "AWS KMS keys should not be deleted unintentionally"),
    configSchema: {
        properties: {
            minimumDays: { type: "integer", minimum: 7, maximum: 30, default: 7, description: "The shortest deletion window allowed, in days (7 to 30)." },
        },
    },
    validateResource: validateTypes([T.kmsKey, T.kmsReplicaKey, T.kmsExternalKey], (key, args, report) => {
        const minimum = args.getConfig<KmsDeletionWindowConfig>().minimumDays ?? 7;
        const days = key.deletionWindowInDays;
        if (days !== undefined && days !== null && Number(days) < minimum) {
            report(`${describe(args)} has deletionWindowInDays ${days}; it must be at least ${minimum}.`);
        }
    }),
};

/** Whether a principal value is an account root: `arn:<partition>:iam::<account>:root` or a bare account id. */
export function isAccountRoot(principal: string): boolean {
    return /^arn:[a-z-]+:iam::\d{12}:root$/.test(principal) || /^\d{12}$/.test(principal);
}

export const kmsKeyPolicyNoWildcardGrants: ResourceValidationPolicy = {
    name: "kms-key-policy-no-wildcard-grants",
    description: "A KMS key policy grants kms:* (or *) only to the account root; every other principal gets the specific actions it needs.",
    remediationSteps:
        "In the key policy, keep `kms:*` only in the statement whose Principal is { AWS: arn:<partition>:iam::<account>:root }; " +
        "give roles and services the exact actions they use (kms:Encrypt, kms:Decrypt, kms:GenerateDataKey*, kms:DescribeKey ...).",
    enforcementLevel: MANDATORY,
    validateResource: validateTypes([T.kmsKey, T.kmsReplicaKey, T.kmsKeyPolicy], (props, args, report) => {
        const raw = read(() => props.policy);
        if (raw.known && (raw.value === undefined || raw.value === null || raw.value === "")) {
            // No policy: AWS applies its default key policy, which grants kms:* to the account root only.
            return;
        }
        const doc = parseDocument(props.policy);
        statementsOf(doc).forEach((stmt, i) => {
            if (!mayAllow(stmt)) {
                return;
            }
            const actions = valuesOf(() => stmt.Action);
            const notAction = valuesOf(() => stmt.NotAction);
            // Actions are literals: one unknown during preview may be kms:* (lib/iam-document.ts).
            const wildcard = notAction.present || actions.unknown || actions.values.some((a) => a === "*" || a.toLowerCase() === "kms:*");
            if (!wildcard) {
                return;
            }
            const p = principalsOf(stmt);
            const others = [
                ...p.aws.values.filter((v) => !isAccountRoot(v)),
                ...p.service.values,
                ...p.federated.values,
            ];
            const grant = notAction.present ? "everything but NotAction" : actions.values.some((a) => a === "*" || a.toLowerCase() === "kms:*") ? "kms:*" : "actions unknown during preview (possibly kms:*)";
            if (p.anyone || others.length > 0) {
                report(`${describe(args)}: ${labelOf(stmt, i)} grants ${grant} to ${p.anyone ? "\"*\"" : others.join(", ")}; only the account root may hold kms:*.`);
            } else if (p.unknown) {
                report(`${describe(args)}: ${labelOf(stmt, i)} grants ${grant} to a principal that is unknown during preview; build the root principal from aws.getCallerIdentity and aws.getPartition so it is known.`);
            }
        });
    }),
};

export const kmsPolicies = [kmsKeyRotationEnabled, kmsKeyDeletionWindow, kmsKeyPolicyNoWildcardGrants];
