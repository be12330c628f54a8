/**
 * The controls a policy maps to, as @pulumi/policy's `framework` metadata: AWS Security Hub's
 * Foundational Security Best Practices (FSBP), the CIS AWS Foundations Benchmark, or the PRC law
 * clause. Sources:
 *  - FSBP control ids: https://docs.aws.amazon.com/securityhub/latest/userguide/fsbp-standard.html
 *  - CIS AWS Foundations Benchmark v3.0.0: https://docs.aws.amazon.com/securityhub/latest/userguide/cis-aws-foundations-benchmark.html
 *  - Cybersecurity Law of the PRC (2017), Art. 21(3): network operators "monitor and record network
 *    operation and cybersecurity events, and maintain the cyber-related logs for no less than six
 *    months" (English text: https://www.laitimes.com/en/article/6itf8_6z5pw.html; commentary:
 *    https://www.mondaq.com/china/security/1235416/a-brief-overview-of-the-draft-amendment-to-the-cybersecurity-law).
 */
import { PolicyComplianceFramework } from "@pulumi/policy";

export function fsbp(id: string, title: string): PolicyComplianceFramework {
  return { name: "AWS Foundational Security Best Practices", version: "1.0.0", reference: id, specification: title };
}

export function cis(id: string, title: string): PolicyComplianceFramework {
  return { name: "CIS AWS Foundations Benchmark", version: "3.0.0", reference: id, specification: title };
}

/** Cybersecurity Law of the PRC, Art. 21(3): network logs kept no less than six months. */
export const CSL_ART_21: PolicyComplianceFramework = {
  name: "Cybersecurity Law of the People's Republic of China",
  version: "2017",
  reference: "Art. 21(3)",
  specification: "Monitor and record network operation and cybersecurity events; keep the network logs for no less than six months.",
};

/** The project's own design rule (ARCHITECTURE.md), where no public control exists. */
export function design(reference: string, specification: string): PolicyComplianceFramework {
  return { name: "cn-log-backup design (ARCHITECTURE.md)", version: "1", reference, specification };
}

/** An allow-list entry that must say why: `{ "name": "...", "reason": "..." }`. */
export interface ReasonedEntry {
  name: string;
  reason: string;
}

export function reasonedListSchema(description: string) {
  return {
    type: "array" as const,
    items: { type: "object" as const },
    default: [],
    description: `${description} Each entry is { "name": ..., "reason": ... }; an entry without a reason is ignored.`,
  };
}

/** The names of the entries that carry a reason (an unexplained exemption exempts nothing). */
export function reasonedNames(list: unknown): string[] {
  if (!Array.isArray(list)) {
    return [];
  }
  return list
    .filter(
      (e): e is ReasonedEntry =>
        !!e && typeof e === "object" && typeof (e as any).name === "string" && typeof (e as any).reason === "string" && (e as any).reason.trim().length >= 10,
    )
    .map((e) => e.name);
}
