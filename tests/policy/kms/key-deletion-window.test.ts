import { kmsKeyDeletionWindow } from "../../../policy-pack/kms/key-deletion-window";
import { res, runOne } from "../helpers";

const KEY = "aws:kms/key:Key";

describe("kms-key-deletion-window", () => {
  it("passes the default (omitted) and 7 days", async () => {
    const { result, messages } = await runOne(kmsKeyDeletionWindow, [res(KEY, "a", {}), res(KEY, "b", { deletionWindowInDays: 7 })]);
    expect(messages).toEqual([]);
    expect(result.examined).toBe(2);
  });

  it("reports a window under 7 days, or under the configured minimum", async () => {
    expect((await runOne(kmsKeyDeletionWindow, [res(KEY, "a", { deletionWindowInDays: 6 })])).messages).toEqual([
      'Key "a" has deletionWindowInDays 6; it must be at least 7.',
    ]);
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
