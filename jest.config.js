/** Jest runs TypeScript through tools/jest-transform.js (the ts-node service Pulumi uses, SWC, transpile only): `npm test` type-checks first with tsc. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": "<rootDir>/tools/jest-transform.js",
  },
  testTimeout: 120000,
  // Pulumi's closure serializer reads function source text; coverage instrumentation would change it.
  collectCoverage: false,
  maxWorkers: 2,
  // A worker that has grown past this after a test file is replaced: the stack-evaluating suites
  // accumulate heap across files, and two workers over ~12 GB each were OOM-killed on a 24 GiB machine.
  workerIdleMemoryLimit: "3GB",
};
