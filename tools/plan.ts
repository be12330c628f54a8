/**
 * `npm run plan [-- --stack NAME] [--variant NAME] [--config-file FILE] [--json] [--preview]`: evaluates the stacks (of
 * the stack files, or of a config variant from tools/variants.ts) offline under the aws-cn mocks (no credentials, no Pulumi CLI, no network) and prints, per stack, the component
 * tree, resource counts by type, each Lambda's artifact size and the policy report. Exits non-zero
 * on an error or a mandatory policy violation.
 */
import { STACKS, StackRun, runStack } from "./harness";
import { VARIANTS, runVariant, variant } from "./variants";
import { artifactOf } from "./serialized";
import type { ResourceRecord } from "./types";
import { PolicyReport, hasMandatoryViolations, formatPolicyReport, policyReportFor } from "./plan-policy";

export interface LambdaSize {
  name: string;
  bytes: number;
  files: number;
}

export interface StackPlan {
  stack: string;
  role: string;
  resourceCount: number;
  countsByType: Record<string, number>;
  tree: string[];
  lambdas: LambdaSize[];
  policy?: PolicyReport;
  outputs: Record<string, unknown>;
}

function parseArgs(argv: string[]) {
  const args = {
    stacks: [...STACKS] as string[],
    json: false,
    preview: false,
    variant: undefined as string | undefined,
    configFile: undefined as string | undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--json") args.json = true;
    else if (a === "--preview") args.preview = true;
    else if (a === "--stack") {
      const s = argv[++i];
      if (!s || !(STACKS as readonly string[]).includes(s)) throw new Error(`--stack takes one of ${STACKS.join(", ")}; got ${s ?? "nothing"}`);
      args.stacks = [s];
    } else if (a === "--variant") {
      const v = argv[++i];
      if (!v) throw new Error(`--variant takes one of ${VARIANTS.map((x) => JSON.stringify(x.name)).join(", ")}`);
      args.variant = variant(v).name;
    } else if (a === "--config-file") {
      // As `pulumi preview --config-file`: the one stack's config from another file.
      const f = argv[++i];
      if (!f) throw new Error("--config-file takes a path to a stack config file");
      args.configFile = f;
    } else if (a === "--help" || a === "-h") {
      console.log(
        `usage: npm run plan -- [--stack cn-north-1|cn-northwest-1] [--variant NAME] [--config-file FILE] [--json] [--preview]\nvariants: ${VARIANTS.map((x) => JSON.stringify(x.name)).join(", ")}`,
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${a}; see --help`);
  }
  if (args.configFile && args.stacks.length !== 1) throw new Error("--config-file needs --stack: the file is one stack's config");
  return args;
}

/** Components as a tree, each with a summary of the provider resources directly under it. */
export function componentTree(resources: ResourceRecord[]): string[] {
  const children = new Map<string, ResourceRecord[]>();
  for (const r of resources) {
    const p = r.parent ?? "";
    if (!children.has(p)) children.set(p, []);
    children.get(p)!.push(r);
  }
  const lines: string[] = [];
  const walk = (parent: string, depth: number) => {
    const kids = children.get(parent) ?? [];
    const counts = new Map<string, number>();
    for (const k of kids.filter((k) => k.custom)) counts.set(k.type, (counts.get(k.type) ?? 0) + 1);
    for (const [type, n] of [...counts].sort()) lines.push(`${"  ".repeat(depth)}${n} x ${type}`);
    for (const c of kids.filter((k) => !k.custom)) {
      lines.push(`${"  ".repeat(depth)}${c.type} "${c.name}"`);
      walk(c.urn, depth + 1);
    }
  };
  // Top level: resources without a parent, or whose parent is the (implicit) stack.
  const urns = new Set(resources.map((r) => r.urn));
  const roots = resources.filter((r) => !r.parent || !urns.has(r.parent));
  const rootKey = "__roots__";
  children.set(rootKey, roots);
  walk(rootKey, 0);
  return lines;
}

export async function planStack(run: StackRun, preview: boolean): Promise<StackPlan> {
  const custom = run.resources.filter((r) => r.custom);
  const countsByType: Record<string, number> = {};
  for (const r of custom) countsByType[r.type] = (countsByType[r.type] ?? 0) + 1;
  const lambdas: LambdaSize[] = [];
  for (const { name, lambda } of run.lambdas) {
    const a = await artifactOf(lambda.code);
    lambdas.push({ name, bytes: a.totalBytes, files: a.entries.length });
  }
  return {
    stack: run.stack,
    role: String(run.outputs.role ?? "?"),
    resourceCount: custom.length,
    countsByType,
    tree: componentTree(run.resources),
    lambdas,
    policy: await policyReportFor(run, preview),
    outputs: run.outputs,
  };
}

function printPlan(p: StackPlan) {
  console.log(`\n=== stack ${p.stack} (${p.role}) — ${p.resourceCount} resources ===`);
  console.log("\nComponent tree:");
  for (const l of p.tree) console.log(`  ${l}`);
  console.log("\nResources by type:");
  for (const [t, n] of Object.entries(p.countsByType).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
    console.log(`  ${String(n).padStart(4)}  ${t}`);
  }
  console.log("\nLambda artifacts:");
  if (p.lambdas.length === 0) console.log("  (none)");
  for (const l of p.lambdas) console.log(`  ${l.name.padEnd(40)} ${String(l.bytes).padStart(8)} bytes  ${l.files} file(s)`);
  console.log("\nPolicy report:");
  for (const l of p.policy ? formatPolicyReport(p.policy) : ["  (policy pack not evaluated)"]) console.log(l);
}

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const plans: StackPlan[] = [];
  for (const stack of args.stacks) {
    const run = args.variant
      ? await runVariant(stack, variant(args.variant), { preview: args.preview, configFile: args.configFile })
      : await runStack(stack, { preview: args.preview, configFile: args.configFile });
    plans.push(await planStack(run, args.preview));
  }
  if (args.json) console.log(JSON.stringify({ preview: args.preview, stacks: plans }, null, 2));
  else for (const p of plans) printPlan(p);
  const violations = plans.filter((p) => p.policy && hasMandatoryViolations(p.policy));
  if (violations.length > 0) {
    console.error(`\nplan: mandatory policy violations in ${violations.map((p) => p.stack).join(", ")}`);
    return 1;
  }
  return 0;
}
