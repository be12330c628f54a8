/**
 * Every alarm of the primary stack notifies the stack's notification topic (BackupEvents' SNS
 * topic) when it fires and when it clears: an alarm without actions changes state in the console
 * and nobody learns of it (issue 12 item 7).
 */
import { one, runStack } from "../helpers/pulumi";

describe("alarm notifications of the primary stack (cn-north-1)", () => {
  let run: Awaited<ReturnType<typeof runStack>>;
  beforeAll(async () => {
    run = await runStack("cn-north-1");
  });

  test("AuditLogPipeline's alarms send ALARM and OK to BackupEvents' topic", () => {
    const topic = one(run, "aws:sns/topic:Topic", "backup-events-alerts");
    const topicArn = topic.state.arn;
    expect(topicArn).toMatch(/^arn:aws-cn:sns:cn-north-1:\d{12}:/);
    const alarms = run.resources.filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm" && r.name.startsWith("audit-log-"));
    expect(alarms.map((a) => a.name).sort()).toEqual([
      "audit-log-dlq-depth",
      "audit-log-downloader-errors",
      "audit-log-missed-files",
      "audit-log-oldest-pending",
    ]);
    for (const a of alarms) {
      expect({ alarm: a.name, alarmActions: a.inputs.alarmActions, okActions: a.inputs.okActions }).toEqual({
        alarm: a.name,
        alarmActions: [topicArn],
        okActions: [topicArn],
      });
    }
  });

  test("no alarm of the stack is without an alarm action", () => {
    const silent = run.resources
      .filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm")
      .filter((a) => !Array.isArray(a.inputs.alarmActions) || a.inputs.alarmActions.length === 0)
      .map((a) => a.name);
    expect(silent).toEqual([]);
  });
});
