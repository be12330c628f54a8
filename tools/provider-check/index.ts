/**
 * `npm run provider-check [-- --stack NAME] [--variant NAME | --skip-variant NAME] [--keep]`: every provider resource of
 * the stacks (of every config variant of tools/variants.ts, or the one named), as the offline
 * harness evaluates them, checked by the real Terraform AWS provider: translated to Terraform JSON
 * (translate.ts), then `terraform init` from the local plugin mirror, `validate` and `plan` with
 * every endpoint on a moto server on loopback (no network, no credentials). Prints each finding and,
 * last, `provider-check: <S> stacks, <N> resources, <E> errors, <W> warnings`; exits 1 on errors.
 */
import { STACKS } from "../harness";
import { VARIANTS, Variant, runVariant, variant } from "../variants";
import { ProviderChecker, StackCheck } from "./check";

function parseArgs(argv: string[]) {
  const args = { stacks: [...STACKS] as string[], variants: VARIANTS as Variant[], keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--stack") {
      const s = argv[++i];
      if (!s || !(STACKS as readonly string[]).includes(s)) throw new Error(`--stack takes one of ${STACKS.join(", ")}; got ${s ?? "nothing"}`);
      args.stacks = [s];
    } else if (a === "--variant") {
      const v = argv[++i];
      if (!v) throw new Error(`--variant takes one of ${VARIANTS.map((x) => JSON.stringify(x.name)).join(", ")}`);
      args.variants = [variant(v)];
    } else if (a === "--skip-variant") {
      const v = variant(argv[++i] ?? "");
      args.variants = args.variants.filter((x) => x.name !== v.name);
    } else if (a === "--keep") args.keep = true;
    else if (a === "--help" || a === "-h") {
      console.log(
        `usage: npm run provider-check -- [--stack ${STACKS.join("|")}] [--variant NAME | --skip-variant NAME ...] [--keep]\n` +
          `variants (default: all): ${VARIANTS.map((x) => JSON.stringify(x.name)).join(", ")}\n--keep leaves the Terraform working directories in place`,
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${a}; see --help`);
  }
  return args;
}

export function summaryLine(checks: StackCheck[]): string {
  const n = (f: (c: StackCheck) => number) => checks.reduce((s, c) => s + f(c), 0);
  return `provider-check: ${checks.length} stacks, ${n((c) => c.resources)} resources, ${n((c) => c.errors)} errors, ${n((c) => c.warnings)} warnings`;
}

export function formatCheck(c: StackCheck): string[] {
  const s = (ms: number) => (ms / 1000).toFixed(1);
  const lines = [
    `${c.label}: ${c.resources} resources, ${c.errors} errors, ${c.warnings} warnings` +
      (c.planned !== undefined ? `, plan creates ${c.planned}` : "") +
      ` (translate ${s(c.ms.translate)} s, init ${s(c.ms.init)} s, validate ${s(c.ms.validate)} s, plan ${s(c.ms.plan)} s)`,
  ];
  for (const f of c.findings) lines.push(`  ${f.severity} [${f.stage}]${f.resource ? ` ${f.resource}` : ""}: ${f.message.replace(/\n+/g, " ")}`);
  return lines;
}

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const started = Date.now();
  const checker = await ProviderChecker.start({ keep: args.keep });
  const checks: StackCheck[] = [];
  try {
    for (const v of args.variants) {
      for (const stack of args.stacks) {
        const run = await runVariant(stack, v);
        const region = stack; // each stack's name is its region (Pulumi.<region>.yaml)
        const c = await checker.check(`${v.name} / ${stack}`, region, run.resources);
        checks.push(c);
        for (const l of formatCheck(c)) console.log(l);
      }
    }
  } finally {
    await checker.stop();
    if (args.keep) console.log(`working directories kept under ${checker.root}`);
  }
  console.log(`total ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(summaryLine(checks));
  return checks.some((c) => c.errors > 0) ? 1 : 0;
}
