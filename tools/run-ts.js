#!/usr/bin/env node
// Runs a TypeScript tool the way Pulumi runs the program: ts-node, transpile only.
// Usage: node tools/run-ts.js tools/plan.ts [args...]
const path = require("path");
require("ts-node").register({ transpileOnly: true, project: path.join(__dirname, "..", "tsconfig.json") });
const [, , script, ...rest] = process.argv;
if (!script) {
  console.error("usage: node tools/run-ts.js <script.ts> [args...]");
  process.exit(2);
}
process.argv = [process.argv[0], path.resolve(script), ...rest];
require(path.resolve(script));
