import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { STACKS } from "../../tools/harness";

const wf = yaml.load(fs.readFileSync(path.join(__dirname, "../../.github/workflows/pull-request.yml"), "utf8")) as any;

describe(".github/workflows/pull-request.yml", () => {
  test("runs on pull requests", () => {
    expect(Object.keys(wf.on)).toContain("pull_request");
  });

  test("the offline job installs, tests and plans with no secrets", () => {
    const runs = wf.jobs.test.steps.map((s: any) => s.run).filter(Boolean);
    expect(runs).toEqual(expect.arrayContaining(["npm ci", "npm test", "npm run plan"]));
    expect(JSON.stringify(wf.jobs.test)).not.toContain("secrets.");
  });

  test("requires moto and Terraform with the provider mirror (a skip fails) and checks the variants against the provider", () => {
    const job = wf.jobs.test;
    expect(job.env).toMatchObject({ CN_LOG_BACKUP_REQUIRE_MOTO: "1", CN_LOG_BACKUP_REQUIRE_TERRAFORM: "1" });
    const runs: string[] = job.steps.map((s: any) => s.run).filter(Boolean);
    expect(runs).toContain("pip install 'moto[server]'");
    expect(job.steps.find((s: any) => String(s.uses).startsWith("hashicorp/setup-terraform@")).with.terraform_version).toMatch(/^1\.11\./);
    const mirror = runs.find((r) => r.includes("terraform-provider-aws_5.100.0_linux_amd64.zip"))!;
    expect(mirror).toContain('echo "CN_LOG_BACKUP_TF_PLUGINS=$RUNNER_TEMP/tf-plugins" >> "$GITHUB_ENV"');
    expect(mirror).toContain("$RUNNER_TEMP/tf-plugins/registry.terraform.io/hashicorp/aws/5.100.0/linux_amd64");
    expect(runs.indexOf('npm run provider-check -- --skip-variant "stack files"')).toBeGreaterThan(runs.indexOf("npm test"));
  });

  test("previews both stacks, with the policy pack and a PR comment", () => {
    const job = wf.jobs.preview;
    expect(job.strategy.matrix.include.map((m: any) => m.stack).sort()).toEqual([...STACKS].sort());
    for (const m of job.strategy.matrix.include) expect(m.region).toBe(m.stack);
    const pulumi = job.steps.find((s: any) => String(s.uses).startsWith("pulumi/actions@"));
    expect(pulumi.with.command).toBe("preview");
    expect(pulumi.with["stack-name"]).toContain("matrix.stack");
    expect(pulumi.with.policyPacks).toBe("policy-pack");
    expect(pulumi.with["comment-on-pr"]).toBe(true);
  });

  test("gets China credentials by OIDC with the aws-cn STS audience", () => {
    const job = wf.jobs.preview;
    expect(job.permissions["id-token"]).toBe("write");
    const creds = job.steps.find((s: any) => String(s.uses).startsWith("aws-actions/configure-aws-credentials@"));
    expect(creds.with.audience).toBe("sts.amazonaws.com.cn");
    expect(creds.with["aws-region"]).toBe("${{ matrix.region }}");
  });
});
