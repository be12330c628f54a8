import { snsSubscriptionHttps } from "../../../policy-pack/sns/subscription-no-plain-http";
import { res, runOne, UNKNOWN } from "../helpers";

const SUB = "aws:sns/topicSubscription:TopicSubscription";

describe("sns-subscription-no-plain-http", () => {
  it("passes email and https subscriptions", async () => {
    for (const preview of [false, true]) {
      const { result, messages } = await runOne(
        snsSubscriptionHttps,
        [
          res(SUB, "e", { topic: UNKNOWN, protocol: "email", endpoint: "a@example.com" }),
          res(SUB, "h", { topic: UNKNOWN, protocol: "https", endpoint: "https://hooks.example.com/x" }),
        ],
        { preview },
      );
      expect(messages).toEqual([]);
      expect(result.examined).toBe(2);
    }
  });

  it("reports plain http and an http:// endpoint, in both modes", async () => {
    for (const preview of [false, true]) {
      const { messages } = await runOne(
        snsSubscriptionHttps,
        [
          res(SUB, "p", { topic: UNKNOWN, protocol: "http", endpoint: "http://hooks.example.com/x" }),
          res(SUB, "q", { topic: UNKNOWN, protocol: "https", endpoint: "http://hooks.example.com/x" }),
        ],
        { preview },
      );
      expect(messages).toEqual(['TopicSubscription "p" delivers over plain http: use https.', 'TopicSubscription "q" has an http:// endpoint: use https://.']);
    }
  });
});
