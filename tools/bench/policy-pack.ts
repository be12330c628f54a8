/**
 * The policy pack's start-up as `pulumi preview --policy-pack policy-pack` pays it: Pulumi's own
 * runner (@pulumi/pulumi cmd/run-policy-pack, which registers ts-node with type checking on) in the
 * pack's folder, from process start to the analyzer's port on stdout, the moment the engine can
 * ask for the pack's policies. The floor is the same runner loading a one-policy pack under the
 * same tsconfig: what the runner, ts-node and @pulumi/policy cost before any policy of ours loads.
 * A second figure compares the pack with itself under the tsconfig it had before
 * (tools/pack-tsconfig.ts).
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT } from "../harness";
import type { BenchFigure } from "../types";
import { PACK_DIR, copyPack, packTsconfig, wholeProgram } from "../pack-tsconfig";

const RUNS = 5;

/** ms from spawning the runner in `dir` to the port it prints; the pack is stopped then. */
function startupMs(dir: string): Promise<number> {
  const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [PROJECT_ROOT] });
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, [runner, "127.0.0.1:1", "."], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.stdout.once("data", (d) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      child.kill();
      if (/^\d+\s*$/.test(String(d))) resolve(ms);
      else reject(new Error(`the pack in ${dir} printed ${String(d).slice(0, 200)} instead of its port`));
    });
    child.once("exit", (code) => code !== null && reject(new Error(`the pack in ${dir} exited with ${code}: ${stderr}`)));
  });
}

/** A pack with one policy that allows everything, beside the project's node_modules. */
function floorPack(tsconfig: unknown): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cn-log-backup-floor-pack-"));
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(tsconfig));
  fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(dir, "node_modules"));
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "floor-pack", version: "0.1.0", main: "index.ts" }));
  fs.writeFileSync(
    path.join(dir, "index.ts"),
    'import { PolicyPack } from "@pulumi/policy";\n' +
      'new PolicyPack("floor", { policies: [{ name: "allow-all", description: "allows everything", validateResource: () => undefined }] });\n',
  );
  return dir;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

export async function run(): Promise<BenchFigure[]> {
  const tsconfig = packTsconfig();
  const floorDir = floorPack(tsconfig);
  const beforeDir = fs.mkdtempSync(path.join(os.tmpdir(), "cn-log-backup-pack-"));
  copyPack(beforeDir, wholeProgram(tsconfig));
  try {
    const floors: number[] = [];
    const packs: number[] = [];
    const befores: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      floors.push(await startupMs(floorDir));
      packs.push(await startupMs(PACK_DIR));
      befores.push(await startupMs(beforeDir));
    }
    const name = `policy pack start-up as Pulumi's runner loads it (cmd/run-policy-pack, ts-node with type checking on, to the analyzer's port), median of ${RUNS}`;
    return [
      {
        name,
        value: median(packs),
        unit: "ms",
        floor: median(floors),
        floorName: "the same runner loading a one-policy pack under the same tsconfig",
        note: "every `pulumi preview --policy-pack` waits for this before the program's resources are checked; no goal in issue #16",
      },
      {
        name: `${name}, against the pack's tsconfig before its transpile options`,
        value: median(packs),
        unit: "ms",
        floor: median(befores),
        floorName: "the same pack, TypeScript resolving every declaration it reaches (tools/pack-tsconfig.ts wholeProgram)",
        note: "for reading: below 1x is the time the transpile options save; tests/policy/pack-tsconfig.test.ts checks they change no emitted byte",
      },
    ];
  } finally {
    fs.rmSync(floorDir, { recursive: true, force: true });
    fs.rmSync(beforeDir, { recursive: true, force: true });
  }
}
