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
  // A worker whose heap has grown past this after a test file is replaced: the stack-evaluating
  // suites accumulate heap across files (about 1.5 GB after ten of them, --logHeapUsage), and
  // workers of 10-13 GB RSS each swapped a 24 GiB machine to a standstill with a limit of 3GB.
  // jest-worker measures heapUsed only (processChild.js), not RSS, hence the margin.
  workerIdleMemoryLimit: "1.5GB",
};
