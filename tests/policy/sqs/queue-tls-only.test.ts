import { sqsQueueTlsOnly } from "../../../policy-pack/sqs/queue-tls-only";
import { res, runOne, tlsDenyPolicy as tls, UNKNOWN, withResourcePolicy } from "../helpers";

const Q = "aws:sqs/queue:Queue";
const QP = "aws:sqs/queuePolicy:QueuePolicy";

const stack = (doc: any, preview: boolean) =>
  withResourcePolicy(
    { type: Q, name: "dlq", state: { arn: "arn:aws-cn:sqs:cn-north-1:111122223333:dlq", url: "https://sqs/dlq" } },
    QP,
    "queueUrl",
    doc,
    preview,
  );

describe("sqs-queue-tls-only", () => {
  it("passes a TLS deny of sqs:* on the queue (its ARN unknown during preview)", async () => {
    expect((await runOne(sqsQueueTlsOnly, stack(tls("sqs:*", "arn:aws-cn:sqs:cn-north-1:111122223333:dlq"), false))).messages).toEqual([]);
    expect((await runOne(sqsQueueTlsOnly, stack(tls("sqs:*", UNKNOWN), true), { preview: true })).messages).toEqual([]);
  });

  it("reports a deny of one action only, a deny on another queue, and a queue without a policy", async () => {
    for (const preview of [false, true]) {
      const one = await runOne(sqsQueueTlsOnly, stack(tls("sqs:SendMessage", preview ? UNKNOWN : "arn:aws-cn:sqs:cn-north-1:111122223333:dlq"), preview), {
        preview,
      });
      expect(one.messages).toEqual([
        'Queue "dlq": its policy QueuePolicy "dlq-policy" does not deny requests without TLS (its Deny statements: does not deny sqs:ReceiveMessage, sqs:DeleteMessage).',
      ]);
      expect((await runOne(sqsQueueTlsOnly, [res(Q, "bare", {})], { preview })).messages).toEqual([
        'Queue "bare" has no queue policy: add one that denies sqs:SendMessage, sqs:ReceiveMessage, sqs:DeleteMessage to Principal "*" when aws:SecureTransport is false.',
      ]);
    }
    const other = await runOne(sqsQueueTlsOnly, stack(tls("sqs:*", "arn:aws-cn:sqs:cn-north-1:111122223333:other"), false));
    expect(other.messages[0]).toMatch(/covers \["arn:aws-cn:sqs:cn-north-1:111122223333:other"\]/);
  });
});
