/**
 * infra/event-rule.ts: the DLQ policy statements directly, and the builder under the aws-cn mocks:
 * a rule and its target with the retry policy and DLQ, the invoke permission for a Lambda target,
 * the rule recorded on its queue, and the queue policy naming exactly the recorded rules.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { RuleDeadLetterQueue, deadLetterQueueStatements, eventRuleTarget } from "../../infra/event-rule";
import { outputValue, settle, useMocks } from "../helpers/pulumi";

const QUEUE = "arn:aws-cn:sqs:cn-north-1:123456789012:errors";

describe("deadLetterQueueStatements", () => {
  test("EventBridge may send for the rules; everyone but the rules and senders is denied; TLS only", () => {
    const [allow, deny, tls] = deadLetterQueueStatements({
      queueArn: QUEUE,
      eventsPrincipal: "events.amazonaws.com",
      ruleArns: ["r1", "r2"],
      senderRoleArns: ["role1"],
    });
    expect(allow).toEqual({
      Sid: "EventBridgeRulesSendFailedEvents",
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: ["sqs:SendMessage"],
      Resource: [QUEUE],
      Condition: { ArnEquals: { "aws:SourceArn": ["r1", "r2"] } },
    });
    expect(deny).toMatchObject({
      Effect: "Deny",
      Principal: "*",
      Action: ["sqs:SendMessage"],
      Condition: { ArnNotEquals: { "aws:SourceArn": ["r1", "r2"], "aws:PrincipalArn": ["role1"] } },
    });
    expect(tls).toMatchObject({ Effect: "Deny", Action: "sqs:*", Condition: { Bool: { "aws:SecureTransport": "false" } } });
  });

  test("without senders the deny names no aws:PrincipalArn (an empty list would match nobody)", () => {
    const [, deny] = deadLetterQueueStatements({ queueArn: QUEUE, eventsPrincipal: "events.amazonaws.com", ruleArns: ["r1"], senderRoleArns: [] });
    expect(deny.Condition).toEqual({ ArnNotEquals: { "aws:SourceArn": ["r1"] } });
  });
});

describe("eventRuleTarget under the mocks", () => {
  let mocks: Awaited<ReturnType<typeof useMocks>>;
  const invokes: { name: string; sourceArn: pulumi.Input<string> }[] = [];
  beforeAll(async () => {
    mocks = await useMocks("cn-north-1");
    class Parent extends pulumi.ComponentResource {
      constructor() {
        super("test:index:Parent", "p", {}, {});
      }
    }
    const parent = new Parent();
    const queue = new aws.sqs.Queue("q", {}, { parent });
    const dlq = new RuleDeadLetterQueue(queue);
    const fake = {
      allowInvoke: (name: string, a: { service: string; sourceArn: pulumi.Input<string> }) => {
        invokes.push({ name, sourceArn: a.sourceArn });
        return new aws.lambda.Permission(
          name,
          { action: "lambda:InvokeFunction", function: "f", principal: "events.amazonaws.com", sourceArn: a.sourceArn },
          { parent },
        );
      },
    };
    eventRuleTarget(
      "r",
      {
        rule: { description: "d", eventPattern: { source: ["aws.backup"] }, tags: { a: "b" } },
        targetArn: "arn:fn",
        invoke: fake,
        retryPolicy: { maximumEventAgeInSeconds: 60, maximumRetryAttempts: 3 },
        deadLetterQueue: dlq,
      },
      { parent },
    );
    const existing = new aws.cloudwatch.EventRule("existing", { scheduleExpression: "rate(1 hour)" }, { parent });
    eventRuleTarget(
      "x",
      {
        rule: existing,
        targetArn: "arn:stream",
        roleArn: "arn:role",
        retryPolicy: { maximumEventAgeInSeconds: 60, maximumRetryAttempts: 0 },
        deadLetterQueue: dlq,
        targetName: "x-target-0",
      },
      { parent },
    );
    dlq.policy("q-policy", { parent });
    await outputValue(queue.arn);
    await settle();
  });
  const find = (type: string, name: string) => {
    const found = mocks.resources.filter((r) => r.type === type && r.name === name);
    expect(found).toHaveLength(1);
    return found[0];
  };

  test("the rule gets its serialized pattern; the target its retry policy and DLQ, under the caller's parent", () => {
    const rule = find("aws:cloudwatch/eventRule:EventRule", "r");
    expect(rule.inputs).toEqual({ description: "d", eventPattern: JSON.stringify({ source: ["aws.backup"] }), tags: { a: "b" } });
    const target = find("aws:cloudwatch/eventTarget:EventTarget", "r-target");
    const queue = find("aws:sqs/queue:Queue", "q");
    expect(target.inputs).toEqual({
      rule: rule.state.name,
      arn: "arn:fn",
      retryPolicy: { maximumEventAgeInSeconds: 60, maximumRetryAttempts: 3 },
      deadLetterConfig: { arn: queue.state.arn },
    });
    expect(invokes.map((i) => i.name)).toEqual(["r-invoke"]);
  });

  test("an existing rule gets the target (with its role and name) and no second rule", () => {
    expect(
      mocks.resources
        .filter((r) => r.type === "aws:cloudwatch/eventRule:EventRule")
        .map((r) => r.name)
        .sort(),
    ).toEqual(["existing", "r"]);
    const target = find("aws:cloudwatch/eventTarget:EventTarget", "x-target-0");
    expect(target.inputs).toMatchObject({ roleArn: "arn:role", arn: "arn:stream", retryPolicy: { maximumRetryAttempts: 0 } });
  });

  test("the queue policy names exactly the rules built with the queue, in order", () => {
    const policy = find("aws:sqs/queuePolicy:QueuePolicy", "q-policy").inputs.policy;
    const doc = typeof policy === "string" ? JSON.parse(policy) : policy;
    const arns = ["r", "existing"].map((n) => find("aws:cloudwatch/eventRule:EventRule", n).state.arn);
    expect(doc.Statement[0].Condition.ArnEquals["aws:SourceArn"]).toEqual(arns);
    expect(doc.Statement[1].Condition.ArnNotEquals).toEqual({ "aws:SourceArn": arns });
  });
});

describe("RuleDeadLetterQueue policy shapes (LogArchive's and the completeness reports' queues)", () => {
  let mocks: Awaited<ReturnType<typeof useMocks>>;
  let parent: pulumi.ComponentResource;
  beforeAll(async () => {
    mocks = await useMocks("cn-north-1");
    class Parent extends pulumi.ComponentResource {
      constructor() {
        super("test:index:Parent", "shapes", {}, {});
      }
    }
    parent = new Parent();
    const build = (name: string, shape: "allowRules" | "allowOneRule", rules: number) => {
      const queue = new aws.sqs.Queue(name, {}, { parent });
      const dlq = new RuleDeadLetterQueue(queue, { policyShape: shape });
      for (let i = 0; i < rules; i++) {
        eventRuleTarget(
          `${name}-rule-${i}`,
          {
            rule: { scheduleExpression: "rate(1 hour)" },
            targetArn: "arn:fn",
            retryPolicy: { maximumEventAgeInSeconds: 60, maximumRetryAttempts: 8 },
            deadLetterQueue: dlq,
          },
          { parent },
        );
      }
      dlq.policy(`${name}-policy`, { parent });
    };
    build("many", "allowRules", 2);
    build("one", "allowOneRule", 1);
    await settle();
  });
  const doc = (name: string) => {
    const p = mocks.resources.find((r) => r.type === "aws:sqs/queuePolicy:QueuePolicy" && r.name === name)!.inputs.policy;
    return typeof p === "string" ? JSON.parse(p) : p;
  };
  const ruleArn = (name: string) => mocks.resources.find((r) => r.type === "aws:cloudwatch/eventRule:EventRule" && r.name === name)!.state.arn;
  const queueArn = (name: string) => mocks.resources.find((r) => r.type === "aws:sqs/queue:Queue" && r.name === name)!.state.arn;

  test("allowRules: TLS only, then EventBridge may send for the rules (a list), nobody else denied", () => {
    const [tls, allow, ...rest] = doc("many-policy").Statement;
    expect(rest).toEqual([]);
    expect(tls).toMatchObject({ Effect: "Deny", Action: "sqs:*", Resource: [queueArn("many")], Condition: { Bool: { "aws:SecureTransport": "false" } } });
    expect(allow).toEqual({
      Sid: "EventBridgeDeadLetters",
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: ["sqs:SendMessage"],
      Resource: [queueArn("many")],
      Condition: { ArnEquals: { "aws:SourceArn": [ruleArn("many-rule-0"), ruleArn("many-rule-1")] } },
    });
  });

  test("allowOneRule: the one rule's ARN as a single value", () => {
    const [, allow] = doc("one-policy").Statement;
    expect(allow.Condition).toEqual({ ArnEquals: { "aws:SourceArn": ruleArn("one-rule-0") } });
  });

  test("allowOneRule refuses a second rule, and the rules-only shapes refuse other senders", () => {
    const two = new RuleDeadLetterQueue({ arn: "arn:q", url: "https://q" }, { policyShape: "allowOneRule" });
    two.sourceRuleArns.push(pulumi.output("r1"), pulumi.output("r2"));
    expect(() => two.policy("two-policy", { parent })).toThrow("the allowOneRule policy needs exactly one rule, got 2");
    const senders = new RuleDeadLetterQueue({ arn: "arn:q", url: "https://q" }, { policyShape: "allowRules" });
    senders.senderRoleArns.push("arn:role");
    expect(() => senders.policy("senders-policy", { parent })).toThrow("senders need allowRulesDenyOthers");
  });
});
