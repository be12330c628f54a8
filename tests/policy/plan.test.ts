/** `npm run plan` prints the policy report per stack and exits non-zero on a mandatory violation. */
import { main, planStack } from "../../tools/plan";
import { formatPolicyReport, hasMandatoryViolations, loadPolicyConfig } from "../../tools/plan-policy";
import { runStack } from "../../tools/harness";
import { ALL_OPTIONS } from "../../tools/variants";
import { runPolicies } from "../../tools/policy-runner";
import { res } from "./helpers";

describe("npm run plan: policy report", () => {
  test("each stack's plan carries the pack's report, formatted per policy with level, resources examined and violations", async () => {
    const run = await runStack("cn-north-1");
    const plan = await planStack(run, false);
    expect(plan.policy).toBeDefined();
    expect(plan.policy!.stack).toBe("cn-north-1");
    expect(plan.policy!.resources).toBe(run.resources.length);
    const lines = formatPolicyReport(plan.policy!);
    expect(lines[0]).toBe(`Policy pack cn-log-backup, stack cn-north-1 (update, ${run.resources.length} resources)`);
    const keys = run.resources.filter((r) => r.type === "aws:kms/key:Key").length;
    expect(keys).toBeGreaterThan(0);
    expect(lines.some((l) => new RegExp(`\\[ok {2}\\] mandatory\\s+kms-key-deletion-window\\s+${keys} examined, 0 violation\\(s\\)`).test(l))).toBe(true);
    expect(plan.policy!.results.flatMap((r) => r.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.message))).toEqual([]);
    expect(hasMandatoryViolations(plan.policy!)).toBe(false);
  });

  test("a mandatory violation makes the report fail", async () => {
    const run = await runStack("cn-north-1");
    // The run is shared with the other tests (and frozen): plan a copy with one more resource.
    const plan = await planStack({ ...run, resources: [...run.resources, res("aws:sqs/queue:Queue", "unencrypted", {})] }, false);
    expect(hasMandatoryViolations(plan.policy!)).toBe(true);
    expect(formatPolicyReport(plan.policy!)).toContain(
      '      - mandatory: Queue "unencrypted" is not encrypted at rest: set kmsMasterKeyId or sqsManagedSseEnabled: true.',
    );
  });

  test("main exits 0 for the stack files as they are, printing the report", async () => {
    const logs: string[] = [];
    const spy = jest.spyOn(console, "log").mockImplementation((...a: unknown[]) => void logs.push(a.join(" ")));
    try {
      expect(await main(["--stack", "cn-north-1"])).toBe(0);
    } finally {
      spy.mockRestore();
    }
    expect(logs.some((l) => l.trim() === "Policy report:")).toBe(true);
    expect(logs.some((l) => l.startsWith("Policy pack cn-log-backup, stack cn-north-1 (update"))).toBe(true);
  });

  test("main --preview: both stacks decide every policy during preview (nothing skipped) and examine what they examine in update mode", async () => {
    const logs: string[] = [];
    const spy = jest.spyOn(console, "log").mockImplementation((...a: unknown[]) => void logs.push(a.join(" ")));
    try {
      expect(await main(["--preview"])).toBe(0);
    } finally {
      spy.mockRestore();
    }
    const text = logs.join("\n");
    for (const stack of ["cn-northwest-1", "cn-north-1"]) {
      expect(text).toContain(`Policy pack cn-log-backup, stack ${stack} (preview`);
    }
    expect(text.match(/ 0 mandatory violation\(s\), 0 advisory, 0 skipped during preview\./g)).toHaveLength(2);
    expect(text).not.toContain("~ advisory: can't run policy");
    expect(text).not.toMatch(/\[warn\]|\[FAIL\]/);
    // The IAM document checks and the TLS-only check examined resources in both stacks.
    for (const name of [
      "s3-bucket-tls-only",
      "iam-policy-no-wildcard-actions",
      "iam-policy-service-principal-confused-deputy",
      "iam-policy-no-unrestricted-public-principal",
    ]) {
      const lines = logs.filter((l) => new RegExp(`mandatory\\s+${name}\\s`).test(l));
      expect([name, lines.length]).toEqual([name, 2]);
      for (const l of lines) expect(l).toMatch(/\[ok {2}\] mandatory\s+\S+\s+[1-9]\d* examined, 0 violation\(s\)$/);
    }
  }, 600_000);

  test(`--variant "${ALL_OPTIONS}" plans both stacks of that variant and exits 0 (no mandatory violation)`, async () => {
    const logs: string[] = [];
    const spy = jest.spyOn(console, "log").mockImplementation((...a: unknown[]) => void logs.push(a.join(" ")));
    let code: number;
    try {
      code = await main(["--variant", ALL_OPTIONS, "--json"]);
    } finally {
      spy.mockRestore();
    }
    expect(code).toBe(0);
    const plan = JSON.parse(logs.join("\n"));
    expect(plan.stacks.map((p: any) => p.stack)).toEqual(["cn-northwest-1", "cn-north-1"]);
    // The variant's options are what was planned: RDS automated-backup replication in Ningxia,
    // the brought source vault (no vault created) and the lab NAT gateway in Beijing.
    const [backup, primary] = plan.stacks;
    expect(backup.countsByType["aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication"]).toBe(1);
    expect(primary.countsByType["aws:backup/vault:Vault"]).toBeUndefined();
    expect(primary.countsByType["aws:ec2/natGateway:NatGateway"]).toBe(1);
    expect(primary.outputs.sourceVaultArn).toBe("arn:aws-cn:backup:cn-north-1:123456789012:backup-vault:existing-source");
    for (const p of plan.stacks) {
      expect(p.policy.results.flatMap((r: any) => r.violations.filter((v: any) => v.enforcementLevel === "mandatory"))).toEqual([]);
    }
  }, 600_000);

  test("--variant refuses an unknown name, naming the known ones", async () => {
    await expect(main(["--variant", "nope"])).rejects.toThrow(/no variant "nope"; known: "stack files", /);
  });

  test("the project's policy config (policy-pack/config.json) is valid for the pack", async () => {
    const config = loadPolicyConfig();
    // Issue 12 item 10 / issue 14: rotation and log-group retention are mandatory, not relaxed by the project's config.
    expect(config["kms-key-rotation-enabled"]).toBeUndefined();
    expect(config["cloudwatch-log-group-retention"]).toBeUndefined();
    // runPolicies checks every policy name, setting and value against the policies' schemas.
    await expect(runPolicies([], { preview: false, config })).resolves.toBeDefined();
  });
});
