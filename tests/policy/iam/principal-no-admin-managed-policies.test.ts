import { adminManagedPolicyName, iamNoAdminManagedPolicies } from "../../../policy-pack/iam/principal-no-admin-managed-policies";
import { res, runOne, UNKNOWN } from "../helpers";
import { ROLE } from "./documents";

const ATT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";

describe("iam-principal-no-admin-managed-policies", () => {
  const ATTACH = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
  it("passes narrow managed policies", async () => {
    const { result, messages } = await runOne(iamNoAdminManagedPolicies, [
      res(ATTACH, "ssm", { role: "r", policyArn: "arn:aws-cn:iam::aws:policy/AmazonSSMManagedInstanceCore" }),
      res(ROLE, "r", { assumeRolePolicy: "{}", managedPolicyArns: ["arn:aws-cn:iam::aws:policy/CloudWatchAgentServerPolicy"] }),
    ]);
    expect(messages).toEqual([]);
    expect(result.examined).toBe(2);
  });

  it("reports AdministratorAccess, PowerUserAccess and *FullAccess unless allow-listed", async () => {
    const records = [
      res(ATTACH, "admin", { role: "r", policyArn: "arn:aws-cn:iam::aws:policy/AdministratorAccess" }),
      res(ATTACH, "s3full", { role: "r", policyArn: "arn:aws-cn:iam::aws:policy/AmazonS3FullAccess" }),
      res(ROLE, "r", { assumeRolePolicy: "{}", managedPolicyArns: ["arn:aws-cn:iam::aws:policy/PowerUserAccess"] }),
    ];
    expect((await runOne(iamNoAdminManagedPolicies, records)).messages).toEqual([
      'RolePolicyAttachment "admin" attaches the AWS managed policy AdministratorAccess, which grants admin, full or read-everything access; use an inline least-privilege policy instead.',
      'RolePolicyAttachment "s3full" attaches the AWS managed policy AmazonS3FullAccess, which grants admin, full or read-everything access; use an inline least-privilege policy instead.',
      'Role "r" attaches the AWS managed policy PowerUserAccess, which grants admin, full or read-everything access; use an inline least-privilege policy instead.',
    ]);
    expect(
      (
        await runOne(iamNoAdminManagedPolicies, records, {
          config: { "iam-principal-no-admin-managed-policies": { allowedPolicies: ["AmazonS3FullAccess", "PowerUserAccess"] } },
        })
      ).messages,
    ).toHaveLength(1);
  });

  it("in preview, an unknown policy ARN is a customer-managed policy created in this deployment, not an AWS managed one", async () => {
    const { result, messages } = await runOne(iamNoAdminManagedPolicies, [res(ATTACH, "custom", { role: UNKNOWN, policyArn: UNKNOWN })], { preview: true });
    expect(messages).toEqual([]);
    expect(result.skipped).toEqual([]);
    expect(result.examined).toBe(1);
  });
});

describe("iam-principal-no-admin-managed-policies (read-everything too)", () => {
  it("names read-everything policies and leaves scoped service policies alone", () => {
    expect(adminManagedPolicyName("arn:aws-cn:iam::aws:policy/ReadOnlyAccess")).toBe("ReadOnlyAccess");
    expect(adminManagedPolicyName("arn:aws-cn:iam::aws:policy/job-function/ViewOnlyAccess")).toBe("ViewOnlyAccess");
    expect(adminManagedPolicyName("arn:aws-cn:iam::aws:policy/SecurityAudit")).toBe("SecurityAudit");
    expect(adminManagedPolicyName("arn:aws-cn:iam::aws:policy/AmazonS3ReadOnlyAccess")).toBe("AmazonS3ReadOnlyAccess");
    expect(adminManagedPolicyName("arn:aws-cn:iam::aws:policy/CloudWatchAgentServerPolicy")).toBeUndefined();
    expect(adminManagedPolicyName("arn:aws-cn:iam::aws:policy/AmazonSSMManagedInstanceCore")).toBeUndefined();
  });

  it("reports an attached ReadOnlyAccess in both modes", async () => {
    for (const preview of [false, true]) {
      expect(
        (await runOne(iamNoAdminManagedPolicies, [res(ATT, "a", { role: "r", policyArn: "arn:aws-cn:iam::aws:policy/ReadOnlyAccess" })], { preview })).messages,
      ).toEqual([
        'RolePolicyAttachment "a" attaches the AWS managed policy ReadOnlyAccess, which grants admin, full or read-everything access; use an inline least-privilege policy instead.',
      ]);
    }
  });
});
