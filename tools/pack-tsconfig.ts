/**
 * policy-pack/tsconfig.json and the tsconfig it had before. Pulumi's policy runner registers ts-node
 * with type checking on (@pulumi/pulumi cmd/run-policy-pack/run.js); the pack's tsconfig gives
 * ts-node, in its own "ts-node" section, the options TypeScript's transpileModule forces
 * (typescript.js `transpileWorker`: the options declared with `transpileOptionValue: true`), so each
 * file compiles alone. `wholeProgram` is the same tsconfig without that section, TypeScript
 * resolving every declaration the pack reaches, as before: what the pack's test compares emits
 * against and the bench compares start-up with.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { PROJECT_ROOT } from "./harness";

export const PACK_DIR = path.join(PROJECT_ROOT, "policy-pack");
export const TRANSPILE_OPTIONS = ["noCheck", "isolatedModules", "noLib", "noResolve"] as const;

/** policy-pack/tsconfig.json, read as TypeScript reads it (comments allowed). */
export function packTsconfig(): any {
  const { config, error } = ts.readConfigFile(path.join(PACK_DIR, "tsconfig.json"), ts.sys.readFile);
  if (error) throw new Error(`policy-pack/tsconfig.json: ${ts.flattenDiagnosticMessageText(error.messageText, "\n")}`);
  return config;
}

/** Every .ts file of the pack outside node_modules/, as absolute paths. */
export function packFiles(dir = PACK_DIR): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" ? [] : packFiles(p);
    return e.name.endsWith(".ts") ? [p] : [];
  });
}

/** The pack's tsconfig as it was before: without its "ts-node" section. */
export function wholeProgram(tsconfig: any): any {
  const { "ts-node": _section, ...before } = tsconfig;
  return before;
}

/** A copy of the pack in `dir` with `tsconfig`, beside the project's node_modules. */
export function copyPack(dir: string, tsconfig: unknown): void {
  fs.cpSync(PACK_DIR, dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}node_modules`) });
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(tsconfig));
  fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(dir, "node_modules"));
}
