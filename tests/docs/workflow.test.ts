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
