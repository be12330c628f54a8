/**
 * `npm run provider-check` for the stack files, in `npm test`: every provider resource of both
 * stacks passes the real Terraform AWS provider's validate and plan (against moto), and the same
 * resources with planted bad values fail it at exactly those resources. The other config variants
 * run in `.ci/run` after `npm test` (`npm run provider-check`), for time.
 */
import { STACKS } from "../../../tools/harness";
import { runVariant, variant } from "../../../tools/variants";
import type { ResourceRecord } from "../../../tools/types";
import { ProviderChecker, StackCheck } from "../../../tools/provider-check/check";
import { main, summaryLine } from "../../../tools/provider-check/index";
import { describeWithTerraform } from "../../helpers/terraform";

const LONG = 600000;

describe("npm run provider-check arguments", () => {
  test("an unknown stack or variant is refused, naming the known ones", async () => {
    await expect(main(["--stack", "us-east-1"])).rejects.toThrow("--stack takes one of cn-northwest-1, cn-north-1; got us-east-1");
    await expect(main(["--variant", "nope"])).rejects.toThrow('no variant "nope"; known: "stack files"');
    await expect(main(["--frobnicate"])).rejects.toThrow("unknown argument --frobnicate");
  });
});

describeWithTerraform("provider check of the stack files", () => {
  let checker: ProviderChecker;
  const records: Record<string, ResourceRecord[]> = {};
  const checks: Record<string, StackCheck> = {};

  beforeAll(async () => {
    checker = await ProviderChecker.start();
    for (const stack of STACKS) {
      records[stack] = (await runVariant(stack, variant("stack files"))).resources;
      checks[stack] = await checker.check(`stack files / ${stack}`, stack, records[stack]);
    }
  }, LONG);
  afterAll(async () => checker?.stop(), 60000);

  test.each([...STACKS])("%s: every provider resource passes validate and plan, 0 errors and 0 warnings", (stack) => {
    const c = checks[stack];
    expect(c.findings).toEqual([]);
    const providerResources = records[stack].filter((r) => r.custom && r.type.startsWith("aws:"));
    expect(c.resources).toBe(providerResources.length);
    expect(c.resources).toBeGreaterThan(20);
    // plan ran and would create every one of them
    expect(c.planned).toBe(c.resources);
  });

  test("the summary line counts stacks, resources, errors and warnings", () => {
    const n = checks["cn-north-1"].resources + checks["cn-northwest-1"].resources;
    expect(summaryLine(Object.values(checks))).toBe(`provider-check: 2 stacks, ${n} resources, 0 errors, 0 warnings`);
  });

  test("an explicit AWS provider with settings beyond its region fails the run (they would not reach Terraform)", async () => {
    const provider: ResourceRecord = {
      type: "pulumi:providers:aws",
      name: "ningxia",
      urn: "urn:p",
      inputs: { region: "cn-northwest-1", defaultTags: { tags: { owner: "x" } } },
      state: {},
      propertyDependencies: {},
      custom: true,
    };
    const c = await checker.check("explicit provider", "cn-north-1", [provider]);
    expect(c.findings).toEqual([
      {
        severity: "error",
        stage: "translate",
        resource: 'pulumi:providers:aws "ningxia"',
        message: "provider settings defaultTags are not carried to Terraform (only its region is)",
      },
    ]);
  });

  test(
    "planted defects fail it at their resources: SQS retention out of range, a trust policy that is not JSON, a KMS deletion window too short",
    async () => {
      const planted = records["cn-north-1"].map((r) => ({ ...r, inputs: { ...r.inputs } }));
      const pick = (type: string, nameEnd: string) => {
        const r = planted.find((x) => x.type === type && x.name.endsWith(nameEnd));
        if (!r) throw new Error(`no ${type} *${nameEnd}`);
        return r;
      };
      const queue = pick("aws:sqs/queue:Queue", "audit-log-dlq");
      queue.inputs.messageRetentionSeconds = 1209601; // SQS allows 60 s to 14 days (1209600 s)
      const role = pick("aws:iam/role:Role", "audit-log-detector-role");
      role.inputs.assumeRolePolicy = "{ not json";
      const key = pick("aws:kms/key:Key", "audit-log-key");
      key.inputs.deletionWindowInDays = 3; // KMS allows 7-30 days
      const c = await checker.check("planted / cn-north-1", "cn-north-1", planted);
      const errors = c.findings.filter((f) => f.severity === "error");
      expect(errors.map((f) => f.resource).sort()).toEqual(
        [`${key.type} "${key.name}"`, `${queue.type} "${queue.name}"`, `${role.type} "${role.name}"`].sort(),
      );
      const about = (r: ResourceRecord) => errors.find((f) => f.resource === `${r.type} "${r.name}"`)!.message;
      expect(about(queue)).toMatch(/expected message_retention_seconds to be in the range \(60 - 1209600\), got 1209601/);
      expect(about(role)).toMatch(/"assume_role_policy" contains an invalid JSON policy/);
      expect(about(key)).toMatch(/expected deletion_window_in_days to be in the range \(7 - 30\), got 3/);
      expect(summaryLine([c])).toMatch(/^provider-check: 1 stacks, \d+ resources, 3 errors, 0 warnings$/);
    },
    LONG,
  );
});
