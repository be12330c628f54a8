/**
 * Child process of the mutation suite (run inside a mutated copy of the checkout): plans the given
 * stacks of one variant in update and preview mode with the project's policy config, and prints
 * one JSON line: per mode, the mandatory violations by policy (count and first message).
 * Usage: node tools/run-ts.js tools/mutants/plan-one.ts <variant> <stack,stack>
 */
import { loadPolicyConfig } from "../plan-policy";
import { runPolicies } from "../policy-runner";
import { runVariant, variant } from "../variants";

export const MARKER = "MUTANT-PLAN ";

export type ModeResult = Record<string, { count: number; first: string }>;

export async function main(argv: string[]): Promise<number> {
  const v = variant(argv[0]);
  const stacks = argv[1].split(",");
  const config = loadPolicyConfig();
  const out: { update: ModeResult; preview: ModeResult } = { update: {}, preview: {} };
  for (const preview of [false, true]) {
    const mode = preview ? out.preview : out.update;
    for (const stack of stacks) {
      const run = await runVariant(stack, v, { preview });
      const report = await runPolicies(run.resources, { preview, stack, config });
      for (const r of report.results) {
        for (const viol of r.violations.filter((x) => x.enforcementLevel === "mandatory")) {
          const m = (mode[r.name] ??= { count: 0, first: `${stack}: ${viol.message}` });
          m.count += 1;
        }
      }
    }
  }
  console.log(MARKER + JSON.stringify(out));
  return 0;
}
