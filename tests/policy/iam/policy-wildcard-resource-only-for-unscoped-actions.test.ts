import { iamWildcardResourceOnlyForUnscopedActions } from "../../../policy-pack/iam/policy-wildcard-resource-only-for-unscoped-actions";
import { runOne, UNKNOWN } from "../helpers";
import { doc, rolePolicy } from "./documents";

describe("iam-policy-wildcard-resource-only-for-unscoped-actions", () => {
  it("passes Resource * for actions without resource-level permissions (from AWS's catalogue)", async () => {
    const { result, messages } = await runOne(iamWildcardResourceOnlyForUnscopedActions, [
      rolePolicy(
        doc({ Effect: "Allow", Action: ["logs:DescribeLogGroups", "ec2:DescribeInstances", "s3:ListAllMyBuckets", "kms:ListAliases"], Resource: "*" }),
      ),
    ]);
    expect(messages).toEqual([]);
    expect(result.examined).toBe(1);
  });

  it("reports actions that support resource-level permissions, including those a wildcard expands to", async () => {
    const { messages } = await runOne(iamWildcardResourceOnlyForUnscopedActions, [
      rolePolicy(doc({ Sid: "Scan", Effect: "Allow", Action: ["rds:DescribeDBInstances", "logs:DescribeLogGroups", "backup:StartCopyJob"], Resource: "*" })),
    ]);
    expect(messages).toEqual([
      'RolePolicy "fn-policy" policy: statement "Scan" uses Resource "*" for actions that support resource-level permissions: rds:DescribeDBInstances, backup:StartCopyJob; name their resources.',
    ]);
    const wild = await runOne(iamWildcardResourceOnlyForUnscopedActions, [rolePolicy(doc({ Effect: "Allow", Action: "rds:DescribeDBLog*", Resource: "*" }))]);
    expect(wild.messages).toEqual([expect.stringContaining("rds:DescribeDBLog* (rds:DescribeDBLogFiles)")]);
  });

  it("accepts an allow-listed action and ignores statements with named resources (unknown in preview)", async () => {
    const cfg = { "iam-policy-wildcard-resource-only-for-unscoped-actions": { allowedActions: ["cloudwatch:PutMetricData"] } };
    expect(
      (
        await runOne(iamWildcardResourceOnlyForUnscopedActions, [rolePolicy(doc({ Effect: "Allow", Action: "cloudwatch:PutMetricData", Resource: "*" }))], {
          config: cfg,
        })
      ).messages,
    ).toEqual([]);
    const preview = await runOne(
      iamWildcardResourceOnlyForUnscopedActions,
      [rolePolicy(doc({ Effect: "Allow", Action: "rds:DescribeDBLogFiles", Resource: [UNKNOWN] }))],
      { preview: true },
    );
    expect(preview.messages).toEqual([]);
    expect(preview.result.skipped).toEqual([]);
    expect(preview.result.examined).toBe(1);
  });
});

/**
 * Preview of a new stack: documents built with infra/iam.ts `policyDocument` reach the pack as
 * objects whose ARN leaves are unknown. Each check must decide (nothing skipped), report the same
 * violations as with the ARNs known, and take the worst case for parts the program writes as
 * literals (Effect, Action, the principal, the condition) when one is unknown anyway.
 */
describe("iam-policy-wildcard-resource-only-for-unscoped-actions during preview (object documents with unknown leaves)", () => {
  const preview = { preview: true };
  const decided = (r: { result: { skipped: unknown[]; examined: number } }) => {
    expect(r.result.skipped).toEqual([]);
    expect(r.result.examined).toBe(1);
  };

  it('iam-policy-wildcard-resource-only-for-unscoped-actions: an unknown Resource is never "*"; Resource "*" with unknown actions is a violation', async () => {
    const named = await runOne(
      iamWildcardResourceOnlyForUnscopedActions,
      [rolePolicy(doc({ Effect: "Allow", Action: "rds:DescribeDBInstances", Resource: UNKNOWN }))],
      preview,
    );
    decided(named);
    expect(named.messages).toEqual([]);

    const scoped = await runOne(
      iamWildcardResourceOnlyForUnscopedActions,
      [
        rolePolicy(
          doc({ Effect: "Allow", Action: ["logs:PutLogEvents"], Resource: [UNKNOWN] }, { Effect: "Allow", Action: ["backup:StartCopyJob"], Resource: "*" }),
        ),
      ],
      preview,
    );
    decided(scoped);
    expect(scoped.messages).toEqual([
      'RolePolicy "fn-policy" policy: statement #2 uses Resource "*" for actions that support resource-level permissions: backup:StartCopyJob; name their resources.',
    ]);

    const unknownActions = await runOne(
      iamWildcardResourceOnlyForUnscopedActions,
      [rolePolicy(doc({ Effect: "Allow", Action: UNKNOWN, Resource: "*" }))],
      preview,
    );
    decided(unknownActions);
    expect(unknownActions.messages).toEqual([
      'RolePolicy "fn-policy" policy: statement #1 uses Resource "*" for actions that support resource-level permissions: actions unknown during preview; name their resources.',
    ]);
  });
});
