#!/usr/bin/env node
// Serializes every Lambda of both stacks in plain Node (not under jest, which can serialize
// closures that plain Node rejects, and whose coverage instrumentation changes code), checks that
// each artifact needs nothing but Node built-ins and the AWS SDK the runtime provides, and loads
// it. Part of `npm test`; exits non-zero on any failure.
const path = require("path");
require("ts-node").register({ transpileOnly: true, project: path.join(__dirname, "..", "tsconfig.json") });
require("./check-serialization-main.ts")
  .main()
  .then((code) => process.exit(code))
  .catch((err) => {
    console.error(err && err.stack ? err.stack : err);
    process.exit(1);
  });
