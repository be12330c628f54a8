/**
 * The mutation suite's engine: copy the checkout (without node_modules and .git; node_modules is
 * symlinked), apply one mutant's textual edit, plan it in update and preview mode in a child
 * process, and decide: caught = a mandatory violation of the mutant's policy in BOTH modes. A
 * baseline plan per (variant, stacks) of the unmutated copy must show no violation of the policies
 * its mutants target, so a catch is the mutant's doing. Each mutant runs alone in its own copy and
 * process: attribution is exact.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Mutant } from "./catalogue";
import { MARKER, ModeResult } from "./plan-one";

export type Verdict = "caught" | "survived" | "no longer applies" | "ambiguous" | "error";

export interface MutantResult {
  mutant: Mutant;
  verdict: Verdict;
  detail: string;
  seconds: number;
}

/** Applies the mutant to the file's text: exactly one occurrence of `search`, or why not. */
export function applyMutation(
  text: string,
  m: Pick<Mutant, "search" | "replace">,
): { text: string } | { verdict: "no longer applies" | "ambiguous"; detail: string } {
  const first = text.indexOf(m.search);
  if (first < 0) {
    return { verdict: "no longer applies", detail: `search text not found: ${JSON.stringify(m.search.slice(0, 80))}` };
  }
  if (text.indexOf(m.search, first + 1) >= 0) {
    return { verdict: "ambiguous", detail: `search text occurs more than once: ${JSON.stringify(m.search.slice(0, 80))}` };
  }
  return { text: text.slice(0, first) + m.replace + text.slice(first + m.search.length) };
}

/** Decides a mutant from its plan and the baseline plan. */
export function judge(
  m: Mutant,
  plan: { update: ModeResult; preview: ModeResult },
  baseline?: { update: ModeResult; preview: ModeResult },
): { verdict: Verdict; detail: string } {
  if (baseline && (baseline.update[m.policy] || baseline.preview[m.policy])) {
    return {
      verdict: "error",
      detail: `the unmutated program already violates ${m.policy}: ${(baseline.update[m.policy] ?? baseline.preview[m.policy]).first}`,
    };
  }
  const u = plan.update[m.policy];
  const p = plan.preview[m.policy];
  if (u && p) {
    return { verdict: "caught", detail: u.first };
  }
  const others = [...new Set([...Object.keys(plan.update), ...Object.keys(plan.preview)])];
  return {
    verdict: "survived",
    detail: `${m.policy}: ${u ? "caught" : "missed"} in update, ${p ? "caught" : "missed"} in preview${others.length ? `; other policies reporting: ${others.join(", ")}` : ""}`,
  };
}

const SKIP = new Set(["node_modules", ".git", "coverage", ".serialized", ".pulumi"]);

/** Copies the checkout to a new temp directory and symlinks its node_modules. */
export function copyCheckout(root: string, base: string): string {
  const dir = fs.mkdtempSync(path.join(base, "m-"));
  for (const entry of fs.readdirSync(root)) {
    if (SKIP.has(entry)) {
      continue;
    }
    fs.cpSync(path.join(root, entry), path.join(dir, entry), { recursive: true, filter: (src) => !SKIP.has(path.basename(src)) });
  }
  fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

function planIn(dir: string, variantName: string, stacks: string[]): Promise<{ update: ModeResult; preview: ModeResult } | { error: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [path.join(dir, "tools", "run-ts.js"), path.join(dir, "tools", "mutants", "plan-one.ts"), variantName, stacks.join(",")],
      {
        cwd: dir,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (code) => {
      const line = out.split("\n").find((l) => l.startsWith(MARKER));
      if (code === 0 && line) {
        resolve(JSON.parse(line.slice(MARKER.length)));
      } else {
        resolve({ error: `exit ${code}: ${(err || out).trim().split("\n").slice(-3).join(" | ").slice(0, 400)}` });
      }
    });
  });
}

async function pool<T, R>(items: T[], jobs: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(jobs, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]);
      }
    }),
  );
  return results;
}

const STACKS = ["cn-northwest-1", "cn-north-1"];
const keyOf = (m: Mutant) => `${m.variant ?? "stack files"}|${(m.stacks ?? STACKS).join(",")}`;

export async function runMutants(root: string, mutants: Mutant[], opts: { jobs: number; log?: (s: string) => void }): Promise<MutantResult[]> {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "cn-log-backup-mutants-"));
  const log = opts.log ?? (() => undefined);
  // Interrupted: remove the copies before leaving (the children die with their process group).
  const cleanup = (signal: NodeJS.Signals) => {
    fs.rmSync(base, { recursive: true, force: true });
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", cleanup);
  process.once("SIGTERM", cleanup);
  try {
    // Baselines: one unmutated plan per (variant, stacks) the mutants use.
    const keys = [...new Set(mutants.map(keyOf))];
    const clean = copyCheckout(root, base);
    const baselines = new Map<string, { update: ModeResult; preview: ModeResult } | { error: string }>();
    await pool(keys, opts.jobs, async (k) => {
      const [variantName, stacks] = k.split("|");
      baselines.set(k, await planIn(clean, variantName, stacks.split(",")));
      log(`baseline ${k}: done`);
    });
    return await pool(mutants, opts.jobs, async (m) => {
      const started = Date.now();
      const done = (verdict: Verdict, detail: string): MutantResult => {
        const r = { mutant: m, verdict, detail, seconds: (Date.now() - started) / 1000 };
        log(`${verdict.padEnd(17)} ${m.id} (${m.policy})`);
        return r;
      };
      const file = path.join(root, m.file);
      if (!fs.existsSync(file)) {
        return done("no longer applies", `${m.file} does not exist`);
      }
      const applied = applyMutation(fs.readFileSync(file, "utf8"), m);
      if (!("text" in applied)) {
        return done(applied.verdict, applied.detail);
      }
      const baseline = baselines.get(keyOf(m))!;
      if ("error" in baseline) {
        return done("error", `baseline plan failed: ${baseline.error}`);
      }
      const dir = copyCheckout(root, base);
      try {
        fs.writeFileSync(path.join(dir, m.file), applied.text);
        const plan = await planIn(dir, m.variant ?? "stack files", m.stacks ?? STACKS);
        if ("error" in plan) {
          return done("error", `the mutated program did not plan: ${plan.error}`);
        }
        const j = judge(m, plan, baseline);
        return done(j.verdict, j.detail);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  } finally {
    process.removeListener("SIGINT", cleanup);
    process.removeListener("SIGTERM", cleanup);
    fs.rmSync(base, { recursive: true, force: true });
  }
}
