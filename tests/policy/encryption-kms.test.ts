import { kmsKeyDeletionWindow, kmsKeyPolicyNoWildcardGrants, kmsKeyRotationEnabled } from "../../policy-pack/encryption-kms";
import { ACCOUNT, res, runOne, UNKNOWN } from "./helpers";

const KEY = "aws:kms/key:Key";
const KEY_POLICY = "aws:kms/keyPolicy:KeyPolicy";
const root = `arn:aws-cn:iam::${ACCOUNT}:root`;

describe("kms-key-rotation-enabled", () => {
    it("passes a rotating key and skips asymmetric keys", async () => {
        const { result, messages } = await runOne(kmsKeyRotationEnabled, [
            res(KEY, "k", { enableKeyRotation: true }),
            res(KEY, "signing", { customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" }),
        ]);
        expect(messages).toEqual([]);
        expect(result.examinedResources).toEqual([`${KEY} k`]);
    });

    it("reports a key without rotation", async () => {
        const { messages } = await runOne(kmsKeyRotationEnabled, [res(KEY, "k", {})]);
        expect(messages).toEqual(['Key "k" does not rotate its key material: set enableKeyRotation: true.']);
    });

    it("is mandatory (Security Hub KMS.4) and can be lowered through policy config", async () => {
        expect((await runOne(kmsKeyRotationEnabled, [res(KEY, "k", {})])).result.violations[0].enforcementLevel).toBe("mandatory");
        expect(kmsKeyRotationEnabled.framework?.reference).toBe("KMS.4");
        const relaxed = await runOne(kmsKeyRotationEnabled, [res(KEY, "k", {})], { config: { "kms-key-rotation-enabled": "advisory" } });
        expect(relaxed.result.violations[0].enforcementLevel).toBe("advisory");
    });
});

describe("kms-key-deletion-window", () => {
    it("passes the default (omitted) and 7 days", async () => {
        const { result, messages } = await runOne(kmsKeyDeletionWindow, [res(KEY, "a", {}), res(KEY, "b", { deletionWindowInDays: 7 })]);
        expect(messages).toEqual([]);
        expect(result.examined).toBe(2);
    });

    it("reports a window under 7 days, or under the configured minimum", async () => {
        expect((await runOne(kmsKeyDeletionWindow, [res(KEY, "a", { deletionWindowInDays: 6 })])).messages).toEqual(['Key "a" has deletionWindowInDays 6; it must be at least 7.']);
        const cfg = { "kms-key-deletion-window": { minimumDays: 14 } };
        expect((await runOne(kmsKeyDeletionWindow, [res(KEY, "a", { deletionWindowInDays: 10 })], { config: cfg })).messages).toEqual([
            'Key "a" has deletionWindowInDays 10; it must be at least 14.',
        ]);
    });

    it("rejects a configured minimum below 7, naming the key, value and what is allowed", async () => {
        await expect(runOne(kmsKeyDeletionWindow, [res(KEY, "a", {})], { config: { "kms-key-deletion-window": { minimumDays: 3 } } })).rejects.toThrow(
            "policy config kms-key-deletion-window.minimumDays is 3, below the minimum 7",
        );
    });
});

describe("kms-key-policy-no-wildcard-grants", () => {
    const rootStatement = { Sid: "Root", Effect: "Allow", Principal: { AWS: root }, Action: "kms:*", Resource: "*" };

    it("passes kms:* for the account root and scoped grants for others", async () => {
        const doc = {
            Version: "2012-10-17",
            Statement: [rootStatement, { Sid: "Logs", Effect: "Allow", Principal: { Service: "logs.cn-north-1.amazonaws.com.cn" }, Action: ["kms:Encrypt*", "kms:Decrypt*"], Resource: "*" }],
        };
        const { result, messages } = await runOne(kmsKeyPolicyNoWildcardGrants, [res(KEY, "k", { policy: JSON.stringify(doc) }), res(KEY_POLICY, "kp", { keyId: "k", policy: doc })]);
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
        const known = await runOne(kmsKeyPolicyNoWildcardGrants, [res(KEY, "k", { policy: { Statement: [rootStatement, { Effect: "Allow", Principal: { AWS: UNKNOWN }, Action: ["kms:Decrypt"], Resource: "*" }] } })], { preview: true });
        expect(known.messages).toEqual([]);
        expect(known.result.skipped).toEqual([]);
        const unknown = await runOne(kmsKeyPolicyNoWildcardGrants, [res(KEY, "k", { policy: { Statement: [{ Effect: "Allow", Principal: { AWS: UNKNOWN }, Action: "kms:*", Resource: "*" }] } })], { preview: true });
        expect(unknown.messages).toEqual([expect.stringContaining("grants kms:* to a principal that is unknown during preview")]);
    });

    it("in preview, takes an unknown action as kms:* (actions are literals) and judges it by the principal", async () => {
        const statement = (principal: string) => ({ Effect: "Allow", Principal: { AWS: principal }, Action: ["kms:Decrypt", UNKNOWN], Resource: "*" });
        const role = await runOne(kmsKeyPolicyNoWildcardGrants, [res(KEY, "k", { policy: { Statement: [rootStatement, statement(`arn:aws-cn:iam::${ACCOUNT}:role/ops`)] } })], { preview: true });
        expect(role.result.skipped).toEqual([]);
        expect(role.messages).toEqual([`Key "k": statement #2 grants actions unknown during preview (possibly kms:*) to arn:aws-cn:iam::${ACCOUNT}:role/ops; only the account root may hold kms:*.`]);
        const rootOnly = await runOne(kmsKeyPolicyNoWildcardGrants, [res(KEY, "k", { policy: { Statement: [statement(root)] } })], { preview: true });
        expect(rootOnly.messages).toEqual([]);
        expect(rootOnly.result.examined).toBe(1);
    });
});
