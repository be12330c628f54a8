/** The policy report of one run: per policy its level, the resources it examined, violations and skips; and its text form. */
import { EnforcementLevel } from "@pulumi/policy";

export interface PolicyViolationRecord {
  policy: string;
  enforcementLevel: EnforcementLevel;
  message: string;
  urn?: string;
  resourceName?: string;
  resourceType?: string;
}

export interface PolicySkip {
  urn?: string;
  resourceName?: string;
  message: string;
}

export interface PolicyResult {
  name: string;
  description: string;
  remediation?: string;
  kind: "resource" | "stack";
  enforcementLevel: EnforcementLevel;
  /** Resources the policy decided on (ran to the end without being not-applicable or skipped). */
  examined: number;
  /** Names (`type name`) of the resources examined, for reports and tests. */
  examinedResources: string[];
  violations: PolicyViolationRecord[];
  /** Runs that read an unknown value during preview: reported advisory, as the engine does. */
  skipped: PolicySkip[];
}

export interface PolicyReport {
  pack: string;
  stack?: string;
  preview: boolean;
  resources: number;
  results: PolicyResult[];
}

/** All violations of a report at the given level. */
export function violationsAt(report: PolicyReport, level: EnforcementLevel): PolicyViolationRecord[] {
  return report.results.flatMap((r) => r.violations.filter((v) => v.enforcementLevel === level));
}

/** Whether a report has a mandatory violation (`npm run plan` then exits non-zero). */
export function hasMandatoryViolations(report: PolicyReport | PolicyReport[]): boolean {
  const reports = Array.isArray(report) ? report : [report];
  return reports.some((r) => violationsAt(r, "mandatory").length > 0);
}

/** The policy report as text: per policy its enforcement, resources examined, violations with messages. */
export function formatPolicyReport(report: PolicyReport): string {
  const lines: string[] = [];
  const mode = report.preview ? "preview" : "update";
  lines.push(`Policy pack ${report.pack}${report.stack ? `, stack ${report.stack}` : ""} (${mode}, ${report.resources} resources)`);
  const width = Math.max(...report.results.map((r) => r.name.length));
  for (const r of report.results) {
    const status =
      r.enforcementLevel === "disabled"
        ? "off "
        : r.violations.some((v) => v.enforcementLevel === "mandatory")
          ? "FAIL"
          : r.violations.length > 0 || r.skipped.length > 0
            ? "warn"
            : r.examined === 0
              ? "none"
              : "ok  ";
    const counts =
      r.enforcementLevel === "disabled"
        ? "disabled"
        : `${r.examined} examined, ${r.violations.length} violation(s)${r.skipped.length ? `, ${r.skipped.length} skipped` : ""}`;
    lines.push(`  [${status}] ${r.enforcementLevel.padEnd(9)} ${r.name.padEnd(width)}  ${counts}`);
    for (const v of r.violations) {
      lines.push(`      - ${v.enforcementLevel}: ${v.message}${v.urn ? `\n        at ${v.urn}` : ""}`);
    }
    for (const s of r.skipped) {
      lines.push(`      ~ advisory: ${s.message}${s.urn ? `\n        at ${s.urn}` : ""}`);
    }
    if (r.violations.length > 0 && r.remediation) {
      lines.push(`      fix: ${r.remediation}`);
    }
  }
  const mandatory = violationsAt(report, "mandatory").length;
  const advisory = violationsAt(report, "advisory").length;
  const skipped = report.results.reduce((n, r) => n + r.skipped.length, 0);
  const unexamined = report.results.filter((r) => r.enforcementLevel !== "disabled" && r.examined === 0).map((r) => r.name);
  lines.push(`  ${mandatory} mandatory violation(s), ${advisory} advisory, ${skipped} skipped during preview.`);
  if (unexamined.length > 0) {
    lines.push(`  Policies that examined no resource: ${unexamined.join(", ")}.`);
  }
  return lines.join("\n");
}
