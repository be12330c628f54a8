/**
 * `node tools/run-ts.js tools/policy-doc.ts [--write]`: README's policy table from the pack itself
 * (name, level, severity, the control it maps to, settings, topics). Without --write it prints the table;
 * tests/docs/policy-table.test.ts keeps README's copy equal to it.
 */
import * as fs from "fs";
import * as path from "path";
import { packPolicies } from "../policy-pack/policies";
import { enforcementLevelOf } from "./policy-runner";
import { loadPolicyConfig } from "./plan-policy";

export const README = path.join(__dirname, "..", "README.md");
const START = "| policy | level | severity | control | settings | topics |";

export function policyTable(): string {
  const config = loadPolicyConfig();
  const rows = packPolicies.map((p) => {
    const control = p.framework
      ? `${p.framework.name.replace("AWS Foundational Security Best Practices", "Security Hub FSBP").replace("Cybersecurity Law of the People's Republic of China", "PRC Cybersecurity Law")} ${p.framework.reference}`
      : "";
    const settings = Object.keys(p.configSchema?.properties ?? {})
      .map((k) => `\`${k}\``)
      .join(", ");
    return `| \`${p.name}\` | ${enforcementLevelOf(p, config)} | ${p.severity} | ${control} | ${settings} | ${p.topics.join(", ")} |`;
  });
  return [START, "| --- | --- | --- | --- | --- | --- |", ...rows].join("\n");
}

/** README with its policy table replaced by the generated one. */
export function readmeWithPolicyTable(readme: string): string {
  const lines = readme.split("\n");
  const start = lines.findIndex((l) => l.startsWith("| policy |"));
  if (start < 0) {
    throw new Error("README.md has no policy table (a line starting with '| policy |')");
  }
  let end = start;
  while (end < lines.length && lines[end].startsWith("|")) end++;
  return [...lines.slice(0, start), policyTable(), ...lines.slice(end)].join("\n");
}

export async function main(argv: string[]): Promise<number> {
  if (argv.includes("--write")) {
    fs.writeFileSync(README, readmeWithPolicyTable(fs.readFileSync(README, "utf8")));
  } else {
    console.log(policyTable());
  }
  return 0;
}
