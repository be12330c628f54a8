#!/usr/bin/env node
// Runs a TypeScript tool the way Pulumi runs the program: ts-node, transpile only. The tool exports
// `main(argv): Promise<number>`, whose result is the exit code.
// Usage: node tools/run-ts.js tools/plan.ts [args...]
const path = require("path");
require("ts-node").register({ transpileOnly: true, project: path.join(__dirname, "..", "tsconfig.json") });
const [, , script, ...rest] = process.argv;
if (!script) {
  console.error("usage: node tools/run-ts.js <script.ts> [args...]");
  process.exit(2);
}
const mod = require(path.resolve(script));
if (typeof mod.main !== "function") {
  console.error(`${script} exports no main(argv)`);
  process.exit(2);
}
Promise.resolve(mod.main(rest))
  .then((code) => process.exit(typeof code === "number" ? code : 0))
  .catch((e) => {
    console.error(`${path.basename(script)} failed: ${process.env.DEBUG && e && e.stack ? e.stack : e && e.message ? e.message : e}`);
    process.exit(1);
  });
