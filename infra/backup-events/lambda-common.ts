/** What every BackupEvents Lambda shares: log group, bounded async retries into the error queue, network, size. */
import { PolicyStatement } from "../iam";
import { viaService } from "../partition";
import type { PrimaryRegionArgs } from "./args";
import type { Messaging } from "./messaging";
import { LAMBDA_ASYNC_RETRIES, LambdaCommon, Scope } from "./types";

export interface BackupEventsLambdas {
  common: LambdaCommon;
  /** Lets a Lambda encrypt its on-failure messages with the queue's key (through SQS only). */
  queueKeyUse: PolicyStatement;
}

export function lambdaCommon(scope: Scope, m: Messaging, args: PrimaryRegionArgs): BackupEventsLambdas {
  const queueKeyUse: PolicyStatement = {
    Sid: "EncryptOnFailureMessages",
    Effect: "Allow",
    Action: ["kms:GenerateDataKey", "kms:Decrypt"],
    Resource: [m.key.arn],
    Condition: { StringEquals: { "kms:ViaService": viaService("sqs", scope.facts.region, { parent: scope.parent }) } },
  };
  const common: LambdaCommon = {
    stack: args.stack,
    logKeyArn: args.lambdaLogKeyArn,
    logRetentionDays: args.lambdaLogRetentionDays,
    asyncFailure: { ...LAMBDA_ASYNC_RETRIES, onFailureQueueArn: m.queue.arn },
    vpc: args.lambdaVpc,
    timeout: 60,
    memorySize: 256,
    tags: scope.tags,
  };
  return { common, queueKeyUse };
}
