import * as fs from "fs";
import * as path from "path";
import { configReference } from "../../stacks/config";
import { readmeWithTable } from "../../tools/config-doc";

const readme = fs.readFileSync(path.join(__dirname, "../../README.md"), "utf8");

describe("README.md", () => {
  test("its config reference is the one generated from stacks/config/ (run npm run config-doc -- --write)", () => {
    expect(readme).toBe(readmeWithTable(readme));
    for (const row of configReference()) expect(readme).toContain(`\`cn-log-backup:${row.key}\``);
  });

  test("shows the two set-up commands CI runs", () => {
    expect(readme).toContain("npm ci && npm run plan");
    expect(readme).toContain("npm test");
    const ci = fs.readFileSync(path.join(__dirname, "../../.ci/run"), "utf8");
    expect(ci).toMatch(/^npm ci\b/m);
    expect(ci).toMatch(/^npm test\b/m);
  });

  test("keeps the data-flow diagram and the deployment order", () => {
    expect(readme).toContain("```mermaid");
    expect(readme.indexOf("pulumi up -s cn-northwest-1")).toBeLessThan(readme.indexOf("pulumi up -s cn-north-1"));
  });
});
