import { kmsKeyRotationEnabled } from "../../../policy-pack/kms/key-rotation-enabled";
import { res, runOne } from "../helpers";

const KEY = "aws:kms/key:Key";

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
