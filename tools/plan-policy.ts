/**
 * The seam between `npm run plan` and the policy pack's offline runner. Until the policy pack
 * lands (issue 3) this reports that no policy was evaluated; the policy runner replaces the body
 * of `policyReportFor` with a real evaluation of the stack's resources.
 */
import type { StackRun } from "./harness";

export interface PolicyReport {
  /** One line per policy or finding, already formatted. */
  lines: string[];
  mandatoryViolations: number;
}

export async function policyReportFor(_run: StackRun, _preview: boolean): Promise<PolicyReport | undefined> {
  return undefined;
}

export function formatPolicyReport(report: PolicyReport): string[] {
  return report.lines;
}

export function hasMandatoryViolations(report: PolicyReport): boolean {
  return report.mandatoryViolations > 0;
}
