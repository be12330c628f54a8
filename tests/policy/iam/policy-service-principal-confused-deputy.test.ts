import { serviceConfusedDeputy } from "../../../policy-pack/iam/policy-service-principal-confused-deputy";
import { ACCOUNT, res, runOne, UNKNOWN } from "../helpers";
import { doc, lambdaTrust, QUEUE_POLICY, ROLE, sourceAccount } from "./documents";

describe("iam-policy-service-principal-confused-deputy", () => {
  it("passes service statements with aws:SourceAccount or aws:SourceArn (value unknown in preview)", async () => {
    const { result, messages } = await runOne(
      serviceConfusedDeputy,
      [
        res(ROLE, "r", { assumeRolePolicy: lambdaTrust(sourceAccount) }),
        res(QUEUE_POLICY, "qp", {
          queueUrl: "u",
          policy: doc({
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: "sqs:SendMessage",
            Resource: UNKNOWN,
            Condition: { ArnEquals: { "aws:SourceArn": UNKNOWN } },
          }),
        }),
      ],
      { preview: true },
    );
    expect(messages).toEqual([]);
    expect(result.skipped).toEqual([]);
    expect(result.examined).toBe(2);
  });

  it("reports a trust policy and a resource policy without the condition; exempt services by config", async () => {
    const records = [
      res(ROLE, "r", { assumeRolePolicy: JSON.stringify(lambdaTrust()) }),
      res(ROLE, "ec2", { assumeRolePolicy: doc({ Effect: "Allow", Principal: { Service: ["ec2.amazonaws.com.cn"] }, Action: "sts:AssumeRole" }) }),
    ];
    expect((await runOne(serviceConfusedDeputy, records)).messages).toEqual([
      'Role "r" assumeRolePolicy: statement #1 allows lambda.amazonaws.com without an aws:SourceAccount or aws:SourceArn condition.',
      'Role "ec2" assumeRolePolicy: statement #1 allows ec2.amazonaws.com.cn without an aws:SourceAccount or aws:SourceArn condition.',
    ]);
    expect(
      (await runOne(serviceConfusedDeputy, records, { config: { "iam-policy-service-principal-confused-deputy": { exemptServices: ["ec2"] } } })).messages,
    ).toHaveLength(1);
  });
});

describe("iam-policy-service-principal-confused-deputy in KMS key policies", () => {
  const KEY = "aws:kms/key:Key";
  const logsStatement = (arn: any) => ({
    Sid: "Logs",
    Effect: "Allow",
    Principal: { Service: "logs.cn-north-1.amazonaws.com.cn" },
    Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*"],
    Resource: "*",
    Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": arn } },
  });

  it("accepts an encryption-context ARN condition naming our account (AWS's documented guard for CloudWatch Logs)", async () => {
    const { messages } = await runOne(serviceConfusedDeputy, [
      res(KEY, "k", { policy: doc(logsStatement(`arn:aws-cn:logs:cn-north-1:${ACCOUNT}:log-group:*`)) }),
    ]);
    expect(messages).toEqual([]);
  });

  it("reports an encryption-context condition with a wildcard account, an unknown one, and the same condition outside a key policy", async () => {
    const wild = await runOne(serviceConfusedDeputy, [res(KEY, "k", { policy: doc(logsStatement("arn:aws-cn:logs:cn-north-1:*:log-group:*")) })]);
    expect(wild.messages).toEqual([
      'Key "k" policy: statement "Logs" allows logs.cn-north-1.amazonaws.com.cn without an aws:SourceAccount or aws:SourceArn condition.',
    ]);
    const unknown = await runOne(serviceConfusedDeputy, [res(KEY, "k", { policy: doc(logsStatement(UNKNOWN)) })], { preview: true });
    expect(unknown.messages).toHaveLength(1);
    const queue = await runOne(serviceConfusedDeputy, [
      res(QUEUE_POLICY, "qp", { queueUrl: "u", policy: doc(logsStatement(`arn:aws-cn:logs:cn-north-1:${ACCOUNT}:log-group:*`)) }),
    ]);
    expect(queue.messages).toHaveLength(1);
  });
});

