/**
 * `npm run bench`: every performance figure beside its floor measured in the same run, as a
 * ratio (value / floor; for throughputs floor / value), with the goal where there is one. Nothing
 * here asserts: the figures are for people to read and compare across changes.
 * `npm run bench -- --only foundation` runs one module.
 */
import * as fs from "fs";
import * as path from "path";
import type { BenchFigure, BenchModule } from "./types";

function ratioOf(f: BenchFigure): number {
  return f.higherIsBetter ? f.floor / f.value : f.value / f.floor;
}

export function formatFigure(f: BenchFigure): string {
  const ratio = ratioOf(f);
  const num = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(2));
  const met = (ok: boolean) => (ok ? "(met)" : "(NOT met)");
  const goals = [
    ...(f.goalRatio !== undefined ? [`goal <= ${f.goalRatio}x ${met(ratio <= f.goalRatio)}`] : []),
    ...(f.goalDelta !== undefined
      ? [
          `${num(f.value - f.floor)} ${f.unit} over the floor, goal within ${f.goalDeltaText ?? `${num(f.goalDelta)} ${f.unit}`} ${met(f.value - f.floor <= f.goalDelta)}`,
        ]
      : []),
  ];
  const goal = goals.map((g) => `  ${g}`).join("");
  return [
    `${f.name}`,
    `    ${num(f.value)} ${f.unit}  vs floor ${num(f.floor)} ${f.unit} (${f.floorName})  ->  ${ratio.toFixed(2)}x${goal}`,
    ...(f.note ? [`    ${f.note}`] : []),
  ].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  const only = argv[0] === "--only" ? argv[1] : undefined;
  const dir = path.join(__dirname, "bench");
  const modules = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".child.ts") && !f.startsWith("_"))
    .map((f) => f.replace(/\.ts$/, ""))
    .filter((m) => !only || m === only)
    .sort();
  if (modules.length === 0) throw new Error(`no bench module${only ? ` named ${only}` : ""} in tools/bench/`);
  for (const m of modules) {
    console.log(`\n## ${m}`);
    const mod = require(path.join(dir, m)) as BenchModule;
    for (const f of await mod.run()) console.log(formatFigure(f));
  }
  return 0;
}
