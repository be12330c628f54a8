/**
 * The deployed code of an InlineLambda: its archive's entries and sizes, and its serialized
 * `__index.js` loaded and ready to invoke, so tests prove the code that ships actually runs.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type { InlineLambda } from "../infra/lambda";
import { PROJECT_ROOT, outputValue } from "./harness";

export interface ArtifactEntry {
  path: string;
  bytes: number;
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
      const p: string = await anyA.path;
      entries.push({ path: name, bytes: sizeOf(path.resolve(PROJECT_ROOT, p)) });
    } else {
      entries.push({ path: name, bytes: 0 });
    }
  }
  if (!indexJs) throw new Error("artifact has no __index.js");
  return { indexJs, entries, totalBytes: entries.reduce((n, e) => n + e.bytes, 0) };
}

const SERIALIZED_DIR = path.join(PROJECT_ROOT, ".serialized");

/**
 * Writes the serialized `__index.js` inside the project (so its `require("@aws-sdk/...")` resolve
 * as the Lambda runtime's would, to the SDK) and loads it. Environment variables are set while the
 * module loads, when `callbackFactory` runs and reads them, then restored.
 */
export async function loadHandler<E = any, R = any>(
  lambda: InlineLambda<any, any> | pulumi.Input<pulumi.asset.AssetArchive>,
  env: Record<string, string> = {},
): Promise<(event: E, context?: unknown) => Promise<R>> {
  const code = (lambda as InlineLambda).code ?? (lambda as pulumi.Input<pulumi.asset.AssetArchive>);
  const { indexJs } = await artifactOf(code);
  fs.mkdirSync(SERIALIZED_DIR, { recursive: true });
  const file = path.join(SERIALIZED_DIR, `${crypto.createHash("sha256").update(indexJs).digest("hex").slice(0, 16)}.js`);
  fs.writeFileSync(file, indexJs);
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

/** Packages the Lambda nodejs22.x runtime provides besides Node's built-ins: the AWS SDK v3. */
const RUNTIME_PROVIDED = /^(@aws-sdk|@smithy|@aws-crypto)\/[^/]+/;

/** Every module the serialized code requires. */
export function requiredModules(indexJs: string): string[] {
  const found = new Set<string>();
  for (const m of indexJs.matchAll(/require\("([^"]+)"\)/g)) found.add(m[1]);
  return [...found].sort();
}

/**
 * Requires that would fail in the Lambda runtime: anything that is neither a Node built-in nor an
 * AWS SDK v3 package (the artifact carries no node_modules of its own).
 */
export function unavailableInRuntime(indexJs: string): string[] {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const builtins: string[] = require("module").builtinModules;
  return requiredModules(indexJs).filter((m) => !builtins.includes(m.replace(/^node:/, "")) && !RUNTIME_PROVIDED.test(m));
}