describe("iam-policy-service-principal-confused-deputy with sts:ExternalId in trust policies", () => {
  const firehoseTrust = (externalId: any) =>
    doc({
      Effect: "Allow",
      Principal: { Service: "firehose.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "sts:ExternalId": externalId } },
    });

  it("accepts an external id equal to an account id (Firehose's documented form)", async () => {
    expect((await runOne(serviceConfusedDeputy, [res(ROLE, "firehose", { assumeRolePolicy: JSON.stringify(firehoseTrust(ACCOUNT)) })])).messages).toEqual([]);
  });

  it("reports an external id that is not an account id, or one outside a trust policy", async () => {
    expect((await runOne(serviceConfusedDeputy, [res(ROLE, "firehose", { assumeRolePolicy: firehoseTrust("shared-secret") })])).messages).toEqual([
      'Role "firehose" assumeRolePolicy: statement #1 allows firehose.amazonaws.com without an aws:SourceAccount or aws:SourceArn condition.',
    ]);
    expect((await runOne(serviceConfusedDeputy, [res(QUEUE_POLICY, "qp", { queueUrl: "u", policy: firehoseTrust(ACCOUNT) })])).messages).toHaveLength(1);
  });
});

/**
 * Preview of a new stack: documents built with infra/iam.ts `policyDocument` reach the pack as
 * objects whose ARN leaves are unknown. Each check must decide (nothing skipped), report the same
 * violations as with the ARNs known, and take the worst case for parts the program writes as
 * literals (Effect, Action, the principal, the condition) when one is unknown anyway.
 */
describe("iam-policy-service-principal-confused-deputy during preview (object documents with unknown leaves)", () => {
  const preview = { preview: true };
  const decided = (r: { result: { skipped: unknown[]; examined: number } }) => {
    expect(r.result.skipped).toEqual([]);
    expect(r.result.examined).toBe(1);
  };

  it("iam-policy-service-principal-confused-deputy: a service principal without aws:SourceAccount is reported although the Resource is unknown", async () => {
    const queue = (statement: any) => res(QUEUE_POLICY, "qp", { queueUrl: UNKNOWN, policy: doc(statement) });
    const events = { Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: ["sqs:SendMessage"], Resource: [UNKNOWN] };

    const bad = await runOne(serviceConfusedDeputy, [queue(events)], preview);
    decided(bad);
    expect(bad.messages).toEqual([
      'QueuePolicy "qp" policy: statement #1 allows events.amazonaws.com without an aws:SourceAccount or aws:SourceArn condition.',
    ]);

    const ok = await runOne(serviceConfusedDeputy, [queue({ ...events, Condition: { ArnEquals: { "aws:SourceArn": [UNKNOWN, UNKNOWN] } } })], preview);
    decided(ok);
    expect(ok.messages).toEqual([]);

    // The S3 replication role's trust: aws:SourceArn is the (unknown) bucket ARN.
    const trust = await runOne(
      serviceConfusedDeputy,
      [
        res(ROLE, "replication", {
          assumeRolePolicy: doc({
            Effect: "Allow",
            Principal: { Service: "s3.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { ArnLike: { "aws:SourceArn": UNKNOWN } },
          }),
        }),
      ],
      preview,
    );
    decided(trust);
    expect(trust.messages).toEqual([]);
  });

  it("iam-policy-service-principal-confused-deputy: an unknown principal, Service value or Condition is the worst case", async () => {
    const queue = (name: string, statement: any) => res(QUEUE_POLICY, name, { queueUrl: UNKNOWN, policy: doc(statement) });
    const { result, messages } = await runOne(
      serviceConfusedDeputy,
      [
        queue("whole", { Effect: "Allow", Principal: UNKNOWN, Action: "sqs:SendMessage", Resource: [UNKNOWN] }),
        queue("service", { Effect: "Allow", Principal: { Service: [UNKNOWN] }, Action: "sqs:SendMessage", Resource: [UNKNOWN] }),
        queue("condition", {
          Effect: "Allow",
          Principal: { Service: "events.amazonaws.com" },
          Action: "sqs:SendMessage",
          Resource: [UNKNOWN],
          Condition: UNKNOWN,
        }),
        queue("account", { Effect: "Allow", Principal: { AWS: [UNKNOWN] }, Action: "sqs:SendMessage", Resource: [UNKNOWN] }),
      ],
      preview,
    );
    expect(result.skipped).toEqual([]);
    expect(result.examined).toBe(4);
    expect(messages).toEqual([
      'QueuePolicy "whole" policy: statement #1 allows a principal unknown during preview without an aws:SourceAccount or aws:SourceArn condition.',
      'QueuePolicy "service" policy: statement #1 allows a service principal unknown during preview without an aws:SourceAccount or aws:SourceArn condition.',
      'QueuePolicy "condition" policy: statement #1 allows events.amazonaws.com without an aws:SourceAccount or aws:SourceArn condition (its Condition is unknown during preview: build it from known keys).',
    ]);
  });
});
