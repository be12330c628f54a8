/**
 * AuditLogPipeline in the primary stack under the aws-cn mocks: the properties that keep records
 * from being lost (redrive, visibility, partial batches, bisect, bounded retries, on-failure
 * destination), encryption with the right keys, least privilege per role, the schedule and the
 * alarms; what the serialized artifacts require. They run end to end against moto in
 * tests/functions/audit-log/serialized-moto.test.ts.
 */
import { ACCOUNT_ID, one, ofType, policyOf, runStack } from "../helpers/pulumi";
import type { StackRun } from "../../tools/harness";
import { bundleProblems, requiredModules, unavailableInRuntime } from "../../tools/serialized";
import { artifactOf } from "../helpers/pulumi";
import { parseConfig } from "../../stacks/config";
import { stackConfig } from "../../tools/harness";

const BUCKET = "archive-bucket-cn";
const ARCHIVE_KEY = `arn:aws-cn:kms:cn-north-1:${ACCOUNT_ID}:key/0f0f0f0f-1111-2222-3333-444444444444`;

let run: StackRun;
const res = (type: string, suffix: string) => one(run, type, suffix);
const statementsOf = (roleSuffix: string) => {
  const policy = run.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === `${roleSuffix}-policy`)!;
  return policyOf(policy).Statement;
};

beforeAll(async () => {
  run = await runStack("cn-north-1", {
    config: { auditLogPipeline: { enabled: true, scheduleMinutes: 5, archiveBucketName: BUCKET, archiveKmsKeyArn: ARCHIVE_KEY } },
  });
}, 120000);

