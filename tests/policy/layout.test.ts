/**
 * The pack's layout (lib/meta.ts): one policy per file, `policy-pack/<service>/<rule>.ts`, named
 * `<service>-<rule>` (service, resource, rule), with an enforcement level, a severity and topics;
 * every policy file is in the pack, and its tests mirror its path (`tests/policy/<service>/<rule>.test.ts`).
 */
import * as fs from "fs";
import * as path from "path";
import { packPolicies } from "../../policy-pack/policies";
import { TOPICS } from "../../policy-pack/lib/meta";
import { PACK_DIR as PACK, packFiles } from "../../tools/pack-tsconfig";

const NOT_POLICIES = new Set(["index.ts", "policies.ts"]);

/** Every .ts file of the pack outside lib/ and node_modules/, relative to policy-pack/. */
function policyFiles(): string[] {
  return packFiles()
    .map((f) => path.relative(PACK, f).split(path.sep).join("/"))
    .filter((rel) => !rel.startsWith("lib/") && !NOT_POLICIES.has(rel));
}

const isPolicy = (v: any) =>
  !!v &&
  typeof v === "object" &&
  typeof v.name === "string" &&
  (typeof v.validateResource === "function" || Array.isArray(v.validateResource) || typeof v.validateStack === "function");

const files = policyFiles();

describe("policy-pack layout", () => {
  test("no policy file outside a service folder", () => {
    expect(files.filter((f) => !f.includes("/"))).toEqual([]);
    expect(files.length).toBeGreaterThanOrEqual(packPolicies.length);
  });

  test.each(files)("%s exports exactly one policy, named after its path, with level, severity and topics", (file) => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(PACK, file));
    const exported = Object.values(mod).filter(isPolicy) as any[];
    expect(exported.map((p) => p.name)).toHaveLength(1);
    const p = exported[0];
    const [service, base] = [path.dirname(file), path.basename(file, ".ts")];
    expect(p.name).toBe(`${service}-${base}`);
    expect(p.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+){2,}$/);
    expect(["advisory", "mandatory", "remediate", "disabled"]).toContain(p.enforcementLevel);
    expect(["low", "medium", "high", "critical"]).toContain(p.severity);
    expect(p.topics.length).toBeGreaterThan(0);
    for (const t of p.topics) expect(TOPICS).toContain(t);
    expect(packPolicies).toContain(p);
    expect(fs.existsSync(path.join(__dirname, service, `${base}.test.ts`))).toBe(true);
  });

  test("the pack holds each policy once", () => {
    const names = packPolicies.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
  });
});
