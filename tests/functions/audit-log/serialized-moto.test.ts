/**
 * The pipeline as deployed: the serialized artifacts of the scanner, detector and downloader (as
 * Pulumi packages them), their environment from the stack, run against moto (SQS, DynamoDB and its
 * real stream, versioned SSE-KMS S3, KMS) and the fake RDS log API (moto has none). The stream is
 * delivered by the Lambda-like poller configured from the stack's own event source mapping
 * (batch size, bisect, retries, ReportBatchItemFailures, filter criteria): a mapping without
 * ReportBatchItemFailures, say, would make this test lose the failing file's neighbours.
 */
import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { ResourceRecord } from "../../../tools/types";
import type { StackRun } from "../../../tools/harness";
import { loadHandler, ofType, runStack } from "../../helpers/pulumi";
import { startFakeRds, type FakeRds } from "../../helpers/fake-rds";
import { content, sha256Of, sha256OfStream } from "../../helpers/log-content";
import { createAuditTable } from "../../helpers/local-servers";
import { describeWithMoto } from "../../helpers/moto";
import { REGION, startAuditMoto, type AuditMoto } from "../../helpers/moto-audit";
import { streamPoller } from "../../helpers/stream-poller";
import { extractMetrics } from "../../helpers/cloudwatch-emf";
import { runInLambdaRuntime } from "../../helpers/lambda-runtime-logs";

const BUCKET = "archive-bucket-cn";
const CREDENTIALS = { accessKeyId: "AKIDSERIALIZED", secretAccessKey: "serialized-secret" };

