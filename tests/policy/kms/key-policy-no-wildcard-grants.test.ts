import { kmsKeyPolicyNoWildcardGrants } from "../../../policy-pack/kms/key-policy-no-wildcard-grants";
import { ACCOUNT, res, runOne, UNKNOWN } from "../helpers";

const KEY = "aws:kms/key:Key";

const KEY_POLICY = "aws:kms/keyPolicy:KeyPolicy";

const root = `arn:aws-cn:iam::${ACCOUNT}:root`;

describe("kms-key-policy-no-wildcard-grants", () => {
  const rootStatement = { Sid: "Root", Effect: "Allow", Principal: { AWS: root }, Action: "kms:*", Resource: "*" };

  it("passes kms:* for the account root and scoped grants for others", async () => {
    const doc = {
      Version: "2012-10-17",
      Statement: [
        rootStatement,
        { Sid: "Logs", Effect: "Allow", Principal: { Service: "logs.cn-north-1.amazonaws.com.cn" }, Action: ["kms:Encrypt*", "kms:Decrypt*"], Resource: "*" },
      ],
    };
    const { result, messages } = await runOne(kmsKeyPolicyNoWildcardGrants, [
      res(KEY, "k", { policy: JSON.stringify(doc) }),
      res(KEY_POLICY, "kp", { keyId: "k", policy: doc }),
    ]);
    expect(messages).toEqual([]);
    expect(result.examined).toBe(2);
  });

  it("reports kms:* for a role, a service, and *", async () => {
    const doc = {
      Statement: [
        rootStatement,
        { Sid: "Admin", Effect: "Allow", Principal: { AWS: `arn:aws-cn:iam::${ACCOUNT}:role/ops` }, Action: "kms:*", Resource: "*" },
        { Effect: "Allow", Principal: "*", Action: "*", Resource: "*" },
      ],
    };
    const { messages } = await runOne(kmsKeyPolicyNoWildcardGrants, [res(KEY, "k", { policy: doc })]);
    expect(messages).toEqual([
      `Key "k": statement "Admin" grants kms:* to arn:aws-cn:iam::${ACCOUNT}:role/ops; only the account root may hold kms:*.`,
      'Key "k": statement #3 grants kms:* to "*"; only the account root may hold kms:*.',
    ]);
  });

  it("in preview, decides on known principals and reports kms:* to an unknown one", async () => {
    const known = await runOne(
      kmsKeyPolicyNoWildcardGrants,
      [res(KEY, "k", { policy: { Statement: [rootStatement, { Effect: "Allow", Principal: { AWS: UNKNOWN }, Action: ["kms:Decrypt"], Resource: "*" }] } })],
      { preview: true },
    );
    expect(known.messages).toEqual([]);
    expect(known.result.skipped).toEqual([]);
    const unknown = await runOne(
      kmsKeyPolicyNoWildcardGrants,
      [res(KEY, "k", { policy: { Statement: [{ Effect: "Allow", Principal: { AWS: UNKNOWN }, Action: "kms:*", Resource: "*" }] } })],
      { preview: true },
    );
    expect(unknown.messages).toEqual([expect.stringContaining("grants kms:* to a principal that is unknown during preview")]);
  });

  it("in preview, takes an unknown action as kms:* (actions are literals) and judges it by the principal", async () => {
    const statement = (principal: string) => ({ Effect: "Allow", Principal: { AWS: principal }, Action: ["kms:Decrypt", UNKNOWN], Resource: "*" });
    const role = await runOne(
      kmsKeyPolicyNoWildcardGrants,
      [res(KEY, "k", { policy: { Statement: [rootStatement, statement(`arn:aws-cn:iam::${ACCOUNT}:role/ops`)] } })],
      { preview: true },
    );
    expect(role.result.skipped).toEqual([]);
    expect(role.messages).toEqual([
      `Key "k": statement #2 grants actions unknown during preview (possibly kms:*) to arn:aws-cn:iam::${ACCOUNT}:role/ops; only the account root may hold kms:*.`,
    ]);
    const rootOnly = await runOne(kmsKeyPolicyNoWildcardGrants, [res(KEY, "k", { policy: { Statement: [statement(root)] } })], { preview: true });
    expect(rootOnly.messages).toEqual([]);
    expect(rootOnly.result.examined).toBe(1);
  });
});
