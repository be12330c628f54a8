import { iamPassRoleRestricted } from "../../../policy-pack/iam/policy-passrole-restricted";
import { ACCOUNT, res, roleArn, runOne, UNKNOWN } from "../helpers";
import { doc, rolePolicy } from "./documents";

const RP = "aws:iam/rolePolicy:RolePolicy";

const pass = (extra: Record<string, any>) => ({ Statement: [{ Sid: "Pass", Effect: "Allow", Action: "iam:PassRole", Resource: [roleArn("copy")], ...extra }] });

describe("iam-policy-passrole-restricted", () => {
  it("passes PassRole on a named role with iam:PassedToService (role ARN unknown in preview)", async () => {
    const st = {
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: roleArn("backup-role"),
      Condition: { StringEquals: { "iam:PassedToService": "backup.amazonaws.com" } },
    };
    expect((await runOne(iamPassRoleRestricted, [rolePolicy(doc(st))])).messages).toEqual([]);
    const preview = await runOne(iamPassRoleRestricted, [rolePolicy(doc({ ...st, Resource: UNKNOWN }))], { preview: true });
    expect(preview.messages).toEqual([]);
    expect(preview.result.examined).toBe(1);
  });

  it("reports PassRole without the condition and on wildcard roles, also through iam:Pass*", async () => {
    const { messages } = await runOne(iamPassRoleRestricted, [
      rolePolicy(doc({ Effect: "Allow", Action: "iam:Pass*", Resource: `arn:aws-cn:iam::${ACCOUNT}:role/*` })),
    ]);
    expect(messages).toEqual([
      'RolePolicy "fn-policy" policy: statement #1 allows iam:PassRole without an iam:PassedToService condition.',
      `RolePolicy "fn-policy" policy: statement #1 allows iam:PassRole on "arn:aws-cn:iam::${ACCOUNT}:role/*"; name the role ARN(s).`,
    ]);
  });
});

describe("iam-policy-passrole-restricted (tightened)", () => {
  it("passes StringEquals iam:PassedToService with a named service", async () => {
    for (const preview of [false, true]) {
      expect(
        (
          await runOne(
            iamPassRoleRestricted,
            [res(RP, "p", { role: "r", policy: pass({ Condition: { StringEquals: { "iam:PassedToService": "backup.amazonaws.com" } } }) })],
            { preview },
          )
        ).messages,
      ).toEqual([]);
    }
  });

  it("reports a wildcard or negated iam:PassedToService, and a NotAction that lets PassRole through", async () => {
    for (const preview of [false, true]) {
      const wild = await runOne(
        iamPassRoleRestricted,
        [res(RP, "p", { role: "r", policy: pass({ Condition: { StringLike: { "iam:PassedToService": "*" } } }) })],
        { preview },
      );
      expect(wild.messages).toEqual([
        'RolePolicy "p" policy: statement "Pass" allows iam:PassRole with StringLike iam:PassedToService ["*"], which does not name the service; use StringEquals with the service principal.',
      ]);
      const not = await runOne(
        iamPassRoleRestricted,
        [res(RP, "p", { role: "r", policy: pass({ Condition: { StringNotEquals: { "iam:PassedToService": "ec2.amazonaws.com.cn" } } }) })],
        { preview },
      );
      expect(not.messages).toHaveLength(1);
      const notAction = await runOne(
        iamPassRoleRestricted,
        [res(RP, "p", { role: "r", policy: { Statement: [{ Sid: "N", Effect: "Allow", NotAction: ["s3:*"], Resource: [roleArn("x")] }] } })],
        { preview },
      );
      expect(notAction.messages).toEqual(['RolePolicy "p" policy: statement "N" allows iam:PassRole without an iam:PassedToService condition.']);
    }
  });
});

/**
 * Preview of a new stack: documents built with infra/iam.ts `policyDocument` reach the pack as
 * objects whose ARN leaves are unknown. Each check must decide (nothing skipped), report the same
 * violations as with the ARNs known, and take the worst case for parts the program writes as
 * literals (Effect, Action, the principal, the condition) when one is unknown anyway.
 */
describe("iam-policy-passrole-restricted during preview (object documents with unknown leaves)", () => {
  const preview = { preview: true };
  const decided = (r: { result: { skipped: unknown[]; examined: number } }) => {
    expect(r.result.skipped).toEqual([]);
    expect(r.result.examined).toBe(1);
  };

  it("iam-policy-passrole-restricted: PassRole on an unknown role ARN still needs iam:PassedToService; unknown actions may be PassRole", async () => {
    const condition = { StringEquals: { "iam:PassedToService": "backup.amazonaws.com" } };
    const ok = await runOne(
      iamPassRoleRestricted,
      [rolePolicy(doc({ Effect: "Allow", Action: "iam:PassRole", Resource: [UNKNOWN], Condition: condition }))],
      preview,
    );
    decided(ok);
    expect(ok.messages).toEqual([]);

    const bad = await runOne(
      iamPassRoleRestricted,
      [rolePolicy(doc({ Effect: "Allow", Action: "iam:PassRole", Resource: [UNKNOWN, `arn:aws-cn:iam::${ACCOUNT}:role/*`] }))],
      preview,
    );
    decided(bad);
    expect(bad.messages).toEqual([
      'RolePolicy "fn-policy" policy: statement #1 allows iam:PassRole without an iam:PassedToService condition.',
      `RolePolicy "fn-policy" policy: statement #1 allows iam:PassRole on "arn:aws-cn:iam::${ACCOUNT}:role/*"; name the role ARN(s).`,
    ]);

    const unknownAction = await runOne(iamPassRoleRestricted, [rolePolicy(doc({ Effect: "Allow", Action: [UNKNOWN], Resource: [UNKNOWN] }))], preview);
    decided(unknownAction);
    expect(unknownAction.messages).toEqual([
      'RolePolicy "fn-policy" policy: statement #1 allows actions unknown during preview (possibly iam:PassRole) without an iam:PassedToService condition.',
    ]);
  });
});