describe("AuditLogPipeline under mocks", () => {
  test("the table: keys, stream with both images, PITR, the pipeline's customer-managed key, the sparse pending index", () => {
    const table = res("aws:dynamodb/table:Table", "audit-log-files");
    const key = res("aws:kms/key:Key", "audit-log-key");
    expect(table.inputs).toMatchObject({
      hashKey: "DBInstanceIdentifier",
      rangeKey: "LogFileName",
      streamEnabled: true,
      streamViewType: "NEW_AND_OLD_IMAGES",
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: key.state.arn },
    });
    expect(table.inputs.globalSecondaryIndexes).toEqual([
      expect.objectContaining({ name: "PendingSince", hashKey: "DBInstanceIdentifier", rangeKey: "PendingSince", projectionType: "KEYS_ONLY" }),
    ]);
    expect(key.inputs.enableKeyRotation).toBe(true);
  });

  test("the queue: KMS, redrive to the KMS-encrypted DLQ, visibility timeout >= 6x the detector's timeout", () => {
    const queue = res("aws:sqs/queue:Queue", "audit-log-instances");
    const dlq = res("aws:sqs/queue:Queue", "audit-log-dlq");
    const key = res("aws:kms/key:Key", "audit-log-key");
    const detector = run.resources.find((r) => r.type === "aws:lambda/function:Function" && r.name === "audit-log-detector")!;
    expect(queue.inputs.kmsMasterKeyId).toBe(key.state.arn);
    expect(dlq.inputs.kmsMasterKeyId).toBe(key.state.arn);
    expect(queue.inputs.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(6 * detector.inputs.timeout);
    expect(JSON.parse(queue.inputs.redrivePolicy)).toEqual({ deadLetterTargetArn: dlq.state.arn, maxReceiveCount: 5 });
  });

  test("event source mappings: SQS with partial batch responses; the stream with bisect, bounded retries, max age, partial batches, on-failure DLQ", () => {
    const mappings = ofType(run, "aws:lambda/eventSourceMapping:EventSourceMapping");
    const sqs = mappings.find((m) => m.name === "audit-log-detector-queue")!;
    const stream = mappings.find((m) => m.name === "audit-log-downloader-stream")!;
    const queue = res("aws:sqs/queue:Queue", "audit-log-instances");
    const dlq = res("aws:sqs/queue:Queue", "audit-log-dlq");
    const table = res("aws:dynamodb/table:Table", "audit-log-files");
    expect(sqs.inputs).toMatchObject({ eventSourceArn: queue.state.arn, functionResponseTypes: ["ReportBatchItemFailures"] });
    expect(stream.inputs).toMatchObject({
      eventSourceArn: table.state.streamArn,
      startingPosition: "TRIM_HORIZON",
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: 5,
      maximumRecordAgeInSeconds: 43200,
      functionResponseTypes: ["ReportBatchItemFailures"],
      destinationConfig: { onFailure: { destinationArn: dlq.state.arn } },
    });
    expect(table.state.streamArn).toMatch(/^arn:aws-cn:dynamodb:cn-north-1:/);
    expect(JSON.parse(stream.inputs.filterCriteria.filters[0].pattern)).toEqual({ dynamodb: { Keys: { LogFileName: { S: [{ prefix: "audit/" }] } } } });
  });

  test("EventBridge Scheduler every N minutes, with its own role that may only invoke the scanner, retries and a DLQ", () => {
    const schedule = res("aws:scheduler/schedule:Schedule", "audit-log-scan");
    const role = res("aws:iam/role:Role", "audit-log-scheduler-role");
    const scanner = run.resources.find((r) => r.type === "aws:lambda/function:Function" && r.name === "audit-log-scanner")!;
    const dlq = res("aws:sqs/queue:Queue", "audit-log-dlq");
    expect(schedule.inputs.scheduleExpression).toBe("rate(5 minutes)");
    expect(schedule.inputs.target).toMatchObject({
      arn: scanner.state.arn,
      roleArn: role.state.arn,
      deadLetterConfig: { arn: dlq.state.arn },
      retryPolicy: { maximumRetryAttempts: 2 },
    });
    const trust = policyOf(role, "assumeRolePolicy").Statement[0];
    expect(trust.Principal).toEqual({ Service: "scheduler.amazonaws.com" });
    expect(trust.Condition.StringEquals).toEqual({ "aws:SourceAccount": ACCOUNT_ID });
    // Scheduler presents the schedule group's ARN (scheduler/UserGuide/cross-service-confused-deputy-prevention.html).
    expect(schedule.inputs.groupName).toBe("default");
    expect(trust.Condition.ArnLike["aws:SourceArn"]).toBe(`arn:aws-cn:scheduler:cn-north-1:${ACCOUNT_ID}:schedule-group/default`);
    const policy = policyOf(res("aws:iam/rolePolicy:RolePolicy", "audit-log-scheduler-policy")).Statement;
    expect(policy.find((s: any) => s.Sid === "InvokeScanner")).toEqual({
      Sid: "InvokeScanner",
      Effect: "Allow",
      Action: ["lambda:InvokeFunction"],
      Resource: [scanner.state.arn],
    });
    expect(policy.flatMap((s: any) => s.Action)).toEqual(["lambda:InvokeFunction", "sqs:SendMessage", "kms:GenerateDataKey", "kms:Decrypt"]);
  });

  test("least privilege: each role gets exactly its actions, on exactly its resources", () => {
    const rds = (r: string) => `arn:aws-cn:rds:cn-north-1:${ACCOUNT_ID}:${r}`;
    const table = res("aws:dynamodb/table:Table", "audit-log-files");
    const queue = res("aws:sqs/queue:Queue", "audit-log-instances");
    const dlq = res("aws:sqs/queue:Queue", "audit-log-dlq");
    const key = res("aws:kms/key:Key", "audit-log-key");
    const actionsOn = (stmts: any[]) =>
      Object.fromEntries(
        stmts.filter((s) => s.Sid !== "WriteOwnLogGroup").map((s) => [s.Sid, { Action: s.Action, Resource: s.Resource, Condition: s.Condition }]),
      );
    const via = (svc: string) => ({ StringEquals: { "kms:ViaService": `${svc}.cn-north-1.amazonaws.com.cn` } });

    expect(actionsOn(statementsOf("audit-log-scanner"))).toEqual({
      DescribeInstances: { Action: ["rds:DescribeDBInstances"], Resource: [rds("db:*")] },
      DescribeClusters: { Action: ["rds:DescribeDBClusters"], Resource: [rds("cluster:*")] },
      ReadClusterParameters: { Action: ["rds:DescribeDBClusterParameters"], Resource: [rds("cluster-pg:*")] },
      QueueInstances: { Action: ["sqs:SendMessage"], Resource: [queue.state.arn] },
      EncryptQueueMessages: { Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: [key.state.arn], Condition: via("sqs") },
    });
    expect(actionsOn(statementsOf("audit-log-detector"))).toEqual({
      ListLogFiles: { Action: ["rds:DescribeDBLogFiles"], Resource: [rds("db:*")] },
      TrackFiles: { Action: ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:UpdateItem"], Resource: [table.state.arn] },
      FindOldestPending: { Action: ["dynamodb:Query"], Resource: [`${table.state.arn}/index/PendingSince`] },
      // What the SQS event source mapping calls; the detector itself never changes a message's visibility.
      ConsumeInstanceQueue: { Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], Resource: [queue.state.arn] },
      DecryptQueueMessages: { Action: ["kms:Decrypt"], Resource: [key.state.arn], Condition: via("sqs") },
      UseTableKey: { Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"], Resource: [key.state.arn], Condition: via("dynamodb") },
    });
    expect(actionsOn(statementsOf("audit-log-downloader"))).toEqual({
      DownloadLogFiles: { Action: ["rds:DownloadCompleteDBLogFile", "rds:DownloadDBLogFilePortion"], Resource: [rds("db:*")] },
      ConfirmLogFileGone: { Action: ["rds:DescribeDBLogFiles"], Resource: [rds("db:*")] },
      WriteAuditLogObjects: { Action: ["s3:PutObject", "s3:AbortMultipartUpload"], Resource: [`arn:aws-cn:s3:::${BUCKET}/audit-logs/*`] },
      UseArchiveKeyThroughS3: { Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: [ARCHIVE_KEY], Condition: via("s3") },
      RecordBackups: { Action: ["dynamodb:GetItem", "dynamodb:UpdateItem"], Resource: [table.state.arn] },
      ReadTableStream: { Action: ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"], Resource: [table.state.streamArn] },
      // ListStreams takes no resource ARN: scoped to the stream it would match nothing.
      ListTableStreams: { Action: ["dynamodb:ListStreams"], Resource: "*" },
      UseTableKey: { Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"], Resource: [key.state.arn], Condition: via("dynamodb") },
      SendFailedBatchesToDlq: { Action: ["sqs:SendMessage"], Resource: [dlq.state.arn] },
      EncryptDlqMessages: { Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: [key.state.arn], Condition: via("sqs") },
    });
  });

  test("nothing the pipeline makes carries an aws (non-China) ARN", () => {
    const mine = run.resources.filter((r) => r.name.startsWith("audit-log"));
    expect(mine.length).toBeGreaterThan(20);
    expect(JSON.stringify(mine.map((r) => r.inputs))).not.toMatch(/arn:aws:/);
  });

  test("alarms: DLQ depth > 0, downloader errors, oldest un-backed-up file, missed files", () => {
    const alarms = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.name.startsWith("audit-log"));
    const by = (n: string) => alarms.find((a) => a.name === `audit-log-${n}`)!.inputs;
    const dlq = res("aws:sqs/queue:Queue", "audit-log-dlq");
    expect(by("dlq-depth")).toMatchObject({
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: dlq.state.name },
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
    });
    const downloader = run.resources.find((r) => r.type === "aws:lambda/function:Function" && r.name === "audit-log-downloader")!;
    const errors = by("downloader-errors");
    expect(errors.metricQueries.find((q: any) => q.id === "errors").metric).toMatchObject({
      namespace: "AWS/Lambda",
      metricName: "Errors",
      dimensions: { FunctionName: downloader.state.name },
    });
    expect(errors.metricQueries.find((q: any) => q.id === "failures").metric).toMatchObject({
      namespace: "CnLogBackup/AuditLog",
      metricName: "DownloadFailures",
    });
    expect(errors.threshold).toBe(0);
    expect(by("oldest-pending")).toMatchObject({
      namespace: "CnLogBackup/AuditLog",
      metricName: "OldestPendingAgeSeconds",
      statistic: "Maximum",
      threshold: 3600,
      dimensions: { Pipeline: "cn-north-1-audit-log" },
    });
    expect(by("missed-files")).toMatchObject({ metricName: "MissedFiles", statistic: "Sum", threshold: 0 });
  });

  test("without explicit archive keys the stack's pipeline writes into LogArchive's bucket with LogArchive's key", async () => {
    const plain = await runStack("cn-north-1");
    const pipeline = plain.resources.filter((r) => r.name.startsWith("audit-log"));
    expect(pipeline.length).toBeGreaterThan(0);
    const bucket = plain.resources.find((r) => r.type === "aws:s3/bucket:Bucket" && r.name === "log-archive-archive")!;
    const key = plain.resources.find((r) => r.type === "aws:kms/key:Key" && r.name === "log-archive-archive-key")!;
    const text = JSON.stringify(pipeline.map((r) => r.inputs));
    expect(text).toContain(`${bucket.state.arn}/audit-logs/`);
    expect(text).toContain(key.state.arn);
  });
});

describe("auditLogPipeline config", () => {
  const base = { ...stackConfig("cn-north-1") };
  test("defaults", () => {
    const cfg = parseConfig({ "aws:region": "cn-north-1" }, "s").auditLogPipeline;
    expect(cfg).toMatchObject({
      enabled: true,
      scheduleMinutes: 5,
      downloaderTimeoutSeconds: 900,
      partSizeMb: 8,
      streamMaxRetries: 5,
      oldestPendingAlarmMinutes: 60,
    });
  });
  test("bad values name the key, the value and what is allowed", () => {
    const bad = {
      ...base,
      "cn-log-backup:auditLogPipeline": JSON.stringify({ scheduleMinutes: 0, partSizeMb: 2, archiveKmsKeyArn: "arn:aws:kms:us-east-1:1:key/x" }),
    };
    const msg = (() => {
      try {
        parseConfig(bad, "cn-north-1");
      } catch (e) {
        return (e as Error).message;
      }
      return "";
    })();
    expect(msg).toContain("cn-log-backup:auditLogPipeline.scheduleMinutes: 0 is not allowed; expected an integer from 1 to 60");
    expect(msg).toContain("cn-log-backup:auditLogPipeline.partSizeMb: 2 is not allowed; expected an integer from 5 to 512");
    expect(msg).toContain(
      'cn-log-backup:auditLogPipeline.archiveKmsKeyArn: "arn:aws:kms:us-east-1:1:key/x" is not allowed; expected a KMS key ARN in the aws-cn partition',
    );
  });
  test("the archive bucket and key go together", () => {
    const half = { ...base, "cn-log-backup:auditLogPipeline": JSON.stringify({ archiveBucketName: "my-bucket" }) };
    expect(() => parseConfig(half, "cn-north-1")).toThrow(
      'cn-log-backup:auditLogPipeline.archiveKmsKeyArn: is unset while auditLogPipeline.archiveBucketName is "my-bucket"; set both or neither',
    );
  });
});

describe("the three Lambdas' serialized artifacts", () => {
  const lambda = (n: string) => run.lambdas.find((l) => l.name === n)!.lambda;

  test("each artifact needs only Node built-ins, what the runtime provides and what it bundles", async () => {
    for (const n of ["audit-log-scanner", "audit-log-detector", "audit-log-downloader"]) {
      const art = await artifactOf(lambda(n).code);
      expect({ n, missing: unavailableInRuntime(art), problems: bundleProblems(art) }).toEqual({ n, missing: [], problems: [] });
      const bundled = art.entries.map((e) => e.path).filter((p) => p !== "__index.js");
      // The scanner prints no metrics and carries nothing; the others carry aws-embedded-metrics.
      if (n === "audit-log-scanner") expect(bundled).toEqual([]);
      else expect(bundled).toContain("node_modules/aws-embedded-metrics/lib/index.js");
      expect(bundled.every((p) => p.startsWith("node_modules/aws-embedded-metrics/") || p.startsWith("node_modules/@datastructures-js/heap/"))).toBe(true);
    }
  });

  test("the downloader requires the DynamoDB, RDS and S3 clients and Node built-ins, no other SDK package (issue 12 item 18)", async () => {
    const required = requiredModules((await artifactOf(lambda("audit-log-downloader").code)).indexJs);
    // aws-embedded-metrics is bundled into the artifact (functions/shared/metrics.ts), not the runtime's.
    expect(required.filter((m) => !["crypto", "http", "https", "stream"].includes(m)).map((m) => m.split("/").slice(0, 2).join("/"))).toEqual([
      "@aws-sdk/client-dynamodb",
      "@aws-sdk/client-rds",
      "@aws-sdk/client-s3",
      "aws-embedded-metrics/lib",
    ]);
  });
  test("the REST path version reaches the downloader from the stack file: v13 unless set", () => {
    const fn = run.resources.find((r) => r.type === "aws:lambda/function:Function" && r.name === "audit-log-downloader")!;
    expect(fn.inputs.environment.variables.restPathVersion).toBe("v13");
  });
  // Executed end to end (scanner -> SQS -> detector -> DynamoDB stream -> downloader) against moto:
  // tests/functions/audit-log/serialized-moto.test.ts.
});
