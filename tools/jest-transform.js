// Jest's TypeScript transform: the same ts-node service, with the same tsconfig.json (and so the
// same SWC transpiler, its "ts-node" section), that Pulumi uses to load the program
// (node_modules/@pulumi/pulumi/cmd/run/run.js registers ts-node with project tsconfig.json and
// transpileOnly from compilerOptions.noCheck). The Lambda code the tests serialize and run is
// then the code `pulumi up` would deploy, not another compiler's output.
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const PROJECT = path.join(__dirname, "..", "tsconfig.json");
let service;

function versions() {
  return ["ts-node", "@swc/core", "typescript"].map((p) => `${p}@${require(`${p}/package.json`).version}`).join(",");
}

module.exports = {
  process(source, filename) {
    service ??= require("ts-node").create({ project: PROJECT, transpileOnly: true });
    return { code: service.compile(source, filename) };
  },
  getCacheKey(source, filename) {
    return crypto
      .createHash("sha256")
      .update(source)
      .update("\0")
      .update(filename)
      .update("\0")
      .update(fs.readFileSync(PROJECT))
      .update("\0")
      .update(versions())
      .digest("hex");
  },
};
