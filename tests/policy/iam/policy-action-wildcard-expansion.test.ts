import { iamActionWildcardExpansion } from "../../../policy-pack/iam/policy-action-wildcard-expansion";
import { res, runOne } from "../helpers";

const RP = "aws:iam/rolePolicy:RolePolicy";
const doc = (action: string[]) => ({
  Version: "2012-10-17",
  Statement: [{ Sid: "S", Effect: "Allow", Action: action, Resource: ["arn:aws-cn:s3:::archive/*"] }],
});

describe("iam-policy-action-wildcard-expansion", () => {
  it("passes exact actions and wildcards that expand to Read/List actions only", async () => {
    for (const preview of [false, true]) {
      const { result, messages } = await runOne(
        iamActionWildcardExpansion,
        [res(RP, "a", { role: "r", policy: doc(["s3:PutObject", "kms:Describe*", "s3:GetObject*"]) })],
        { preview },
      );
      expect(messages).toEqual([]);
      expect(result.examined).toBe(1);
    }
  });

  it("reports s3:Put* and dynamodb:*Item by what they expand to", async () => {
    for (const preview of [false, true]) {
      const { messages } = await runOne(iamActionWildcardExpansion, [res(RP, "a", { role: "r", policy: doc(["s3:Put*", "dynamodb:*Item"]) })], { preview });
      expect(messages).toHaveLength(2);
      expect(messages[0]).toMatch(/^RolePolicy "a" policy: statement "S" allows "s3:Put\*", which expands to s3:\w+ \(/);
      expect(messages[0]).toMatch(/permissions management/);
      expect(messages[1]).toMatch(
        /allows "dynamodb:\*Item", which expands to dynamodb:BatchWriteItem \(write\), dynamodb:DeleteItem \(write\), dynamodb:PutItem \(write\), dynamodb:UpdateItem \(write\)/,
      );
    }
  });

  it("allows a wildcard only when allow-listed with a reason", async () => {
    const rec = res(RP, "a", { role: "r", policy: doc(["kms:GenerateDataKey*"]) });
    expect((await runOne(iamActionWildcardExpansion, [rec])).messages).toHaveLength(1);
    const cfg = { "iam-policy-action-wildcard-expansion": { allowedWildcards: [{ name: "kms:GenerateDataKey*", reason: "AWS documents it for CloudTrail" }] } };
    expect((await runOne(iamActionWildcardExpansion, [rec], { config: cfg })).messages).toEqual([]);
  });
});
