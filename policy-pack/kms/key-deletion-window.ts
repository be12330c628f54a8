/** KMS keys keep a deletion window long enough to notice a mistake. */
import { fsbp } from "../lib/controls";
import { describe, MANDATORY, T, validateTypes } from "../lib/kit";
import { PackResourcePolicy } from "../lib/meta";

export interface KmsDeletionWindowConfig {
  minimumDays?: number;
}

export const kmsKeyDeletionWindow: PackResourcePolicy = {
  name: "kms-key-deletion-window",
  description: "KMS keys have a deletion window of at least 7 days, so a scheduled deletion can be cancelled before the data it protects becomes unreadable.",
  remediationSteps: "Set deletionWindowInDays to 7 or more (30, the default, when omitted).",
  enforcementLevel: MANDATORY,
  severity: "medium",
  topics: ["key-management"],
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
