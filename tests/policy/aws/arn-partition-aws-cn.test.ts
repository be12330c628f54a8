import { arnPartitionAwsCn } from "../../../policy-pack/aws/arn-partition-aws-cn";
import { ACCOUNT, BACKUP_REGION, res, runOne, UNKNOWN } from "../helpers";

describe("aws-arn-partition-aws-cn", () => {
  it("passes aws-cn ARNs, also inside JSON policy documents and with unknown parts in preview", async () => {
    const { result, messages } = await runOne(
      arnPartitionAwsCn,
      [
        res("aws:iam/rolePolicy:RolePolicy", "p", {
          role: "r",
          policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws-cn:s3:::archive/*" }] }),
        }),
        res("aws:lambda/function:Function", "f", {
          role: UNKNOWN,
          environment: { variables: { DEST_VAULT_ARN: `arn:aws-cn:backup:${BACKUP_REGION}:${ACCOUNT}:backup-vault:dest`, TABLE: UNKNOWN } },
        }),
      ],
      { preview: true },
    );
    expect(messages).toEqual([]);
    expect(result.skipped).toEqual([]);
    expect(result.examined).toBe(2);
  });

  it("reports ARNs in another partition, wherever they are", async () => {
    const { messages } = await runOne(arnPartitionAwsCn, [
      res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "a", { role: "r", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }),
      res("aws:iam/rolePolicy:RolePolicy", "p", {
        role: "r",
        policy: { Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: ["arn:aws-cn:s3:::ok/*", "arn:aws:s3:::global/*"] }] },
      }),
    ]);
    expect(messages).toEqual([
      'RolePolicyAttachment "a" policyArn names arn:aws:iam::aws:policy/ReadOnlyAccess in partition "aws"; it must be in aws-cn.',
      'RolePolicy "p" policy.Statement[0].Resource[1] names arn:aws:s3:::global/* in partition "aws"; it must be in aws-cn.',
    ]);
  });
});
