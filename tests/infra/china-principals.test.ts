/**
 * Service principals where the pinned provider's table (tools/mocks.ts servicePrincipalSuffix) and
 * AWS's China documentation meet the program: EC2 trusts (`ec2.amazonaws.com.cn`), the S3
 * replication trust (AWS's China S3 guide: `s3.amazonaws.com`) and iam:PassedToService for
 * CloudWatch Logs (every form; AWS does not say which IAM presents in China).
 */
import { ofType, policyOf, runStack, StackRun } from "../../tools/harness";

let primary: StackRun;
beforeAll(async () => {
  primary = await runStack("cn-north-1");
}, 300_000);

const trustServices = (run: StackRun, nameSuffix: string) => {
  const role = ofType(run, "aws:iam/role:Role").find((r) => r.name.endsWith(nameSuffix))!;
  return policyOf(role, "assumeRolePolicy").Statement.map((s: any) => s.Principal.Service);
};

describe("service principals in China", () => {
  test("EC2 instance roles trust ec2.amazonaws.com.cn, the provider's aws-cn name", () => {
    expect(trustServices(primary, "log-archive-agent-role")).toEqual(["ec2.amazonaws.com.cn"]);
    const ec2Trusts = ofType(primary, "aws:iam/role:Role").filter((r) => JSON.stringify(policyOf(r, "assumeRolePolicy")).includes("ec2.amazonaws"));
    expect(ec2Trusts.length).toBeGreaterThan(0);
    for (const r of ec2Trusts) expect(JSON.stringify(policyOf(r, "assumeRolePolicy"))).not.toContain('"ec2.amazonaws.com"');
  });

  test("the S3 replication role trusts s3.amazonaws.com, as AWS's China S3 guide documents, not the provider's s3.amazonaws.com.cn", () => {
    expect(trustServices(primary, "log-archive-replication-role")).toEqual(["s3.amazonaws.com"]);
  });

  test("the subscriber may pass its role to CloudWatch Logs under every name Logs has in China, and nothing else", () => {
    const policy = ofType(primary, "aws:iam/rolePolicy:RolePolicy").find((r) => r.name === "log-archive-subscriber-policy")!;
    const pass = policyOf(policy).Statement.find((s: any) => s.Sid === "PassCloudWatchLogsRole");
    expect(pass.Condition.StringEquals["iam:PassedToService"]).toEqual(["logs.amazonaws.com", "logs.amazonaws.com.cn", "logs.cn-north-1.amazonaws.com.cn"]);
  });
});
