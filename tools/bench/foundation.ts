/**
 * Foundation figures: evaluating both stacks offline, the program's start-up the way Pulumi loads
 * it (ts-node, transpile only), and each Lambda artifact's size against the default
 * CallbackFunction packaging of the same handler.
 */
import { execFileSync } from "child_process";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { PROJECT_ROOT, STACKS, runStack } from "../harness";
import { artifactOf } from "../serialized";
import type { BenchFigure } from "../types";

const RUNS = 5;

function childMs(mode: string): number {
  const out = execFileSync(process.execPath, [path.join(PROJECT_ROOT, "tools/run-ts.js"), path.join(__dirname, "foundation.child.ts"), mode], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
  });
  return Number(out.trim().split("\n").pop());
}

/** Median of RUNS child processes, alternating the two modes so machine load hits both alike. */
function pairedMedians(a: string, b: string): [number, number] {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    xs.push(childMs(a));
    ys.push(childMs(b));
  }
  const median = (v: number[]) => [...v].sort((p, q) => p - q)[Math.floor(v.length / 2)];
  return [median(xs), median(ys)];
}

/** Bytes the default CallbackFunction packaging would ship besides the handler (all dependencies). */
async function defaultPackagingBytes(): Promise<number> {
  const paths = await pulumi.runtime.computeCodePaths({ extraExcludePackages: ["aws-sdk"] });
  const fs = await import("fs");
  const sizeOf = (p: string): number => {
    const st = fs.statSync(p);
    return st.isDirectory() ? fs.readdirSync(p).reduce((n, e) => n + sizeOf(path.join(p, e)), 0) : st.size;
  };
  let total = 0;
  for (const [rel] of paths) total += sizeOf(path.resolve(PROJECT_ROOT, rel));
  return total;
}

export async function run(): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  const [floor, stacks] = pairedMedians("floor", "stacks");
  figures.push({
    name: "evaluate both stacks offline (process start to done, median of 5)",
    value: stacks,
    unit: "ms",
    floor,
    floorName: "load @pulumi/aws + empty program under the same mocks",
    goalRatio: 1.5,
  });
  const [startFloor, start] = pairedMedians("startup-floor", "startup");
  figures.push({
    name: "program start-up as Pulumi loads it (ts-node transpile-only, require stacks/index.ts)",
    value: start,
    unit: "ms",
    floor: startFloor,
    floorName: "require @pulumi/aws",
  });

  const dependencies = await defaultPackagingBytes();
  for (const stack of STACKS) {
    const r = await runStack(stack);
    for (const { name, lambda } of r.lambdas) {
      const a = await artifactOf(lambda.code);
      figures.push({
        name: `Lambda artifact ${stack}/${name}`,
        value: a.totalBytes,
        unit: "bytes",
        floor: a.totalBytes + dependencies,
        floorName: "default CallbackFunction packaging of the same handler",
        note: "ratio < 1 is the saving; the AWS SDK comes from the nodejs22.x runtime",
      });
    }
  }
  if (figures.length === 2) {
    figures.push({
      name: "default CallbackFunction packaging (no Lambda in the stacks yet)",
      value: dependencies,
      unit: "bytes",
      floor: dependencies,
      floorName: "itself",
    });
  }
  return figures;
}
