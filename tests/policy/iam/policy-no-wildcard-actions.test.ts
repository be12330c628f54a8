import { iamNoWildcardActions } from "../../../policy-pack/iam/policy-no-wildcard-actions";
import { ACCOUNT, res, roleArn, runOne, UNKNOWN } from "../helpers";
import { BUCKET_POLICY, doc, lambdaTrust, ROLE, rolePolicy, sourceAccount } from "./documents";

describe("iam-policy-no-wildcard-actions", () => {
  it("passes exact actions, and Deny statements with wildcards", async () => {
    const { result, messages } = await runOne(iamNoWildcardActions, [
      rolePolicy(doc({ Effect: "Allow", Action: ["s3:PutObject", "s3:GetObject"], Resource: "arn:aws-cn:s3:::archive/*" })),
      res(BUCKET_POLICY, "bp", {
        bucket: "archive",
        policy: doc({ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
      }),
    ]);
    expect(messages).toEqual([]);
    expect(result.examined).toBe(2);
  });

  it("reports *, service:* and NotAction in Allow statements", async () => {
    const { messages } = await runOne(iamNoWildcardActions, [
      rolePolicy(
        doc(
          { Sid: "All", Effect: "Allow", Action: ["s3:*", "logs:PutLogEvents"], Resource: "*" },
          { Effect: "Allow", Action: "*", Resource: "*" },
          { Effect: "Allow", NotAction: "iam:*", Resource: "*" },
        ),
      ),
    ]);
    expect(messages).toEqual([
      'RolePolicy "fn-policy" policy: statement "All" allows "s3:*"; list the exact actions instead.',
      'RolePolicy "fn-policy" policy: statement #2 allows "*"; list the exact actions instead.',
      'RolePolicy "fn-policy" policy: statement #3 allows everything except its NotAction list; use Action with the exact actions instead.',
    ]);
  });

  it("in preview, decides from the known actions when the resources are unknown", async () => {
    const { result, messages } = await runOne(
      iamNoWildcardActions,
      [rolePolicy(doc({ Effect: "Allow", Action: ["sqs:*"], Resource: [UNKNOWN] }, { Effect: "Allow", Action: ["sqs:SendMessage"], Resource: [UNKNOWN] }))],
      { preview: true },
    );
    expect(result.skipped).toEqual([]);
    expect(messages).toEqual(['RolePolicy "fn-policy" policy: statement #1 allows "sqs:*"; list the exact actions instead.']);
  });

  it("checks a role's inline policies and leaves KMS key policies to the KMS policy", async () => {
    const { result, messages } = await runOne(iamNoWildcardActions, [
      res(ROLE, "r", {
        assumeRolePolicy: JSON.stringify(lambdaTrust(sourceAccount)),
        inlinePolicies: [{ name: "p", policy: JSON.stringify(doc({ Effect: "Allow", Action: "dynamodb:*", Resource: "*" })) }],
      }),
      res("aws:kms/key:Key", "k", { policy: doc({ Effect: "Allow", Principal: { AWS: `arn:aws-cn:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" }) }),
    ]);
    expect(messages).toEqual(['Role "r" inlinePolicies[0].policy: statement #1 allows "dynamodb:*"; list the exact actions instead.']);
    expect(result.examinedResources).toEqual([`${ROLE} r`]);
  });
});

/**
 * Preview of a new stack: documents built with infra/iam.ts `policyDocument` reach the pack as
 * objects whose ARN leaves are unknown. Each check must decide (nothing skipped), report the same
 * violations as with the ARNs known, and take the worst case for parts the program writes as
 * literals (Effect, Action, the principal, the condition) when one is unknown anyway.
 */
describe("iam-policy-no-wildcard-actions during preview (object documents with unknown leaves)", () => {
  const preview = { preview: true };
  const decided = (r: { result: { skipped: unknown[]; examined: number } }) => {
    expect(r.result.skipped).toEqual([]);
    expect(r.result.examined).toBe(1);
  };

  it("iam-policy-no-wildcard-actions: s3:* with an unknown Resource is still a violation; unknown actions or Effect are the worst case", async () => {
    const bp = res(BUCKET_POLICY, "bp", {
      bucket: UNKNOWN,
      policy: doc({ Effect: "Allow", Principal: { AWS: roleArn("reader") }, Action: "s3:*", Resource: [UNKNOWN, UNKNOWN] }),
    });
    const wild = await runOne(iamNoWildcardActions, [bp], preview);
    decided(wild);
    expect(wild.messages).toEqual(['BucketPolicy "bp" policy: statement #1 allows "s3:*"; list the exact actions instead.']);

    const exact = await runOne(iamNoWildcardActions, [rolePolicy(doc({ Effect: "Allow", Action: ["s3:GetObject"], Resource: [UNKNOWN] }))], preview);
    decided(exact);
    expect(exact.messages).toEqual([]);

    const unknownAction = await runOne(
      iamNoWildcardActions,
      [rolePolicy(doc({ Effect: "Allow", Action: ["s3:GetObject", UNKNOWN], Resource: [UNKNOWN] }))],
      preview,
    );
    decided(unknownAction);
    expect(unknownAction.messages).toEqual([
      'RolePolicy "fn-policy" policy: statement #1 allows actions that are unknown during preview (they could be "*"); write the exact actions as literals.',
    ]);

    const unknownEffect = await runOne(iamNoWildcardActions, [rolePolicy(doc({ Effect: UNKNOWN, Action: "dynamodb:*", Resource: [UNKNOWN] }))], preview);
    decided(unknownEffect);
    expect(unknownEffect.messages).toEqual(['RolePolicy "fn-policy" policy: statement #1 allows "dynamodb:*"; list the exact actions instead.']);
  });
});
