/**
 * The mutation suite (tools/mutants/): its catalogue covers every policy and still applies to this
 * checkout, its verdicts follow the rule (caught only in both modes; a mutant that no longer applies
 * is never caught), and one cheap mutant end to end. The whole suite runs in CI (.ci/run: npm run mutants).
 */
import * as fs from "fs";
import * as path from "path";
import { policies } from "../../policy-pack/policies";
import { MUTANTS, Mutant } from "../../tools/mutants/catalogue";
import { applyMutation, judge, runMutants } from "../../tools/mutants/run";
import { VARIANTS } from "../../tools/variants";

const ROOT = path.resolve(__dirname, "../..");
const m = (over: Partial<Mutant> = {}): Mutant => ({ id: "x", policy: "p", file: "infra/kms.ts", search: "a", replace: "b", why: "test", ...over });

describe("the mutation catalogue", () => {
  test("every policy of the pack has at least one mutant, and every mutant names a policy and a variant that exist", () => {
    const names = policies.map((p) => p.name);
    expect(names.filter((n) => !MUTANTS.some((x) => x.policy === n))).toEqual([]);
    expect(MUTANTS.filter((x) => !names.includes(x.policy)).map((x) => x.id)).toEqual([]);
    expect(MUTANTS.filter((x) => x.variant && !VARIANTS.some((v) => v.name === x.variant)).map((x) => x.id)).toEqual([]);
    expect(new Set(MUTANTS.map((x) => x.id)).size).toBe(MUTANTS.length);
  });

  test("every mutant still applies to this checkout: its search text occurs exactly once in a program file", () => {
    const problems = MUTANTS.flatMap((x) => {
      if (!/^(infra|stacks)\/|^Pulumi\.[a-z0-9-]+\.yaml$/.test(x.file)) return [`${x.id}: ${x.file} is not a program file`];
      const file = path.join(ROOT, x.file);
      if (!fs.existsSync(file)) return [`${x.id}: ${x.file} does not exist`];
      const r = applyMutation(fs.readFileSync(file, "utf8"), x);
      return "text" in r ? [] : [`${x.id}: ${r.verdict}: ${r.detail}`];
    });
    expect(problems).toEqual([]);
  });
});

describe("applyMutation and judge", () => {
  test("a search text that is gone or ambiguous is reported, never applied", () => {
    expect(applyMutation("one two", m({ search: "three" }))).toEqual({ verdict: "no longer applies", detail: 'search text not found: "three"' });
    expect(applyMutation("a a", m())).toMatchObject({ verdict: "ambiguous" });
    expect(applyMutation("xay", m())).toEqual({ text: "xby" });
  });

  test("caught needs a mandatory violation of the mutant's own policy in both modes, and a clean baseline", () => {
    const hit = { count: 1, first: "msg" };
    expect(judge(m(), { update: { p: hit }, preview: { p: hit } }, { update: {}, preview: {} }).verdict).toBe("caught");
    expect(judge(m(), { update: { p: hit }, preview: {} }, { update: {}, preview: {} })).toEqual({
      verdict: "survived",
      detail: "p: caught in update, missed in preview; other policies reporting: p",
    });
    expect(judge(m(), { update: { q: hit }, preview: { q: hit } }).verdict).toBe("survived");
    expect(judge(m(), { update: { p: hit }, preview: { p: hit } }, { update: { p: hit }, preview: {} }).verdict).toBe("error");
  });
});

describe("the suite end to end", () => {
  test("a real mutant of the program is caught in a copy of the checkout, and a stale one is reported as no longer applying", async () => {
    const rotation = MUTANTS.find((x) => x.id === "key-rotation-off")!;
    const stale: Mutant = { ...rotation, id: "stale", search: "this text is not in the program" };
    const results = await runMutants(ROOT, [rotation, stale], { jobs: 1 });
    expect(results.map((r) => [r.mutant.id, r.verdict])).toEqual([
      ["key-rotation-off", "caught"],
      ["stale", "no longer applies"],
    ]);
    expect(results[0].detail).toMatch(/does not rotate its key material/);
    // The checkout itself is untouched.
    expect(fs.readFileSync(path.join(ROOT, rotation.file), "utf8")).toContain(rotation.search);
  }, 300_000);
});
