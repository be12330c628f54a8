/**
 * Which npm packages a Lambda artifact may require, and the files of those it must carry.
 *
 * The nodejs22.x runtime provides Node's built-ins and the AWS SDK for JavaScript v3: the runtime
 * table names "SDK for JavaScript v3" for Node.js 18 and later
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html,
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html), and AWS's knowledge centre
 * adds that the runtime's SDK is not the latest and lacks some of its features
 * (https://repost.aws/knowledge-center/lambda-layer-aws-sdk-latest-version). No page lists the
 * packages, and past issues show `@aws-sdk/lib-storage`, `@aws-sdk/util-*` missing. So the list we rely on is
 * stated, not guessed: the `@aws-sdk/client-*` packages this program depends on and their own
 * dependency closure at the versions we pin, read from node_modules' package.json files (which
 * `npm ci` writes from the lock file). Anything else a serialized function requires is bundled into
 * its artifact: the package's run-time files (`.js`, `.json`, licence), and its dependencies that are
 * not provided, recursively.
 */
import * as fs from "fs";
import * as path from "path";

export const PROJECT_ROOT = path.resolve(__dirname, "..");

/**
 * Packages the functions may use that the runtime lacks, shipped inside the artifacts that require
 * them. Each costs artifact size (see README): add one only with a reason.
 * - aws-embedded-metrics: AWS's EMF library (functions/shared/metrics.ts); 4.1.1+ is required under
 *   Lambda's JSON log format.
 */
export const BUNDLED_PACKAGES: readonly string[] = ["aws-embedded-metrics"];

/** Where Node finds `name` from a package directory: the nearest `node_modules/<name>` upwards. */
export function packageDirFrom(name: string, fromDir: string, root: string = PROJECT_ROOT): string | undefined {
  let dir = fromDir;
  for (;;) {
    const candidate = path.join(dir, "node_modules", name);
    if (fs.existsSync(path.join(candidate, "package.json"))) return candidate;
    if (path.resolve(dir) === path.resolve(root)) return undefined;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function manifest(dir: string): { name: string; version: string; dependencies?: Record<string, string> } {
  return JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
}

/** The package name of a module specifier: `@scope/name/deep/path` -> `@scope/name`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

export interface ResolvedPackage {
  name: string;
  version: string;
  dir: string;
}

/** `roots` and every package they depend on (package.json `dependencies`), resolved as Node does. */
export function dependencyClosure(roots: string[], root: string = PROJECT_ROOT): Map<string, ResolvedPackage> {
  const found = new Map<string, ResolvedPackage>();
  const queue: Array<[string, string]> = roots.map((n) => [n, root]);
  while (queue.length > 0) {
    const [name, from] = queue.shift()!;
    const dir = packageDirFrom(name, from, root);
    if (!dir) throw new Error(`package ${name} (needed from ${path.relative(root, from) || "the project"}) is not installed: run npm ci`);
    const key = path.relative(root, dir);
    if ([...found.values()].some((p) => p.dir === dir)) continue;
    const m = manifest(dir);
    found.set(key, { name, version: m.version, dir });
    for (const dep of Object.keys(m.dependencies ?? {})) queue.push([dep, dir]);
  }
  return found;
}

/** The AWS SDK v3 clients this program uses (its `@aws-sdk/client-*` dependencies). */
export function sdkClients(root: string = PROJECT_ROOT): string[] {
  return Object.keys(manifest(root).dependencies ?? {})
    .filter((n) => n.startsWith("@aws-sdk/client-"))
    .sort();
}

let providedCache: Set<string> | undefined;

/**
 * The packages the nodejs22.x runtime provides, by name: our SDK clients and their dependency
 * closure. (Built-ins are not in it; see `isBuiltin`.)
 */
export function runtimeProvidedPackages(): Set<string> {
  if (!providedCache) providedCache = new Set([...dependencyClosure(sdkClients()).values()].map((p) => p.name));
  return providedCache;
}

export function isBuiltin(specifier: string): boolean {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const builtins: string[] = require("module").builtinModules;
  return specifier.startsWith("node:") || builtins.includes(specifier);
}

/** Files of a package a Lambda needs at run time (no types, maps, docs or tests). */
function runtimeFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== "node_modules" && e.name !== "test" && e.name !== "tests" && e.name !== "docs") walk(p);
      } else if (/\.(c?js|json)$/.test(e.name) || (d === dir && /^licen[cs]e/i.test(e.name))) {
        out.push(p);
      }
    }
  };
  walk(dir);
  return out.sort();
}

/** One file to add to an artifact: its path inside the archive and on this machine. */
export interface BundledFile {
  archivePath: string;
  filePath: string;
}

/**
 * The files to bundle for the `required` module specifiers of a handler: each `BUNDLED_PACKAGES`
 * package among them (not built in, not provided), with its dependencies that are not provided,
 * under `node_modules/`. Other requires are left for the serialization check to report.
 */
export function bundleFor(
  required: string[],
  root: string = PROJECT_ROOT,
  bundled: readonly string[] = BUNDLED_PACKAGES,
): { packages: ResolvedPackage[]; files: BundledFile[] } {
  const provided = runtimeProvidedPackages();
  const wanted = [...new Set(required.map(packageNameOf))].filter((n) => !isBuiltin(n) && !provided.has(n) && bundled.includes(n));
  if (wanted.length === 0) return { packages: [], files: [] };
  const packages = [...dependencyClosure(wanted, root).values()].filter((p) => !provided.has(p.name));
  const files: BundledFile[] = [];
  for (const p of packages) {
    for (const f of runtimeFiles(p.dir)) files.push({ archivePath: path.relative(root, f).split(path.sep).join("/"), filePath: f });
  }
  return { packages, files };
}
