import { ALL_OPTIONS, runVariant, variant } from "./variants";
export async function main(argv: string[]): Promise<number> {
  const run = await runVariant(argv[0], variant(ALL_OPTIONS));
  const counts: Record<string, number> = {};
  for (const r of run.resources) counts[r.type] = (counts[r.type] ?? 0) + 1;
  console.log(JSON.stringify(counts, null, 1));
  console.log(JSON.stringify(run.outputs, null, 1).slice(0, 3000));
  return 0;
}
