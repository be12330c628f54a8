import * as fs from "fs";
import { policies } from "../../policy-pack/policies";
import { policyTable, README, readmeWithPolicyTable } from "../../tools/policy-doc";

describe("README's policy table", () => {
  const readme = fs.readFileSync(README, "utf8");

  test("is the one generated from the pack (node tools/run-ts.js tools/policy-doc.ts --write)", () => {
    expect(readme).toBe(readmeWithPolicyTable(readme));
  });

  test("lists every policy with its level, and the law clause for retention", () => {
    const table = policyTable();
    for (const p of policies) expect(table).toContain(`| \`${p.name}\` |`);
    expect(table).toContain("| `s3-lifecycle-min-retention` | mandatory | high | PRC Cybersecurity Law Art. 21(3) |");
    expect(table).toContain("| `kms-key-rotation-enabled` | mandatory | medium | Security Hub FSBP KMS.4 |");
  });
});
