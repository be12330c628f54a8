import { noUnrestrictedPublicPrincipal } from "../../../policy-pack/iam/policy-no-unrestricted-public-principal";
import { ACCOUNT, res, roleArn, runOne, UNKNOWN } from "../helpers";
import { BUCKET_POLICY, doc, QUEUE_POLICY } from "./documents";

describe("iam-policy-no-unrestricted-public-principal", () => {
  it("passes Principal * with an account condition, and Deny statements", async () => {
    const { messages } = await runOne(noUnrestrictedPublicPrincipal, [
      res("aws:backup/vaultPolicy:VaultPolicy", "vp", {
        backupVaultName: "v",
        policy: doc(
          { Effect: "Deny", Principal: "*", Action: "backup:DeleteRecoveryPoint", Resource: "*" },
          {
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: "backup:CopyIntoBackupVault",
            Resource: "*",
            Condition: { StringEquals: { "aws:PrincipalAccount": ACCOUNT } },
          },
        ),
      }),
    ]);
    expect(messages).toEqual([]);
  });

  it("in preview, accepts a restricting condition whose value is unknown and still reports a non-restricting one", async () => {
    const { result, messages } = await runOne(
      noUnrestrictedPublicPrincipal,
      [
        res(QUEUE_POLICY, "ok", {
          queueUrl: UNKNOWN,
          policy: doc({
            Effect: "Allow",
            Principal: "*",
            Action: "sqs:SendMessage",
            Resource: UNKNOWN,
            Condition: { ArnEquals: { "aws:SourceArn": UNKNOWN } },
          }),
        }),
        res(QUEUE_POLICY, "bad", {
          queueUrl: UNKNOWN,
          policy: doc({
            Effect: "Allow",
            Principal: "*",
            Action: "sqs:SendMessage",
            Resource: UNKNOWN,
            Condition: { Bool: { "aws:SecureTransport": UNKNOWN } },
          }),
        }),
      ],
      { preview: true },
    );
    expect(result.skipped).toEqual([]);
    expect(messages).toEqual(['QueuePolicy "bad" policy: statement #1 allows Principal "*" without a restricting condition.']);
  });

  it("reports Principal * and NotPrincipal without a restricting condition", async () => {
    const { messages } = await runOne(noUnrestrictedPublicPrincipal, [
      res(BUCKET_POLICY, "bp", {
        bucket: "b",
        policy: doc({
          Effect: "Allow",
          Principal: "*",
          Action: "s3:GetObject",
          Resource: "arn:aws-cn:s3:::b/*",
          Condition: { Bool: { "aws:SecureTransport": "true" } },
        }),
      }),
      res("aws:sns/topicPolicy:TopicPolicy", "tp", {
        arn: "t",
        policy: doc({ Effect: "Allow", NotPrincipal: { AWS: roleArn("x") }, Action: "sns:Publish", Resource: "*" }),
      }),
    ]);
    expect(messages).toEqual([
      'BucketPolicy "bp" policy: statement #1 allows Principal "*" without a restricting condition.',
      'TopicPolicy "tp" policy: statement #1 allows everyone but its NotPrincipal without a restricting condition.',
    ]);
  });
});

/**
 * Preview of a new stack: documents built with infra/iam.ts `policyDocument` reach the pack as
 * objects whose ARN leaves are unknown. Each check must decide (nothing skipped), report the same
 * violations as with the ARNs known, and take the worst case for parts the program writes as
 * literals (Effect, Action, the principal, the condition) when one is unknown anyway.
 */
describe("iam-policy-no-unrestricted-public-principal during preview (object documents with unknown leaves)", () => {
  const preview = { preview: true };
  const decided = (r: { result: { skipped: unknown[]; examined: number } }) => {
    expect(r.result.skipped).toEqual([]);
    expect(r.result.examined).toBe(1);
  };

  it('iam-policy-no-unrestricted-public-principal: Principal "*" with unknown ARNs still needs a restricting condition; an unknown principal may be "*"', async () => {
    const topic = (name: string, statement: any) => res("aws:sns/topicPolicy:TopicPolicy", name, { arn: UNKNOWN, policy: doc(statement) });
    const { result, messages } = await runOne(
      noUnrestrictedPublicPrincipal,
      [
        topic("open", { Effect: "Allow", Principal: "*", Action: "sns:Publish", Resource: [UNKNOWN] }),
        topic("pinned", {
          Effect: "Allow",
          Principal: "*",
          Action: "sns:Publish",
          Resource: [UNKNOWN],
          Condition: { StringEquals: { "aws:SourceAccount": UNKNOWN } },
        }),
        topic("unknown", { Effect: "Allow", Principal: UNKNOWN, Action: "sns:Publish", Resource: [UNKNOWN] }),
        topic("role", { Effect: "Allow", Principal: { AWS: [UNKNOWN] }, Action: "sns:Publish", Resource: [UNKNOWN] }),
        topic("tls", { Effect: "Deny", Principal: "*", Action: "sns:Publish", Resource: [UNKNOWN], Condition: { Bool: { "aws:SecureTransport": "false" } } }),
      ],
      preview,
    );
    expect(result.skipped).toEqual([]);
    expect(result.examined).toBe(5);
    expect(messages).toEqual([
      'TopicPolicy "open" policy: statement #1 allows Principal "*" without a restricting condition.',
      'TopicPolicy "unknown" policy: statement #1 allows a Principal unknown during preview (possibly "*") without a restricting condition.',
    ]);
  });
});
