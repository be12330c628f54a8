/**
 * Amazon EventBridge Scheduler running a schedule: it assumes the schedule's execution role, then
 * with that role invokes the target and writes the dead-letter queue.
 *
 * The execution role's trust: Scheduler sends aws:SourceAccount and aws:SourceArn = the ARN of the
 * schedule *group* (`schedule-group/<group>`), not of the schedule.
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/cross-service-confused-deputy-prevention.html
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/setting-up.html#setting-up-execution-role
 * Dead letters are sent with the execution role: https://docs.aws.amazon.com/scheduler/latest/UserGuide/configuring-schedule-dlq.html
 */
import { Contract, ServiceRequest, T, World, all, arnCn, cmkOf, identityOf, keyPolicyByArn, principal, queuePolicyByArn, runsOf, trustOf } from "./contract";
import { ofType } from "../../tools/harness";

const CONFUSED_DEPUTY = "https://docs.aws.amazon.com/scheduler/latest/UserGuide/cross-service-confused-deputy-prevention.html";
const DLQ = "https://docs.aws.amazon.com/scheduler/latest/UserGuide/configuring-schedule-dlq.html";

export const scheduler: Contract = {
  service: "Amazon EventBridge Scheduler",
  requests(w: World): ServiceRequest[] {
    const out: ServiceRequest[] = [];
    for (const { run, account, region } of runsOf(w)) {
      for (const schedule of all(run, T.schedule)) {
        const role = ofType(run, T.role).find((r) => r.state.arn === schedule.inputs.target.roleArn);
        if (!role) throw new Error(`scheduler contract: no role ${schedule.inputs.target.roleArn}`);
        const group: string = schedule.inputs.groupName ?? "default";
        out.push({
          title: `schedule ${schedule.name} assumes its execution role`,
          principal: principal("scheduler", region),
          action: "sts:AssumeRole",
          resource: role.state.arn,
          resourceAccount: account,
          sends: { "aws:SourceAccount": account, "aws:SourceArn": arnCn("scheduler", region, account, `schedule-group/${group}`) },
          doesNotSend: [],
          resourcePolicy: trustOf(role),
          source: CONFUSED_DEPUTY,
          alsoDenied: [
            {
              why: "for a schedule of another group of the account",
              context: { "aws:SourceArn": arnCn("scheduler", region, account, "schedule-group/someone-elses") },
            },
          ],
        });
        const identity = identityOf(run, role);
        const asRole = { principal: role.state.arn, resourceAccount: account, identityPolicies: identity };
        const roleContext = { "aws:PrincipalArn": role.state.arn, "aws:PrincipalAccount": account, "aws:SecureTransport": "true" };
        out.push({
          ...asRole,
          title: `schedule ${schedule.name} invokes its target with the execution role`,
          action: "lambda:InvokeFunction",
          resource: schedule.inputs.target.arn,
          sends: roleContext,
          doesNotSend: [],
          source: "https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets-templated.html",
        });
        const dlqArn: string | undefined = schedule.inputs.target.deadLetterConfig?.arn;
        const dlq = dlqArn ? ofType(run, T.queue).find((q) => q.state.arn === dlqArn) : undefined;
        if (dlq) {
          out.push({
            ...asRole,
            title: `schedule ${schedule.name} dead-letters with the execution role`,
            action: "sqs:SendMessage",
            resource: dlq.state.arn,
            sends: roleContext,
            doesNotSend: [],
            resourcePolicy: queuePolicyByArn(run, dlq.state.arn),
            source: DLQ,
          });
          const keyArn = cmkOf(dlq);
          if (keyArn) {
            out.push({
              ...asRole,
              title: `schedule ${schedule.name}: SQS encrypts the dead letter for the execution role`,
              action: "kms:GenerateDataKey",
              resource: keyArn,
              sends: {
                ...roleContext,
                "kms:ViaService": `sqs.${region}.amazonaws.com.cn`,
                "kms:CallerAccount": account,
                "kms:EncryptionContext:aws:sqs:arn": dlq.state.arn,
              },
              doesNotSend: [],
              resourcePolicy: keyPolicyByArn(run, keyArn),
              source: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html",
            });
          }
        }
      }
    }
    return out;
  },
};
