/**
 * Foundation figures: evaluating both stacks offline, the program's start-up the way Pulumi loads
 * it (ts-node, transpile only, SWC), and each Lambda artifact's own code against the 16 KiB goal
 * with what is bundled beside it.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { PROJECT_ROOT, STACKS, accountOf, runStack, stackConfig } from "../harness";
import type { RecordedRun } from "./foundation.child";
import { VARIANTS, runVariant } from "../variants";
import { type Artifact, artifactOf, bundledPackages } from "../serialized";
import type { BenchFigure } from "../types";

const RUNS = 5;

function childMs(mode: string): number {
  const [name, ...rest] = mode.split(" ");
  const out = execFileSync(process.execPath, [path.join(PROJECT_ROOT, "tools/run-ts.js"), path.join(__dirname, "foundation.child.ts"), name, ...rest], {
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

/** Both stacks' recorded resources, as `replay` reads them. */
async function recordBothStacks(): Promise<{ file: string; count: number }> {
  const runs: RecordedRun[] = [];
  for (const stack of STACKS) {
    const r = await runStack(stack);
    const config = stackConfig(stack);
    runs.push({
      stack,
      region: config["aws:region"],
      accountId: accountOf(config),
      resources: r.resources.map(({ type, name, urn, parent, custom, inputs }) => ({ type, name, urn, parent, custom, inputs })),
    });
  }
  const file = path.join(os.tmpdir(), `cn-log-backup-bench-replay-${process.pid}.json`);
  fs.writeFileSync(file, JSON.stringify(runs));
  return { file, count: runs.reduce((n, r) => n + r.resources.length, 0) };
}

export async function run(): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  const recorded = await recordBothStacks();
  const [floor, stacks] = pairedMedians("floor", "stacks");
  figures.push({
    name: "evaluate both stacks offline (process start to done, median of 5)",
    value: stacks,
    unit: "ms",
    floor,
    floorName: "load @pulumi/aws + empty program under the same mocks",
    goalRatio: 1.5,
  });
  const [replayFloor, stacksAgain] = pairedMedians(`replay ${recorded.file}`, "stacks");
  const [emptyFloor, replayAlone] = pairedMedians("floor", `replay ${recorded.file}`);
  fs.rmSync(recorded.file, { force: true });
  figures.push({
    name: "evaluate both stacks offline, against Pulumi's own cost for the same resources (median of 5)",
    value: stacksAgain,
    unit: "ms",
    floor: replayFloor,
    floorName: `the same ${recorded.count} resources (types, names, parents, inputs) registered from a flat list under the same mocks`,
    note:
      "Pulumi formats a stack trace for every debuggable promise (runtime/debuggable.js) and every resource's source position " +
      "(resource.js callsites), each through ts-node's source maps; the replay pays that too, the empty program does not",
  });
  figures.push({
    name: "Pulumi's own cost for the same resources, with no program around them, against the empty program (median of 5)",
    value: replayAlone,
    unit: "ms",
    floor: emptyFloor,
    floorName: "load @pulumi/aws + empty program under the same mocks",
    note:
      replayAlone / emptyFloor > 1.5
        ? `the first figure's goal (1.5x the empty program) is below this: registering the program's ${recorded.count} resources alone ` +
          "costs more, whatever the program does around them"
        : "within the first figure's goal (1.5x the empty program): the goal leaves room for the program's own work",
  });
  const [startFloor, start] = pairedMedians("startup-floor", "startup");
  figures.push({
    name: "program start-up as Pulumi loads it (ts-node transpile-only with tsconfig.json's SWC, require stacks/index.ts, median of 5)",
    value: start,
    unit: "ms",
    floor: startFloor,
    floorName: "require @pulumi/aws under the same loader",
    goalRatio: 1.5,
  });

  // Every function of the program: those behind flags too, each where a variant first builds it.
  const seen = new Set<string>();
  for (const v of VARIANTS) {
    for (const stack of STACKS) {
      const r = await runVariant(stack, v);
      for (const { name, lambda } of r.lambdas) {
        if (seen.has(name)) continue;
        seen.add(name);
        figures.push(artifactFigure(`${stack}${v.config ? ` (${v.name})` : ""}`, name, await artifactOf(lambda.code)));
      }
    }
  }
  return figures;
}

const KiB = 1024;
/** The goal for each function's own code in its deployment package (issue #16). */
const OWN_CODE_GOAL_BYTES = 16 * KiB;

/**
 * Bytes of `data` deflated as the package's zip stores it. The Pulumi engine zips an AssetArchive
 * with Go's archive/zip, whose Deflate writer uses compress/flate's DefaultCompression (level 6,
 * https://pkg.go.dev/compress/flate#pkg-constants); zlib's raw deflate at level 6 is the same method.
 */
function zippedBytes(data: Buffer | string): number {
  return zlib.deflateRawSync(typeof data === "string" ? Buffer.from(data) : data, { level: 6 }).length;
}

/**
 * A function's own code (the serialized `__index.js`: its handler and everything it captured from
 * functions/) as the deployed zip holds it, against the 16 KiB goal; its raw size and the packages
 * bundled beside it (infra/lambda-packages.ts) are in the note, each raw and zipped.
 */
function artifactFigure(stack: string, name: string, a: Artifact): BenchFigure {
  const bundled = a.entries.filter((e) => e.path.includes("node_modules/"));
  const bundledRaw = bundled.reduce((n, e) => n + e.bytes, 0);
  const bundledZipped = bundled.reduce((n, e) => n + (e.file ? zippedBytes(fs.readFileSync(e.file)) : e.bytes), 0);
  const packages = [...bundledPackages(a)].sort();
  return {
    name: `Lambda artifact ${stack}/${name}: own code, zipped as deployed`,
    value: zippedBytes(a.indexJs),
    unit: "bytes",
    floor: OWN_CODE_GOAL_BYTES,
    floorName: "the 16 KiB goal",
    goalRatio: 1,
    note:
      `own code unzipped: ${Buffer.byteLength(a.indexJs)} bytes; ` +
      (packages.length
        ? `bundled separately: ${packages.join(", ")}, ${bundledRaw} bytes (${bundledZipped} zipped) in ${bundled.length} files`
        : "nothing bundled") +
      "; the AWS SDK comes from the nodejs22.x runtime",
  };
}
