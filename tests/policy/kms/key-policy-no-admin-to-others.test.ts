import { kmsNoKeyAdminToOthers } from "../../../policy-pack/kms/key-policy-no-admin-to-others";
import { ACCOUNT, res, runOne } from "../helpers";

const KEY = "aws:kms/key:Key";
const root = `arn:aws-cn:iam::${ACCOUNT}:root`;
const other = "arn:aws-cn:iam::210987654321:root";
const admin = { Sid: "AccountRootAdministers", Effect: "Allow", Principal: { AWS: root }, Action: "kms:*", Resource: "*" };
const key = (...statements: any[]) => res(KEY, "k", { policy: JSON.stringify({ Version: "2012-10-17", Statement: [admin, ...statements] }) });

describe("kms-key-policy-no-admin-to-others", () => {
  it("passes the own root's kms:*, own roles' admin, cryptographic actions for others, and CreateGrant for AWS resources", async () => {
    for (const preview of [false, true]) {
      const { result, messages } = await runOne(
        kmsNoKeyAdminToOthers,
        [
          key(
            { Sid: "Role", Effect: "Allow", Principal: { AWS: `arn:aws-cn:iam::${ACCOUNT}:role/admin` }, Action: ["kms:PutKeyPolicy"], Resource: "*" },
            { Sid: "Other", Effect: "Allow", Principal: { AWS: other }, Action: ["kms:Encrypt", "kms:GenerateDataKey*"], Resource: "*" },
            {
              Sid: "Grants",
              Effect: "Allow",
              Principal: { AWS: other },
              Action: ["kms:CreateGrant"],
              Resource: "*",
              Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
            },
            {
              Sid: "Logs",
              Effect: "Allow",
              Principal: { Service: "logs.cn-north-1.amazonaws.com.cn" },
              Action: ["kms:Encrypt*", "kms:Decrypt*"],
              Resource: "*",
            },
          ),
          res(KEY, "default", {}),
        ],
        { preview },
      );
      expect(messages).toEqual([]);
      expect(result.examined).toBe(2);
    }
  });

  it("reports admin actions (expanded from wildcards) given to another account or a service", async () => {
    for (const preview of [false, true]) {
      const { messages } = await runOne(
        kmsNoKeyAdminToOthers,
        [
          key(
            { Sid: "OtherAll", Effect: "Allow", Principal: { AWS: other }, Action: "kms:*", Resource: "*" },
            { Sid: "LogsGrants", Effect: "Allow", Principal: { Service: "logs.cn-north-1.amazonaws.com.cn" }, Action: ["kms:Create*"], Resource: "*" },
            { Sid: "OtherDelete", Effect: "Allow", Principal: { AWS: other }, Action: ["kms:Schedule*"], Resource: "*" },
          ),
        ],
        { preview },
      );
      expect(messages).toEqual([
        `Key "k": statement "OtherAll" grants kms:CreateGrant, kms:PutKeyPolicy, kms:ScheduleKeyDeletion to ${other} (another account); key administration stays with the key's own account.`,
        `Key "k": statement "LogsGrants" grants kms:CreateGrant to service logs.cn-north-1.amazonaws.com.cn; key administration stays with the key's own account.`,
        `Key "k": statement "OtherDelete" grants kms:ScheduleKeyDeletion to ${other} (another account); key administration stays with the key's own account.`,
      ]);
    }
  });
});
