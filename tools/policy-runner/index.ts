/**
 * Runs the policy pack offline over the resources the harness recorded, the way the Pulumi engine's
 * policy server does, without starting it:
 *  - resource policies see each resource's inputs; stack policies see every resource with its
 *    outputs, parent and property dependencies;
 *  - props are wrapped with `unknownCheckingProxy`, and in preview mode the values the harness
 *    recorded as unknown (`undefined` under a present key, or Pulumi's `unknown`) become the
 *    engine's unknown sentinels, so a policy that reads one is reported as skipped (advisory), as
 *    `pulumi preview` does;
 *  - enforcement levels and policy config come from a policy-pack config (as for
 *    `--policy-pack-config`), with the policies' JSON-schema defaults applied and values checked.
 * The parts: run.ts (the run), engine.ts (what the engine hands a policy), config.ts (levels and
 * policy config), report.ts (the report and its text).
 */
export { enforcementLevelOf, policyConfigOf } from "./config";
export type { PolicyConfigValue, PolicyPackConfig } from "./config";
export { toEngineValue } from "./engine";
export { formatPolicyReport, hasMandatoryViolations, violationsAt } from "./report";
export type { PolicyReport, PolicyResult, PolicySkip, PolicyViolationRecord } from "./report";
export { runPolicies } from "./run";
export type { RunPoliciesOptions } from "./run";
