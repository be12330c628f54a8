import { kmsNoLockoutBypass } from "../../../policy-pack/kms/key-no-lockout-safety-bypass";
import { res, runOne, UNKNOWN } from "../helpers";

const KEY = "aws:kms/key:Key";
const KP = "aws:kms/keyPolicy:KeyPolicy";

describe("kms-key-no-lockout-safety-bypass", () => {
  it("passes keys that keep the safety check", async () => {
    for (const preview of [false, true]) {
      const { result, messages } = await runOne(kmsNoLockoutBypass, [res(KEY, "k", {}), res(KEY, "k2", { bypassPolicyLockoutSafetyCheck: false })], {
        preview,
      });
      expect(messages).toEqual([]);
      expect(result.examined).toBe(2);
    }
  });

  it("reports a key or key policy that bypasses it (and an unknown flag in preview)", async () => {
    for (const preview of [false, true]) {
      expect(
        (await runOne(kmsNoLockoutBypass, [res(KP, "kp", { keyId: "k", policy: "{}", bypassPolicyLockoutSafetyCheck: true })], { preview })).messages,
      ).toEqual(['KeyPolicy "kp" sets bypassPolicyLockoutSafetyCheck: a policy that locks everyone out could be applied.']);
    }
    expect((await runOne(kmsNoLockoutBypass, [res(KEY, "k", { bypassPolicyLockoutSafetyCheck: UNKNOWN })], { preview: true })).messages).toHaveLength(1);
  });
});
