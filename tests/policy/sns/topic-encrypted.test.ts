import { snsTopicEncrypted } from "../../../policy-pack/sns/topic-encrypted";
import { keyArn, res, runOne, UNKNOWN } from "../helpers";

describe("sns-topic-encrypted", () => {
  const T = "aws:sns/topic:Topic";
  it("passes a KMS key and reports none", async () => {
    expect((await runOne(snsTopicEncrypted, [res(T, "t", { kmsMasterKeyId: keyArn() })])).messages).toEqual([]);
    expect((await runOne(snsTopicEncrypted, [res(T, "t", {})])).messages).toEqual(['Topic "t" is not encrypted: set kmsMasterKeyId to a KMS key.']);
    const preview = await runOne(snsTopicEncrypted, [res(T, "t", { kmsMasterKeyId: UNKNOWN })], { preview: true });
    expect(preview.messages).toEqual([]);
    expect(preview.result.examined).toBe(1);
  });
});
