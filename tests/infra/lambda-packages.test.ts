/**
 * What a Lambda artifact may require: Node built-ins, the packages the nodejs22.x runtime provides
 * (our SDK clients and their dependency closure, computed from node_modules), and what the
 * artifact bundles (infra/lambda-packages.ts BUNDLED_PACKAGES). The serialization check of
 * `npm test` (tools/check-serialization-main.ts) fails on anything else.
 */
import * as fs from "fs";
import * as path from "path";
import { BUNDLED_PACKAGES, PROJECT_ROOT, bundleFor, dependencyClosure, runtimeProvidedPackages, sdkClients } from "../../infra/lambda-packages";
import { type Artifact, bundleProblems, unavailableInRuntime } from "../../tools/serialized";

function artifact(indexJs: string, files: Array<{ archivePath: string; filePath: string }> = []): Artifact {
  const entries = [
    { path: "__index.js", bytes: indexJs.length },
    ...files.map((f) => ({ path: f.archivePath, bytes: fs.statSync(f.filePath).size, file: f.filePath })),
  ];
  return { indexJs, entries, totalBytes: entries.reduce((n, e) => n + e.bytes, 0) };
}

describe("the packages the runtime provides", () => {
  test("are our SDK clients and exactly their dependency closure, at the installed versions", () => {
    const provided = runtimeProvidedPackages();
    expect(sdkClients()).toContain("@aws-sdk/client-s3");
    for (const c of sdkClients()) expect(provided.has(c)).toBe(true);
    // Every dependency of a provided package is provided.
    for (const p of dependencyClosure(sdkClients()).values()) {
      const deps = Object.keys(JSON.parse(fs.readFileSync(path.join(p.dir, "package.json"), "utf8")).dependencies ?? {});
      for (const d of deps) expect({ of: p.name, dep: d, provided: provided.has(d) }).toEqual({ of: p.name, dep: d, provided: true });
    }
  });
  test("do not include SDK packages that no client depends on (issue 12 item 18)", () => {
    const provided = runtimeProvidedPackages();
    for (const n of ["@aws-sdk/lib-storage", "@smithy/protocol-http", "@aws-crypto/sha256-js"])
      expect({ n, provided: provided.has(n) }).toEqual({ n, provided: false });
    expect(provided.has("@smithy/signature-v4")).toBe(true);
  });
});

describe("the check of an artifact's requires", () => {
  test("flags deep requires of packages that are neither provided nor bundled (the downloader's three today)", () => {
    const js = [
      'const a = require("@aws-sdk/lib-storage/dist-cjs/index.js");',
      'const b = require("@smithy/protocol-http/dist-cjs/index.js");',
      'const c = require("@aws-crypto/sha256-js/build/main/index.js");',
      'const d = require("@aws-sdk/client-s3/dist-cjs/index.js");',
      'const e = require("crypto"); const f = require("node:stream");',
    ].join("\n");
    expect(unavailableInRuntime(artifact(js))).toEqual([
      "@aws-crypto/sha256-js/build/main/index.js",
      "@aws-sdk/lib-storage/dist-cjs/index.js",
      "@smithy/protocol-http/dist-cjs/index.js",
    ]);
  });
  test("a bundled package counts only when its files are in the archive", () => {
    const js = 'const m = require("aws-embedded-metrics");';
    expect(unavailableInRuntime(artifact(js))).toEqual(["aws-embedded-metrics"]);
    const bundle = bundleFor(["aws-embedded-metrics"]);
    expect(bundle.packages.map((p) => p.name).sort()).toEqual(["@datastructures-js/heap", "aws-embedded-metrics"]);
    const a = artifact(js, bundle.files);
    expect(unavailableInRuntime(a)).toEqual([]);
    expect(bundleProblems(a)).toEqual([]);
    // Without its dependency, the bundled library's own require is reported.
    const withoutHeap = artifact(
      js,
      bundle.files.filter((f) => !f.archivePath.includes("@datastructures-js")),
    );
    expect(bundleProblems(withoutHeap).some((p) => /requires @datastructures-js\/heap, neither provided by the runtime nor bundled/.test(p))).toBe(true);
  });
  test("bundles only listed packages, with no types, maps or docs", () => {
    expect(BUNDLED_PACKAGES).toEqual(["aws-embedded-metrics"]);
    expect(bundleFor(["@aws-sdk/lib-storage/dist-cjs/index.js", "@aws-sdk/client-s3", "fs"]).files).toEqual([]);
    const files = bundleFor(["aws-embedded-metrics"]).files.map((f) => f.archivePath);
    expect(files).toContain("node_modules/aws-embedded-metrics/package.json");
    expect(files).toContain("node_modules/aws-embedded-metrics/lib/index.js");
    expect(files.filter((f) => /\.d\.ts$|\.map$|\.md$/.test(f))).toEqual([]);
    for (const f of bundleFor(["aws-embedded-metrics"]).files) expect(f.filePath.startsWith(PROJECT_ROOT)).toBe(true);
  });
});
