/**
 * policy-pack/tsconfig.json and the tsconfig it replaced. Pulumi's policy runner registers ts-node
 * with type checking on (@pulumi/pulumi cmd/run-policy-pack/run.js); the pack's tsconfig sets the
 * options TypeScript's transpileModule forces (typescript.js `transpileWorker`: the options declared
 * with `transpileOptionValue: true`) so that each file is compiled alone. `wholeProgram` is the same
 * tsconfig without them, TypeScript resolving every declaration the pack reaches: what the pack's
 * test compares emits against and the bench compares start-up with.
 */
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "./harness";

export const PACK_DIR = path.join(PROJECT_ROOT, "policy-pack");
export const TRANSPILE_OPTIONS = ["noCheck", "isolatedModules", "noLib", "noResolve"] as const;

/** policy-pack/tsconfig.json, its comments dropped. */
export function packTsconfig(): any {
  return JSON.parse(fs.readFileSync(path.join(PACK_DIR, "tsconfig.json"), "utf8").replace(/^\s*\/\/.*$/gm, ""));
}

/** The pack's tsconfig as it was before: libs and node's types, imports resolved, no transpile options. */
export function wholeProgram(tsconfig: any): any {
  const compilerOptions = { ...tsconfig.compilerOptions, lib: ["ES2022"], types: ["node"] };
  for (const o of TRANSPILE_OPTIONS) delete compilerOptions[o];
  const { "ts-node": _files, ...rest } = tsconfig;
  return { ...rest, compilerOptions };
}

/** A copy of the pack in `dir` with `tsconfig`, beside the project's node_modules. */
export function copyPack(dir: string, tsconfig: unknown): void {
  fs.cpSync(PACK_DIR, dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}node_modules`) });
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(tsconfig));
  fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(dir, "node_modules"));
}
