/**
 * `npm run records -- --out DIR` / `-- --compare DIR`: the harness's records of both stacks of the
 * stack files and of every config variant, in update and preview mode — each resource's type,
 * name, parent's name and inputs, sorted — plus the policy report (policy, resource, level,
 * message). A restructure that means to keep behaviour dumps before, dumps after, and compares:
 * any difference is printed with its stack, variant and resource.
 *
 * Lambda code is left out of the records (the serialized closure follows the source layout); each
 * Lambda's runtime, handler, role, environment and so on are still in its record.
 */
import * as fs from "fs";
import * as path from "path";
import { STACKS, StackRun } from "./harness";
import { VARIANTS, runVariant } from "./variants";
import { policyReportFor } from "./plan-policy";
import { isUnknown } from "./harness";

interface Dump {
  resources: { type: string; name: string; parent?: string; inputs: unknown }[];
  policy: { policy: string; level: string; examined: string[]; skipped: number; violations: string[] }[];
}

/** A Pulumi archive, dumped as "<archive>": anything with `assets` (an AssetArchive), or a `path` on a class named *Archive (a FileArchive). */
function isArchive(v: object): boolean {
  const o = v as { assets?: unknown; path?: unknown };
  if (o.assets !== undefined) return true;
  if (o.path === undefined) return false;
  return v.constructor?.name?.includes("Archive") === true;
}

function canonical(v: unknown): unknown {
  if (isUnknown(v)) return "<unknown>";
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === "object") {
    if (isArchive(v)) return "<archive>";
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = canonical((v as any)[k]);
    return out;
  }
  return v;
}

async function dumpOf(run: StackRun, preview: boolean): Promise<Dump> {
  const names = new Map(run.resources.map((r) => [r.urn, `${r.type}::${r.name}`]));
  const resources = run.resources
    .map((r) => {
      const inputs = { ...r.inputs };
      if (r.type === "aws:lambda/function:Function") delete inputs.code;
      return { type: r.type, name: r.name, parent: r.parent ? names.get(r.parent) : undefined, inputs: canonical(inputs) };
    })
    .sort((a, b) => `${a.type}::${a.name}`.localeCompare(`${b.type}::${b.name}`));
  const report = await policyReportFor(run, preview);
  const policy: Dump["policy"] = (report?.results ?? [])
    .map((res) => ({
      policy: res.name,
      level: res.enforcementLevel,
      examined: [...res.examinedResources].sort(),
      skipped: res.skipped.length,
      violations: res.violations.map((v) => `${v.resourceType ?? ""} ${v.resourceName ?? ""}: ${v.message}`).sort(),
    }))
    .sort((a, b) => a.policy.localeCompare(b.policy));
  return { resources, policy };
}

function fileName(variant: string, stack: string, preview: boolean): string {
  return `${variant.replace(/[^a-z0-9]+/gi, "-")}.${stack}.${preview ? "preview" : "update"}.json`;
}

export async function main(argv: string[]): Promise<number> {
  const [flag, dir] = argv;
  if ((flag !== "--out" && flag !== "--compare") || !dir) throw new Error("usage: npm run records -- --out DIR | --compare DIR");
  if (flag === "--out") fs.mkdirSync(dir, { recursive: true });
  let differences = 0;
  for (const v of VARIANTS) {
    for (const stack of STACKS) {
      for (const preview of [false, true]) {
        const run = await runVariant(stack, v, { preview });
        const text = JSON.stringify(await dumpOf(run, preview), null, 1);
        const file = path.join(dir, fileName(v.name, stack, preview));
        if (flag === "--out") {
          fs.writeFileSync(file, text);
          continue;
        }
        const before = fs.readFileSync(file, "utf8");
        if (before === text) continue;
        differences++;
        const a = JSON.parse(before) as Dump;
        const b = JSON.parse(text) as Dump;
        const key = (r: Dump["resources"][number]) => `${r.type}::${r.name}`;
        const am = new Map(a.resources.map((r) => [key(r), JSON.stringify(r)]));
        const bm = new Map(b.resources.map((r) => [key(r), JSON.stringify(r)]));
        console.log(`${v.name} / ${stack} / ${preview ? "preview" : "update"}:`);
        for (const [k, s] of am) if (!bm.has(k)) console.log(`  - gone: ${k}`);
        for (const [k, s] of bm) if (!am.has(k)) console.log(`  + new: ${k}`);
        for (const [k, s] of am)
          if (bm.has(k) && bm.get(k) !== s) console.log(`  ~ changed: ${k}\n      before ${s.slice(0, 600)}\n      after  ${bm.get(k)!.slice(0, 600)}`);
        if (JSON.stringify(a.policy) !== JSON.stringify(b.policy))
          console.log(
            `  ~ policy report differs:\n      before ${JSON.stringify(a.policy).slice(0, 800)}\n      after  ${JSON.stringify(b.policy).slice(0, 800)}`,
          );
      }
    }
  }
  if (flag === "--out") return 0;
  console.log(differences === 0 ? "records identical" : `${differences} dumps differ`);
  return differences === 0 ? 0 : 1;
}
