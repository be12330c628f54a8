/** Jest runs TypeScript through ts-jest in transpile-only mode: `npm test` type-checks first with tsc. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: "<rootDir>/tsconfig.json", isolatedModules: true, diagnostics: false }],
  },
  testTimeout: 120000,
  // Pulumi's closure serializer reads function source text; coverage instrumentation would change it.
  collectCoverage: false,
  maxWorkers: 2,
};
