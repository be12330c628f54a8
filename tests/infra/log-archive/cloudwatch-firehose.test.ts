/** CloudWatch Logs via Firehose (infra/log-archive/cloudwatch-firehose.ts, cloudwatch-subscriber.ts). */
import { ACCOUNT_ID, ofType, one, policyOf, runStack } from "../../helpers/pulumi";
import type { StackRun } from "../../../tools/harness";
import { byName, stmt, primaryStacks } from "./helpers";
import { SUBSCRIPTION_FILTER_NAME } from "../../../infra/log-archive";
import { EXISTING_LOG_GROUPS } from "../../../tools/mocks";

describe("LogArchive CloudWatch Logs via Firehose", () => {
  let run: StackRun;
  beforeAll(async () => {
    ({ run } = await primaryStacks());
  });
  const key = () => byName(run, "aws:kms/key:Key", "log-archive-archive-key");
  const bucket = () => byName(run, "aws:s3/bucket:Bucket", "log-archive-archive");
  const stream = () => byName(run, "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "log-archive-cloudwatch");
  const cwlRole = () => byName(run, "aws:iam/role:Role", "log-archive-cwl-role");

  test("Firehose into cloudwatch/: KMS, compression, error prefix, buffering; its role scoped to the prefix", () => {
    const s = stream().inputs;
    expect(s.destination).toBe("extended_s3");
    expect(s.serverSideEncryption).toEqual({ enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: key().state.arn });
    const x = s.extendedS3Configuration;
    expect(x.bucketArn).toBe(bucket().state.arn);
    expect(x.kmsKeyArn).toBe(key().state.arn);
    expect(x.prefix).toBe("cloudwatch/logs/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/");
    expect(x.errorOutputPrefix).toBe(
      "cloudwatch/errors/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/",
    );
    expect([x.bufferingSize, x.bufferingInterval]).toEqual([5, 300]);
    // Records arrive gzip from CloudWatch Logs; without decompression they stay so (.gz objects).
    expect([x.compressionFormat, x.fileExtension]).toEqual(["UNCOMPRESSED", ".gz"]);
    expect(x.cloudwatchLoggingOptions).toMatchObject({ enabled: true, logStreamName: "S3Delivery" });
    const role = byName(run, "aws:iam/role:Role", "log-archive-firehose-role");
    expect(x.roleArn).toBe(role.state.arn);
    expect(policyOf(role, "assumeRolePolicy").Statement[0]).toEqual({
      Effect: "Allow",
      Principal: { Service: "firehose.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "sts:ExternalId": ACCOUNT_ID } },
    });
    const pol = byName(run, "aws:iam/rolePolicy:RolePolicy", "log-archive-firehose-policy");
    expect(stmt(pol, "WriteCloudWatchPrefix").Resource).toEqual([`${bucket().state.arn}/cloudwatch/*`]);
    expect(stmt(pol, "ArchiveKeyViaS3").Condition.StringEquals).toEqual({ "kms:ViaService": "s3.cn-north-1.amazonaws.com.cn" });
  });

  test("decompression flag: Firehose decompresses CloudWatch Logs records and writes GZIP", async () => {
    const r = await runStack("cn-north-1", {
      config: { logArchive: { firehoseDecompression: true, firehoseBufferSizeMb: 64, firehoseBufferIntervalSeconds: 60 } },
    });
    const x = byName(r, "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "log-archive-cloudwatch").inputs.extendedS3Configuration;
    expect(x.compressionFormat).toBe("GZIP");
    expect([x.bufferingSize, x.bufferingInterval]).toEqual([64, 60]);
    expect(x.processingConfiguration.processors.map((p: any) => p.type)).toEqual(["Decompression", "CloudWatchLogProcessing"]);
  });

  test("CloudWatch Logs role: the regional logs principal scoped by aws:SourceArn, may only put into the stream", () => {
    const trust = policyOf(cwlRole(), "assumeRolePolicy").Statement;
    expect(trust).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "logs.cn-north-1.amazonaws.com.cn" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID }, ArnLike: { "aws:SourceArn": `arn:aws-cn:logs:cn-north-1:${ACCOUNT_ID}:*` } },
      },
    ]);
    expect(policyOf(byName(run, "aws:iam/rolePolicy:RolePolicy", "log-archive-cwl-policy")).Statement).toEqual([
      { Sid: "PutIntoArchiveStream", Effect: "Allow", Action: ["firehose:PutRecord", "firehose:PutRecordBatch"], Resource: [stream().state.arn] },
    ]);
  });

  test("subscription filters: every matching existing group and every group LogArchive creates, nothing else", () => {
    const filters = ofType(run, "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter");
    expect(filters.map((f) => f.inputs.logGroup).sort()).toEqual([
      // the AuroraLab cluster's groups (the stack file turns the lab on), made by the agent kit (infra/log-archive/agent-kit.ts)
      "/aws/rds/cluster/cn-log-backup-lab/audit",
      "/aws/rds/cluster/cn-log-backup-lab/error",
      "/aws/rds/cluster/cn-log-backup-lab/slowquery",
      "/aws/rds/cluster/legacy-aurora/error",
      "/aws/rds/cluster/legacy-aurora/slowquery",
      "/aws/rds/cluster/orders/audit",
      "/aws/rds/cluster/orders/error",
      "/ec2/app",
      "/ec2/legacy-app/messages",
    ]);
    for (const f of filters) {
      expect(f.inputs).toMatchObject({ name: SUBSCRIPTION_FILTER_NAME, filterPattern: "", destinationArn: stream().state.arn, roleArn: cwlRole().state.arn });
    }
  });

  test("subscriber Lambda: CreateLogGroup rule + schedule, DLQ and retries, least privilege", () => {
    const rule = byName(run, "aws:cloudwatch/eventRule:EventRule", "log-archive-log-group-created");
    expect(JSON.parse(rule.inputs.eventPattern)).toEqual({
      source: ["aws.logs"],
      "detail-type": ["AWS API Call via CloudTrail"],
      detail: { eventSource: ["logs.amazonaws.com"], eventName: ["CreateLogGroup"] },
    });
    expect(byName(run, "aws:cloudwatch/eventRule:EventRule", "log-archive-subscription-recheck").inputs.scheduleExpression).toBe("rate(1 hour)");
    const fn = byName(run, "aws:lambda/function:Function", "log-archive-subscriber");
    expect(fn.inputs.environment.variables).toEqual({
      destinationArn: stream().state.arn,
      roleArn: cwlRole().state.arn,
      filterName: SUBSCRIPTION_FILTER_NAME,
      logGroupPatterns: JSON.stringify(["/aws/rds/cluster/", "/ec2/", "!/cn-log-backup/cn-north-1/firehose/"]),
    });
    const queue = byName(run, "aws:sqs/queue:Queue", "log-archive-failures");
    const targets = ofType(run, "aws:cloudwatch/eventTarget:EventTarget").filter((t) => t.name.startsWith("log-archive-subscriber-target"));
    expect(targets).toHaveLength(2);
    for (const t of targets) {
      expect(t.inputs.arn).toBe(fn.state.arn);
      expect(t.inputs.deadLetterConfig).toEqual({ arn: queue.state.arn });
      expect(t.inputs.retryPolicy).toEqual({ maximumRetryAttempts: 8, maximumEventAgeInSeconds: 3600 });
    }
    const perms = ofType(run, "aws:lambda/permission:Permission").filter((p) => p.name.startsWith("log-archive-subscriber-invoke"));
    expect(perms.map((p) => p.inputs.sourceArn).sort()).toEqual(
      [rule.state.arn, byName(run, "aws:cloudwatch/eventRule:EventRule", "log-archive-subscription-recheck").state.arn].sort(),
    );
    const pol = byName(run, "aws:iam/rolePolicy:RolePolicy", "log-archive-subscriber-policy");
    expect(stmt(pol, "ManageSubscriptionFilters")).toEqual({
      Sid: "ManageSubscriptionFilters",
      Effect: "Allow",
      Action: ["logs:DescribeSubscriptionFilters", "logs:PutSubscriptionFilter"],
      Resource: [`arn:aws-cn:logs:cn-north-1:${ACCOUNT_ID}:log-group:*`],
    });
    expect(stmt(pol, "PassCloudWatchLogsRole")).toEqual({
      Sid: "PassCloudWatchLogsRole",
      Effect: "Allow",
      Action: ["iam:PassRole"],
      Resource: [cwlRole().state.arn],
      Condition: { StringEquals: { "iam:PassedToService": ["logs.amazonaws.com", "logs.amazonaws.com.cn", "logs.cn-north-1.amazonaws.com.cn"] } },
    });
    expect(
      byName(run, "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "log-archive-subscriber-async").inputs.destinationConfig.onFailure
        .destination,
    ).toBe(queue.state.arn);
    // Only the rules that target LogArchive's functions, not any rule of the account.
    expect(stmt(byName(run, "aws:sqs/queuePolicy:QueuePolicy", "log-archive-failures-policy"), "EventBridgeDeadLetters").Condition).toEqual({
      ArnEquals: { "aws:SourceArn": [rule.state.arn, byName(run, "aws:cloudwatch/eventRule:EventRule", "log-archive-subscription-recheck").state.arn] },
    });
  });
});

describe("LogArchive CloudWatch Logs via Firehose: variants", () => {
  test("a group it makes for another component (the lab's) that already exists gets one subscription filter, not two", async () => {
    const existing = EXISTING_LOG_GROUPS["cn-north-1"];
    const labAudit = "/aws/rds/cluster/cn-log-backup-lab/audit";
    existing.push(labAudit); // the second `pulumi up`: the lookup finds the group the first one made
    try {
      const run = await runStack("cn-north-1");
      const filters = ofType(run, "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter").filter((f) => f.inputs.logGroup === labAudit);
      expect(filters.map((f) => f.name)).toEqual(["log-archive-rds-cn-log-backup-lab-audit-subscription"]);
      // the lookup's other finds are still subscribed
      expect(ofType(run, "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter").map((f) => f.inputs.logGroup)).toContain("/ec2/legacy-app/messages");
    } finally {
      existing.splice(existing.indexOf(labAudit), 1);
    }
  });
});
