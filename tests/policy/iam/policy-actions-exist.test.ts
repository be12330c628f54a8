import { iamActionsExist } from "../../../policy-pack/iam/policy-actions-exist";
import { res, runOne, UNKNOWN } from "../helpers";
import { doc, lambdaTrust, QUEUE_POLICY, ROLE, ROLE_POLICY, rolePolicy, sourceAccount } from "./documents";

describe("iam-policy-actions-exist", () => {
  it("passes real actions in identity, trust and resource policies", async () => {
    const { result, messages } = await runOne(iamActionsExist, [
      rolePolicy(doc({ Effect: "Allow", Action: ["s3:PutObject", "s3:Get*", "kms:GenerateDataKey*"], Resource: "*" })),
      res(ROLE, "r", { assumeRolePolicy: lambdaTrust(sourceAccount) }),
      res(QUEUE_POLICY, "qp", {
        queueUrl: "u",
        policy: doc({ Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sqs:SendMessage", Resource: "*" }),
      }),
    ]);
    expect(messages).toEqual([]);
    expect(result.examined).toBe(3);
  });

  it("reports a typo, an unknown service, a wildcard matching nothing and invalid JSON, in Allow and Deny", async () => {
    const { messages } = await runOne(iamActionsExist, [
      rolePolicy(
        doc(
          { Effect: "Allow", Action: ["s3:GetObjekt", "s4:GetObject", "s3:Frobnicate*"], Resource: "*" },
          { Effect: "Deny", NotAction: "backup:DeleteRecoveryPoints", Resource: "*" },
        ),
      ),
      res(ROLE_POLICY, "bad-json", { role: "r", policy: "{not json" }),
    ]);
    expect(messages).toEqual([
      'RolePolicy "fn-policy" policy: statement #1: action "s3:GetObjekt" does not exist in AWS\'s IAM catalogue.',
      'RolePolicy "fn-policy" policy: statement #1: service prefix "s4" does not exist in AWS\'s IAM catalogue.',
      'RolePolicy "fn-policy" policy: statement #1: "s3:Frobnicate*" matches no s3 action in AWS\'s IAM catalogue.',
      'RolePolicy "fn-policy" policy: statement #2: action "backup:DeleteRecoveryPoints" does not exist in AWS\'s IAM catalogue.',
      'RolePolicy "bad-json" policy is not valid JSON.',
    ]);
  });

  it("in preview, checks a known document next to an unknown one and reports the unknown one as skipped", async () => {
    const { result, messages } = await runOne(
      iamActionsExist,
      [
        res(ROLE, "r", {
          assumeRolePolicy: doc({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRol" }),
          inlinePolicies: [{ name: "p", policy: UNKNOWN }],
        }),
      ],
      { preview: true },
    );
    expect(messages).toEqual(['Role "r" assumeRolePolicy: statement #1: action "sts:AssumeRol" does not exist in AWS\'s IAM catalogue.']);
    expect(result.skipped).toEqual([
      {
        urn: expect.stringContaining("Role::r"),
        resourceName: "r",
        message:
          "can't run policy 'iam-policy-actions-exist' from policy pack 'cn-log-backup' during preview: string value at .inlinePolicies.0.policy can't be known during preview",
      },
    ]);
  });
});

/**
 * Preview of a new stack: documents built with infra/iam.ts `policyDocument` reach the pack as
 * objects whose ARN leaves are unknown. Each check must decide (nothing skipped), report the same
 * violations as with the ARNs known, and take the worst case for parts the program writes as
 * literals (Effect, Action, the principal, the condition) when one is unknown anyway.
 */
describe("iam-policy-actions-exist during preview (object documents with unknown leaves)", () => {
  const preview = { preview: true };
  const decided = (r: { result: { skipped: unknown[]; examined: number } }) => {
    expect(r.result.skipped).toEqual([]);
    expect(r.result.examined).toBe(1);
  };

  it("iam-policy-actions-exist: a typo next to unknown ARNs is a violation, and so is an Action it cannot read", async () => {
    const typo = await runOne(
      iamActionsExist,
      [
        res(QUEUE_POLICY, "qp", {
          queueUrl: UNKNOWN,
          policy: doc({
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: "sqs:SendMesage",
            Resource: [UNKNOWN],
            Condition: { ArnEquals: { "aws:SourceArn": [UNKNOWN] } },
          }),
        }),
      ],
      preview,
    );
    decided(typo);
    expect(typo.messages).toEqual(['QueuePolicy "qp" policy: statement #1: action "sqs:SendMesage" does not exist in AWS\'s IAM catalogue.']);

    const fine = await runOne(
      iamActionsExist,
      [res(ROLE, "r", { assumeRolePolicy: lambdaTrust({ StringEquals: { "aws:SourceAccount": UNKNOWN } }) })],
      preview,
    );
    decided(fine);
    expect(fine.messages).toEqual([]);

    const unread = await runOne(iamActionsExist, [rolePolicy(doc({ Effect: "Deny", NotAction: [UNKNOWN], Resource: [UNKNOWN] }))], preview);
    decided(unread);
    expect(unread.messages).toEqual([
      'RolePolicy "fn-policy" policy: statement #1: NotAction is unknown during preview, so it cannot be checked against AWS\'s IAM catalogue; write the actions as literals.',
    ]);
  });
});
