/**
 * The seam between `npm run plan` and the policy pack: runs the pack's policies offline over a
 * stack's recorded resources (tools/policy-runner/) with the project's policy config
 * (policy-pack/config.json, the file `pulumi preview --policy-pack-config` takes).
 */
import * as fs from "fs";
import * as path from "path";
import type { StackRun } from "./harness";
import { formatPolicyReport as formatText, hasMandatoryViolations, PolicyPackConfig, PolicyReport, runPolicies } from "./policy-runner";

export type { PolicyReport };
export { hasMandatoryViolations };

/** The project's policy config, as passed to `pulumi preview --policy-pack-config`. */
export const POLICY_CONFIG_FILE = path.join(__dirname, "..", "policy-pack", "config.json");

export function loadPolicyConfig(file = POLICY_CONFIG_FILE): PolicyPackConfig {
  if (!fs.existsSync(file)) {
    return {};
  }
  const text = fs.readFileSync(file, "utf8");
  try {
    return JSON.parse(text) as PolicyPackConfig;
  } catch (e) {
    throw new Error(`${path.relative(process.cwd(), file)} is not valid JSON: ${(e as Error).message}`);
  }
}

export async function policyReportFor(run: StackRun, preview: boolean): Promise<PolicyReport | undefined> {
  return runPolicies(run.resources, { preview, stack: run.stack, config: loadPolicyConfig() });
}

/** The report as lines, for plan's printer. */
export function formatPolicyReport(report: PolicyReport): string[] {
  return formatText(report).split("\n");
}
