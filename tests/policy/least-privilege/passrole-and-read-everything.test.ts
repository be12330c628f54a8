/** The tightened existing policies: iam:PassRole always scoped by iam:PassedToService, and read-everything managed policies. */
import { adminManagedPolicyName, iamNoAdminManagedPolicies, iamPassRoleRestricted } from "../../../policy-pack/least-privilege";
import { res, roleArn, runOne } from "../helpers";

const RP = "aws:iam/rolePolicy:RolePolicy";
const ATT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const pass = (extra: Record<string, any>) => ({ Statement: [{ Sid: "Pass", Effect: "Allow", Action: "iam:PassRole", Resource: [roleArn("copy")], ...extra }] });

describe("iam-passrole-restricted (tightened)", () => {
    it("passes StringEquals iam:PassedToService with a named service", async () => {
        for (const preview of [false, true]) {
            expect((await runOne(iamPassRoleRestricted, [res(RP, "p", { role: "r", policy: pass({ Condition: { StringEquals: { "iam:PassedToService": "backup.amazonaws.com" } } }) })], { preview })).messages).toEqual([]);
        }
    });

    it("reports a wildcard or negated iam:PassedToService, and a NotAction that lets PassRole through", async () => {
        for (const preview of [false, true]) {
            const wild = await runOne(iamPassRoleRestricted, [res(RP, "p", { role: "r", policy: pass({ Condition: { StringLike: { "iam:PassedToService": "*" } } }) })], { preview });
            expect(wild.messages).toEqual(['RolePolicy "p" policy: statement "Pass" allows iam:PassRole with StringLike iam:PassedToService ["*"], which does not name the service; use StringEquals with the service principal.']);
            const not = await runOne(iamPassRoleRestricted, [res(RP, "p", { role: "r", policy: pass({ Condition: { StringNotEquals: { "iam:PassedToService": "ec2.amazonaws.com.cn" } } }) })], { preview });
            expect(not.messages).toHaveLength(1);
            const notAction = await runOne(iamPassRoleRestricted, [res(RP, "p", { role: "r", policy: { Statement: [{ Sid: "N", Effect: "Allow", NotAction: ["s3:*"], Resource: [roleArn("x")] }] } })], { preview });
            expect(notAction.messages).toEqual(['RolePolicy "p" policy: statement "N" allows iam:PassRole without an iam:PassedToService condition.']);
        }
    });
});

describe("iam-no-admin-managed-policies (read-everything too)", () => {
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
            expect((await runOne(iamNoAdminManagedPolicies, [res(ATT, "a", { role: "r", policyArn: "arn:aws-cn:iam::aws:policy/ReadOnlyAccess" })], { preview })).messages).toEqual([
                'RolePolicyAttachment "a" attaches the AWS managed policy ReadOnlyAccess, which grants admin, full or read-everything access; use an inline least-privilege policy instead.',
            ]);
        }
    });
});
