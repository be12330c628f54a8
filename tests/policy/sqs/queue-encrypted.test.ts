import { sqsQueueEncrypted } from "../../../policy-pack/sqs/queue-encrypted";
import { keyArn, res, runOne, UNKNOWN } from "../helpers";

describe("sqs-queue-encrypted", () => {
  const T = "aws:sqs/queue:Queue";
  it("passes KMS (known or unknown in preview) and SSE-SQS", async () => {
    const { result, messages } = await runOne(sqsQueueEncrypted, [res(T, "a", { kmsMasterKeyId: keyArn() }), res(T, "b", { sqsManagedSseEnabled: true })]);
    expect(messages).toEqual([]);
    expect(result.examined).toBe(2);
    expect((await runOne(sqsQueueEncrypted, [res(T, "a", { kmsMasterKeyId: UNKNOWN })], { preview: true })).messages).toEqual([]);
  });
  it("reports an unencrypted queue", async () => {
    expect((await runOne(sqsQueueEncrypted, [res(T, "q", { sqsManagedSseEnabled: false })])).messages).toEqual([
      'Queue "q" is not encrypted at rest: set kmsMasterKeyId or sqsManagedSseEnabled: true.',
    ]);
  });
});
