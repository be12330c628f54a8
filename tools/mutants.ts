/**
 * `npm run mutants [-- --jobs N] [--only ID,ID]`: the mutation suite (tools/mutants/). Every mutant
 * is a realistic insecure edit of the program, planned in update and preview mode in a copy of the
 * checkout; it is caught when its policy reports a mandatory violation in both modes. Prints each
 * verdict, the kill rate and the wall time; exits non-zero unless every mutant is caught.
 */
import * as path from "path";
import { MUTANTS } from "./mutants/catalogue";
import { runMutants } from "./mutants/run";

export async function main(argv: string[]): Promise<number> {
  let jobs = 2;
  let only: string[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--jobs") jobs = Math.max(1, Number(argv[++i]) || 1);
    else if (argv[i] === "--only") only = (argv[++i] ?? "").split(",");
    else throw new Error(`unknown argument ${argv[i]}; usage: npm run mutants -- [--jobs N] [--only ID,ID]`);
  }
  const mutants = only ? MUTANTS.filter((m) => only!.includes(m.id)) : MUTANTS;
  if (only && mutants.length !== only.length) {
    throw new Error(`--only names unknown mutants; known: ${MUTANTS.map((m) => m.id).join(", ")}`);
  }
  const started = Date.now();
  const results = await runMutants(path.resolve(__dirname, ".."), mutants, { jobs, log: (s) => console.log(`  ${s}`) });
  console.log("\nMutation suite:");
  for (const r of results) {
    console.log(
      `  [${r.verdict === "caught" ? "caught" : r.verdict.toUpperCase()}] ${r.mutant.id} -> ${r.mutant.policy} (${r.mutant.file}; ${r.seconds.toFixed(1)} s)\n      ${r.detail}`,
    );
  }
  const caught = results.filter((r) => r.verdict === "caught").length;
  const notApplying = results.filter((r) => r.verdict === "no longer applies" || r.verdict === "ambiguous").length;
  const wall = (Date.now() - started) / 1000;
  console.log(
    `\nKill rate: ${caught}/${results.length} (${((100 * caught) / Math.max(1, results.length)).toFixed(1)}%); ${notApplying} no longer apply; wall time ${wall.toFixed(0)} s with ${jobs} job(s).`,
  );
  return caught === results.length ? 0 : 1;
}
