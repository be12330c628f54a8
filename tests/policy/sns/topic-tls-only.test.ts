import { snsTopicTlsOnly } from "../../../policy-pack/sns/topic-tls-only";
import { res, runOne, tlsDenyPolicy as tls, UNKNOWN, withResourcePolicy } from "../helpers";

const T = "aws:sns/topic:Topic";
const TP = "aws:sns/topicPolicy:TopicPolicy";

const stack = (doc: any, preview: boolean) =>
  withResourcePolicy({ type: T, name: "alerts", state: { arn: "arn:aws-cn:sns:cn-north-1:111122223333:alerts" } }, TP, "arn", doc, preview);

describe("sns-topic-tls-only", () => {
  it("passes a TLS deny of sns:Publish on the topic, in both modes", async () => {
    expect((await runOne(snsTopicTlsOnly, stack(tls("sns:Publish", "arn:aws-cn:sns:cn-north-1:111122223333:alerts"), false))).messages).toEqual([]);
    expect((await runOne(snsTopicTlsOnly, stack(tls("sns:Publish", UNKNOWN), true), { preview: true })).messages).toEqual([]);
  });

  it("reports a deny that does not cover sns:Publish, and a topic without a policy", async () => {
    for (const preview of [false, true]) {
      const sub = await runOne(snsTopicTlsOnly, stack(tls("sns:Subscribe", UNKNOWN), preview), { preview });
      expect(sub.messages).toEqual([
        'Topic "alerts": its policy TopicPolicy "alerts-policy" does not deny requests without TLS (its Deny statements: does not deny sns:Publish).',
      ]);
      expect((await runOne(snsTopicTlsOnly, [res(T, "bare", {})], { preview })).messages).toHaveLength(1);
    }
  });
});