describeWithMoto("audit-log artifacts end to end: detector -> moto's DynamoDB stream -> downloader", () => {
  let aws: AuditMoto;
  let fake: FakeRds;
  let run: StackRun;
  let sqs: SQSClient;
  const saved: Record<string, string | undefined> = {};
  const fn = (n: string) => run.resources.find((r) => r.type === "aws:lambda/function:Function" && r.name === n)!;
  const envOf = (r: ResourceRecord): Record<string, string> => r.inputs.environment?.variables ?? {};
  const lambda = (n: string) => run.lambdas.find((l) => l.name === n)!.lambda;

  beforeAll(async () => {
    [aws, fake] = await Promise.all([startAuditMoto(), startFakeRds({ credentials: CREDENTIALS })]);
    // The stack's archive key is moto's key, so SSE-KMS under it works in moto S3.
    run = await runStack("cn-north-1", {
      config: { auditLogPipeline: { enabled: true, scheduleMinutes: 5, archiveBucketName: BUCKET, archiveKmsKeyArn: aws.kmsKeyArn } },
    });
    await aws.newBucket(BUCKET);
    sqs = new SQSClient({ endpoint: aws.moto.endpoint, region: REGION, credentials: CREDENTIALS });
    const env: Record<string, string> = {
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
      RDS_ENDPOINT: fake.url,
      RDS_REST_ENDPOINT: fake.url,
      SQS_ENDPOINT: aws.moto.endpoint,
      S3_ENDPOINT: aws.moto.endpoint,
      DYNAMODB_ENDPOINT: aws.moto.endpoint,
    };
    for (const k of [...Object.keys(env), "AWS_SESSION_TOKEN", "AWS_PROFILE"]) saved[k] = process.env[k];
    Object.assign(process.env, env);
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
  }, 180000);
  afterAll(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    sqs?.destroy();
    await Promise.all([aws?.stop(), fake?.stop()]);
  });

  test("every file but the failing one is backed up byte-identical; the failing one ends on the on-failure destination, retried from its sequence number", async () => {
    const tableName = envOf(fn("audit-log-detector")).tableName;
    const queueUrl = envOf(fn("audit-log-scanner")).queueUrl;
    expect(envOf(fn("audit-log-downloader"))).toMatchObject({ tableName: tableName, archiveBucketName: BUCKET, archiveKmsKeyArn: aws.kmsKeyArn });
    const streamArn = (await createAuditTable(aws.dynamodb, tableName, { stream: true }))!;
    await sqs.send(new CreateQueueCommand({ QueueName: queueUrl.split("/").pop()! }));

    fake.parameterGroups.set("pg", { server_audit_logging: "1" });
    fake.clusters.set("c1", { engine: "aurora-mysql", parameterGroup: "pg" });
    fake.addInstance("db-a", "c1");
    const files = [content(31, 6 * 1024 * 1024 + 3), content(32, 40_000), content(33, 50_000)];
    const names = files.map((_, i) => `audit/audit.log.${i}.2026-11-22-10-00.0`);
    files.forEach((c, i) => fake.setFile("db-a", names[i], { content: c, lastWritten: 1_795_000_000_000 + i }));
    fake.faults.failFiles.add(`db-a/${names[1]}`);

    const scanner = await loadHandler(lambda("audit-log-scanner"), envOf(fn("audit-log-scanner")));
    expect(await scanner({})).toEqual({ instances: 1, sent: 1, failed: [] });
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
    expect(received.Messages).toHaveLength(1);

    const detector = await loadHandler(lambda("audit-log-detector"), envOf(fn("audit-log-detector")));
    const sqsEvent = {
      Records: received.Messages!.map((m) => ({
        messageId: m.MessageId,
        receiptHandle: m.ReceiptHandle,
        body: m.Body,
        eventSource: "aws:sqs",
        awsRegion: REGION,
      })),
    };
    const logLines: string[] = [];
    const detected = await runInLambdaRuntime(() => detector(sqsEvent));
    logLines.push(...detected.lines);
    expect(detected.result).toEqual({ batchItemFailures: [] });

    const mapping = ofType(run, "aws:lambda/eventSourceMapping:EventSourceMapping").find((m) => m.name === "audit-log-downloader-stream")!.inputs;
    const downloader = await loadHandler(lambda("audit-log-downloader"), envOf(fn("audit-log-downloader")));
    const responses: unknown[] = [];
    const poller = streamPoller(
      aws.streams,
      streamArn,
      REGION,
      {
        batchSize: mapping.batchSize,
        bisectBatchOnFunctionError: mapping.bisectBatchOnFunctionError,
        maximumRetryAttempts: mapping.maximumRetryAttempts,
        functionResponseTypes: mapping.functionResponseTypes,
        filterPatterns: (mapping.filterCriteria?.filters ?? []).map((f: { pattern: string }) => f.pattern),
      },
      async (event) => {
        // Under the runtime's JSON log format, as deployed (logFormat JSON).
        const { result, lines } = await runInLambdaRuntime(() => downloader(event));
        logLines.push(...lines);
        responses.push(result);
        return result;
      },
    );
    await poller.drain();

    for (const i of [0, 2]) {
      const obj = await aws.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `audit-logs/db-a/${names[i]}` }));
      expect(await sha256OfStream(obj.Body as AsyncIterable<Uint8Array>)).toEqual({ sha256: await sha256Of(files[i]), bytes: files[i].size });
      const item = (
        await aws.dynamodb.send(new GetItemCommand({ TableName: tableName, Key: { DBInstanceIdentifier: { S: "db-a" }, LogFileName: { S: names[i] } } }))
      ).Item!;
      expect({ status: item.BackupStatus?.S, version: item.BackupVersionId?.S, sse: obj.ServerSideEncryption }).toEqual({
        status: "backed-up",
        version: obj.VersionId,
        sse: "aws:kms",
      });
    }
    const failing = (
      await aws.dynamodb.send(new GetItemCommand({ TableName: tableName, Key: { DBInstanceIdentifier: { S: "db-a" }, LogFileName: { S: names[1] } } }))
    ).Item!;
    expect(failing.BackupStatus).toEqual({ S: "pending" });
    expect(poller.onFailure).toHaveLength(1);
    expect(poller.onFailure[0].DDBStreamBatchInfo).toMatchObject({ streamArn, batchSize: 2 }); // the failing file's record and the one after it
    expect(responses.length).toBe(1 + mapping.maximumRetryAttempts + 1); // first try, the retries, then the bookkeeping records
    // The good files were downloaded once each, however often their records were replayed.
    expect(fake.calls.REST - (fake.injected.failed ?? 0)).toBe(2);

    // Every alarm's metric is there as CloudWatch extracts EMF from the log stream, under the
    // alarm's own namespace and dimensions (issue 12 item 7).
    const extracted = extractMetrics(logLines);
    for (const metricName of ["MissedFiles", "DownloadFailures", "OldestPendingAgeSeconds"]) {
      const watched = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm")
        .flatMap((r) => [r.inputs, ...(r.inputs.metricQueries ?? []).map((q: { metric?: unknown }) => q.metric).filter(Boolean)])
        .find((m: { metricName?: string }) => m.metricName === metricName);
      expect({ metricName, alarmed: !!watched }).toEqual({ metricName, alarmed: true });
      const seen = extracted.filter(
        (m) => m.namespace === watched.namespace && m.name === metricName && m.dimensions.some((d) => JSON.stringify(d) === JSON.stringify(watched.dimensions)),
      );
      expect({ metricName, extracted: seen.length > 0 }).toEqual({ metricName, extracted: true });
    }
    expect(extracted.filter((m) => m.name === "FilesBackedUp").reduce((n, m) => n + m.values.reduce((a, b) => a + b, 0), 0)).toBe(2);
    expect(
      extracted
        .filter((m) => m.name === "DownloadFailures")
        .flatMap((m) => m.values)
        .some((v) => v > 0),
    ).toBe(true);
  });
});
