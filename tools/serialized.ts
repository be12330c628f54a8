/**
 * The deployed code of an InlineLambda: its archive's entries and sizes, and its serialized
 * `__index.js` loaded and ready to invoke, so tests prove the code that ships actually runs.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type { InlineLambda } from "../infra/lambda";
import { requiredSpecifiers } from "../infra/lambda";
import { isBuiltin, packageNameOf, runtimeProvidedPackages } from "../infra/lambda-packages";
import { PROJECT_ROOT, outputValue } from "./harness";

export interface ArtifactEntry {
  path: string;
  bytes: number;
  /** The file on this machine, for file assets. */
  file?: string;
}

export interface Artifact {
  /** The serialized handler module. */
  indexJs: string;
  entries: ArtifactEntry[];
  /** Uncompressed bytes of everything in the archive. */
  totalBytes: number;
}

function sizeOf(p: string): number {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.size;
  let total = 0;
  for (const e of fs.readdirSync(p)) total += sizeOf(path.join(p, e));
  return total;
}

/** Reads the archive a CallbackFunction was given: `__index.js` plus any packaged node_modules. */
export async function artifactOf(code: pulumi.Input<pulumi.asset.AssetArchive>): Promise<Artifact> {
  const archive = await outputValue(code);
  const assets = (await (archive as any).assets) as Record<string, pulumi.asset.Asset | pulumi.asset.Archive>;
  const entries: ArtifactEntry[] = [];
  let indexJs = "";
  for (const [name, a] of Object.entries(assets)) {
    const anyA = a as any;
    if (anyA.text !== undefined) {
      const text: string = await anyA.text;
      if (name === "__index.js") indexJs = text;
      entries.push({ path: name, bytes: Buffer.byteLength(text) });
    } else if (anyA.path !== undefined) {
      const p: string = path.resolve(PROJECT_ROOT, await anyA.path);
      entries.push({ path: name, bytes: sizeOf(p), file: p });
    } else {
      entries.push({ path: name, bytes: 0 });
    }
  }
  if (!indexJs) throw new Error("artifact has no __index.js");
  return { indexJs, entries, totalBytes: entries.reduce((n, e) => n + e.bytes, 0) };
}

const SERIALIZED_DIR = path.join(PROJECT_ROOT, ".serialized");

/**
 * Writes a serialized `__index.js` inside the project, so that its `require("@aws-sdk/...")`
 * resolve as the Lambda runtime's would, to the SDK; returns the file (named by its content).
 */
export function writeArtifact(indexJs: string, prefix = ""): string {
  fs.mkdirSync(SERIALIZED_DIR, { recursive: true });
  const file = path.join(SERIALIZED_DIR, `${prefix}${crypto.createHash("sha256").update(indexJs).digest("hex").slice(0, 16)}.js`);
  fs.writeFileSync(file, indexJs);
  return file;
}

/**
 * Writes the serialized `__index.js` (`writeArtifact`) and loads it. Environment variables are set
 * while the module loads, when `callbackFactory` runs and reads them, then restored.
 */
export async function loadHandler<E = any, R = any>(
  lambda: InlineLambda<any, any> | pulumi.Input<pulumi.asset.AssetArchive>,
  env: Record<string, string> = {},
): Promise<(event: E, context?: unknown) => Promise<R>> {
  const code = (lambda as InlineLambda).code ?? (lambda as pulumi.Input<pulumi.asset.AssetArchive>);
  const { indexJs } = await artifactOf(code);
  const file = writeArtifact(indexJs);
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  try {
    delete require.cache[file];
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const mod = require(file);
    if (typeof mod.handler !== "function") throw new Error(`serialized module exports no handler (${Object.keys(mod).join(", ")})`);
    return mod.handler;
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** Every module the serialized code requires. */
export function requiredModules(indexJs: string): string[] {
  return requiredSpecifiers(indexJs);
}

/** Package names bundled into an artifact (those with a `node_modules/<name>/package.json` entry). */
export function bundledPackages(artifact: Artifact): Set<string> {
  const names = new Set<string>();
  for (const e of artifact.entries) {
    const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\/package\.json$/.exec(e.path);
    if (m) names.add(m[1]);
  }
  return names;
}

/**
 * Requires that would fail in the Lambda runtime: anything that is neither a Node built-in, nor one
 * of the packages the runtime provides (`runtimeProvidedPackages`: our SDK clients and their
 * dependency closure), nor bundled in the artifact. Given only the module text, nothing counts as
 * bundled.
 */
export function unavailableInRuntime(artifactOrIndexJs: Artifact | string): string[] {
  const artifact = typeof artifactOrIndexJs === "string" ? undefined : artifactOrIndexJs;
  const indexJs = typeof artifactOrIndexJs === "string" ? artifactOrIndexJs : artifactOrIndexJs.indexJs;
  const bundled = artifact ? bundledPackages(artifact) : new Set<string>();
  const provided = runtimeProvidedPackages();
  return requiredModules(indexJs).filter((m) => {
    if (isBuiltin(m)) return false;
    const name = packageNameOf(m);
    return !provided.has(name) && !bundled.has(name);
  });
}

/**
 * Problems with the bundled part of an artifact: a bundled file that requires something that is
 * neither built in, provided, bundled, nor a file of the archive; and entries that are neither the
 * handler nor a bundled package's file.
 */
export function bundleProblems(artifact: Artifact): string[] {
  const problems: string[] = [];
  const paths = new Set(artifact.entries.map((e) => e.path));
  const bundled = bundledPackages(artifact);
  const provided = runtimeProvidedPackages();
  for (const e of artifact.entries) {
    if (e.path === "__index.js") continue;
    if (!e.path.startsWith("node_modules/")) {
      problems.push(`unexpected entry ${e.path}`);
      continue;
    }
    if (!/\.c?js$/.test(e.path) || !e.file) continue;
    const text = fs.readFileSync(e.file, "utf8");
    for (const spec of requiredModules(text)) {
      if (spec.startsWith(".")) {
        const base = path.posix.normalize(path.posix.join(path.posix.dirname(e.path), spec));
        const candidates = [base, `${base}.js`, `${base}.json`, `${base}/index.js`];
        if (!candidates.some((c) => paths.has(c))) problems.push(`${e.path} requires ${spec}, which the archive lacks`);
      } else if (!isBuiltin(spec) && !provided.has(packageNameOf(spec)) && !bundled.has(packageNameOf(spec))) {
        problems.push(`${e.path} requires ${spec}, neither provided by the runtime nor bundled`);
      }
    }
  }
  return problems;
}
