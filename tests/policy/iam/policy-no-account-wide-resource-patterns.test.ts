import { accountWidePattern, iamNoAccountWideResources } from "../../../policy-pack/iam/policy-no-account-wide-resource-patterns";
import { ACCOUNT, res, runOne, UNKNOWN } from "../helpers";

const RP = "aws:iam/rolePolicy:RolePolicy";
const doc = (sid: string, action: string[], resource: any[]) => ({
  Version: "2012-10-17",
  Statement: [{ Sid: sid, Effect: "Allow", Action: action, Resource: resource }],
});

describe("accountWidePattern", () => {
  it("recognises patterns over every bucket, key, table, queue (and every account), not narrower ones", () => {
    expect(accountWidePattern("arn:aws-cn:s3:::*")?.kind).toBe("s3");
    expect(accountWidePattern("arn:aws-cn:s3:::*/audit-logs/*")?.kind).toBe("s3");
    expect(accountWidePattern(`arn:aws-cn:kms:cn-north-1:${ACCOUNT}:key/*`)?.kind).toBe("kms:key");
    expect(accountWidePattern(`arn:aws-cn:dynamodb:cn-north-1:${ACCOUNT}:table/*`)?.kind).toBe("dynamodb:table");
    expect(accountWidePattern(`arn:aws-cn:sqs:cn-north-1:${ACCOUNT}:*`)?.kind).toBe("sqs");
    expect(accountWidePattern("arn:aws-cn:dynamodb:cn-north-1:*:table/files")?.why).toBe("every account");
    expect(accountWidePattern("arn:aws-cn:s3:::archive/*")).toBeUndefined();
    expect(accountWidePattern(`arn:aws-cn:dynamodb:cn-north-1:${ACCOUNT}:table/files/stream/*`)).toBeUndefined();
    expect(accountWidePattern(`arn:aws-cn:logs:cn-north-1:${ACCOUNT}:log-group:/cn-log-backup/*`)).toBeUndefined();
  });
});

describe("iam-policy-no-account-wide-resource-patterns", () => {
  it("passes named resources, unknown ARN leaves in preview, and wildcard-only actions", async () => {
    for (const preview of [false, true]) {
      const { result, messages } = await runOne(
        iamNoAccountWideResources,
        [
          res(RP, "a", { role: "r", policy: doc("Write", ["s3:PutObject"], ["arn:aws-cn:s3:::archive/audit-logs/*", UNKNOWN]) }),
          res(RP, "b", { role: "r", policy: doc("List", ["s3:ListAllMyBuckets"], ["arn:aws-cn:s3:::*"]) }),
        ],
        { preview },
      );
      expect(messages).toEqual([]);
      expect(result.examined).toBe(2);
    }
  });

  it("reports every-bucket and every-table patterns for scoped actions, in both modes", async () => {
    for (const preview of [false, true]) {
      const { messages } = await runOne(
        iamNoAccountWideResources,
        [
          res(RP, "a", { role: "r", policy: doc("Write", ["s3:PutObject"], ["arn:aws-cn:s3:::*"]) }),
          res(RP, "b", { role: "r", policy: doc("Track", ["dynamodb:GetItem", "dynamodb:UpdateItem"], [`arn:aws-cn:dynamodb:cn-north-1:${ACCOUNT}:table/*`]) }),
        ],
        { preview },
      );
      expect(messages).toEqual([
        'RolePolicy "a" policy: statement "Write" allows s3:PutObject on arn:aws-cn:s3:::* (every bucket of the account); name the resources.',
        `RolePolicy "b" policy: statement "Track" allows dynamodb:GetItem, dynamodb:UpdateItem on arn:aws-cn:dynamodb:cn-north-1:${ACCOUNT}:table/* (every table of the account); name the resources.`,
      ]);
    }
  });

  it("exempts only statements allow-listed with a reason", async () => {
    const rec = res(RP, "sub", { role: "r", policy: doc("Subscribe", ["logs:PutSubscriptionFilter"], [`arn:aws-cn:logs:cn-north-1:${ACCOUNT}:log-group:*`]) });
    const withReason = {
      "iam-policy-no-account-wide-resource-patterns": { allowedStatements: [{ name: "sub/Subscribe", reason: "log groups created later are subscribed" }] },
    };
    expect((await runOne(iamNoAccountWideResources, [rec], { config: withReason })).messages).toEqual([]);
    const noReason = { "iam-policy-no-account-wide-resource-patterns": { allowedStatements: [{ name: "sub/Subscribe" }] } };
    expect((await runOne(iamNoAccountWideResources, [rec], { config: noReason })).messages).toHaveLength(1);
  });
});
