/** BackupEvents' error queue and its key: KMS-encrypted, admitting only our rules and Lambda roles, over TLS. */
import { ACCOUNT_ID, one, ofType, policyOf } from "../../helpers/pulumi";
import type { StackRun } from "../../../tools/harness";
import { stmt } from "./helpers";
import { runBothStacks } from "./fixture";

let run: StackRun;
beforeAll(async () => {
  ({ run } = await runBothStacks());
});

describe("BackupEvents, primary role (Beijing): error queue", () => {
  test("one KMS-encrypted error queue that admits only our rules and Lambda roles, and only over TLS", () => {
    const queue = one(run, "aws:sqs/queue:Queue", "backup-events-errors");
    const key = one(run, "aws:kms/key:Key", "backup-events-messaging-key");
    expect(queue.inputs.kmsMasterKeyId).toBe(key.state.arn);
    expect(queue.inputs.messageRetentionSeconds).toBe(1209600);
    const p = policyOf(one(run, "aws:sqs/queuePolicy:QueuePolicy", "backup-events-errors-policy"));
    // BackupEvents' own rules (LogArchive adds rules of its own to the stack).
    const ruleArns = ofType(run, "aws:cloudwatch/eventRule:EventRule")
      .filter((r) => r.name.startsWith("backup-events-"))
      .map((r) => r.state.arn);
    expect(ruleArns.length).toBe(8);
    expect(stmt(p, "EventBridgeRulesSendFailedEvents")).toEqual({
      Sid: "EventBridgeRulesSendFailedEvents",
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: ["sqs:SendMessage"],
      Resource: [queue.state.arn],
      Condition: { ArnEquals: { "aws:SourceArn": expect.arrayContaining(ruleArns) } },
    });
    expect(stmt(p, "EventBridgeRulesSendFailedEvents").Condition.ArnEquals["aws:SourceArn"]).toHaveLength(8);
    const deny = stmt(p, "DenySendFromAnyoneElse");
    expect(deny.Effect).toBe("Deny");
    expect(deny.Principal).toBe("*");
    expect(deny.Condition.ArnNotEquals["aws:PrincipalArn"]).toEqual([
      one(run, "aws:iam/role:Role", "backup-events-copy-starter-role").state.arn,
      one(run, "aws:iam/role:Role", "backup-events-retention-updater-role").state.arn,
    ]);
    expect(deny.Condition.ArnNotEquals["aws:SourceArn"]).toHaveLength(8);
    expect(stmt(p, "DenyInsecureTransport")).toMatchObject({ Effect: "Deny", Action: "sqs:*", Condition: { Bool: { "aws:SecureTransport": "false" } } });
    // EventBridge sends no aws:SourceAccount/SourceArn to KMS for encrypted topics and queues: its
    // statements are narrowed by the encryption context; CloudWatch alarms keep the source keys.
    const topicName = one(run, "aws:sns/topic:Topic", "backup-events-alerts").state.name;
    expect(topicName).toMatch(/^backup-events-alerts-/);
    expect(queue.state.name).toMatch(/^backup-events-errors-/);
    const kp = policyOf(key);
    expect(stmt(kp, "EventBridgeWritesTheEncryptedTopic")).toEqual({
      Sid: "EventBridgeWritesTheEncryptedTopic",
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
      Resource: "*",
      Condition: {
        ArnLike: { "kms:EncryptionContext:aws:sns:topicArn": `arn:aws-cn:sns:cn-north-1:${ACCOUNT_ID}:backup-events-alerts-*` },
        // Absent on EventBridge's KMS calls, so IfExists: it never requires the key.
        StringEqualsIfExists: { "aws:SourceAccount": ACCOUNT_ID },
      },
    });
    expect(stmt(kp, "EventBridgeDeadLettersIntoTheEncryptedQueue").Condition).toEqual({
      ArnLike: { "kms:EncryptionContext:aws:sqs:arn": `arn:aws-cn:sqs:cn-north-1:${ACCOUNT_ID}:backup-events-errors-*` },
      StringEqualsIfExists: { "aws:SourceAccount": ACCOUNT_ID },
    });
    expect(stmt(kp, "CloudWatchAlarmsWriteTheEncryptedTopic")).toMatchObject({
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Condition: {
        StringEquals: { "aws:SourceAccount": ACCOUNT_ID },
        ArnLike: {
          "aws:SourceArn": `arn:aws-cn:cloudwatch:cn-north-1:${ACCOUNT_ID}:alarm:*`,
          "kms:EncryptionContext:aws:sns:topicArn": `arn:aws-cn:sns:cn-north-1:${ACCOUNT_ID}:backup-events-alerts-*`,
        },
      },
    });
  });
});
