/**
 * Amazon CloudWatch alarms notifying an SNS topic: sns:Publish with aws:SourceArn = the alarm's
 * ARN (`arn:aws-cn:cloudwatch:<region>:<account>:alarm:<name>`) and aws:SourceAccount, and, for
 * an encrypted topic, the topic key with the same keys (SNS names only EventBridge as unable to
 * send them) and the encryption context aws:sns:topicArn.
 * https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html (Allow any CloudWatch alarm to publish)
 * https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
 */
import { Contract, ServiceRequest, T, World, all, arnCn, principal, runsOf, topicPolicyByArn } from "./contract";
import { ofType } from "../../tools/harness";
import { messageKeyRequests } from "./events";

const SNS_KMS = "https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services";

export const cloudwatch: Contract = {
  service: "Amazon CloudWatch (alarm actions)",
  requests(w: World): ServiceRequest[] {
    const out: ServiceRequest[] = [];
    for (const { run, account, region } of runsOf(w)) {
      const cw = principal("cloudwatch", region);
      for (const alarm of all(run, T.alarm)) {
        const alarmArn = arnCn("cloudwatch", region, account, `alarm:${alarm.inputs.name ?? alarm.state.name}`);
        const from = { "aws:SourceArn": alarmArn, "aws:SourceAccount": account };
        const targets = new Set<string>([...(alarm.inputs.alarmActions ?? []), ...(alarm.inputs.okActions ?? [])]);
        for (const topicArn of targets) {
          const topic = ofType(run, T.topic).find((t) => t.state.arn === topicArn);
          if (!topic) continue;
          out.push({
            title: `alarm ${alarm.name} publishes to ${topic.name}`,
            principal: cw,
            action: "sns:Publish",
            resource: topicArn,
            resourceAccount: account,
            sends: { ...from, "aws:SecureTransport": "true" },
            doesNotSend: [],
            resourcePolicy: topicPolicyByArn(run, topicArn),
            source: "https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html",
          });
          out.push(
            ...messageKeyRequests({
              run,
              target: topic,
              kind: "topic",
              caller: cw,
              account,
              region,
              source: SNS_KMS,
              title: `alarm ${alarm.name} publishes to encrypted topic ${topic.name}`,
              sends: from,
              doesNotSend: [],
            }),
          );
        }
      }
    }
    return out;
  },
};
