/**
 * The two LogArchive Lambdas, executed from the `__index.js` Pulumi serialized for the primary
 * stack with the environment the stack gives them, against moto's CloudWatch Logs, Firehose, S3
 * and KMS (tests/helpers/moto.ts) instead of the project's fake (fake-logs.ts). The SDK clients the
 * artifacts build find moto through `AWS_ENDPOINT_URL`, the SDK's documented endpoint variable
 * (https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html).
 *
 * What moto 5.2.1 does not model, so those cases stay on fake-logs.ts (serialized.test.ts,
 * export-tasks.test.ts): an export task's life (moto writes the objects and marks the task
 * COMPLETED inside CreateExportTask: no PENDING/RUNNING phase, no FAILED task),
 * DescribeExportTasks' `statusCode` filter (ignored), and the one-active-export-task-per-account
 * limit (LimitExceededException).
 * moto also refuses to update a group's existing filter when the group has two; AWS allows it.
 */
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeExportTasksCommand,
  DescribeSubscriptionFiltersCommand,
  PutLogEventsCommand,
  PutSubscriptionFilterCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketEncryptionCommand,
  PutBucketVersioningCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import * as fs from "fs";
import * as path from "path";
import { gunzipSync } from "zlib";
import { loadHandler, one, runStack } from "../../helpers/pulumi";
import type { StackRun } from "../../../tools/harness";
import { describeWithMoto, MotoServer, startMoto } from "../../helpers/moto";

const fixture = (name: string): any => JSON.parse(fs.readFileSync(path.join(__dirname, "../../fixtures/log-archive", name), "utf8"));
const REGION = "cn-north-1";

function lambdaOf(run: StackRun, name: string) {
  const rec = run.lambdas.find((l) => l.name === name);
  if (!rec) throw new Error(`no lambda ${name}: ${run.lambdas.map((l) => l.name).join(", ")}`);
  return rec.lambda;
}
function envOf(run: StackRun, name: string): Record<string, string> {
  return one(run, "aws:lambda/function:Function", name).inputs.environment.variables;
}

/** A JSON-protocol call to moto for a service we have no SDK client of (Firehose). */
async function motoJson(moto: MotoServer, service: string, target: string, body: unknown): Promise<any> {
  const res = await fetch(moto.endpoint, {
    method: "POST",
    headers: {
      "Content-Type": "application/x-amz-json-1.1",
      "X-Amz-Target": target,
      Authorization: `AWS4-HMAC-SHA256 Credential=testing/20261201/${REGION}/${service}/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${target}: HTTP ${res.status}: ${text}`);
  return text ? JSON.parse(text) : {};
}

async function createDeliveryStream(moto: MotoServer, arn: string): Promise<void> {
  const name = arn.split("/").pop()!;
  await motoJson(moto, "firehose", "Firehose_20150804.CreateDeliveryStream", {
    DeliveryStreamName: name,
    DeliveryStreamType: "DirectPut",
    ExtendedS3DestinationConfiguration: { RoleARN: `arn:aws-cn:iam::123456789012:role/firehose`, BucketARN: "arn:aws-cn:s3:::cn-log-backup-archive" },
  });
}

describeWithMoto("LogArchive functions, serialized, against moto", () => {
  let moto: MotoServer;
  let logs: CloudWatchLogsClient;
  let s3: S3Client;
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    moto = await startMoto();
    const env: Record<string, string> = {
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: moto.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: moto.credentials.secretAccessKey,
    };
    for (const k of [...Object.keys(env), "AWS_SESSION_TOKEN", "AWS_PROFILE"]) saved[k] = process.env[k];
    Object.assign(process.env, env);
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    const opts = { endpoint: moto.endpoint, region: REGION, credentials: moto.credentials };
    logs = new CloudWatchLogsClient(opts);
    s3 = new S3Client({ ...opts, forcePathStyle: true });
  }, 120000);
  afterAll(async () => {
    logs?.destroy();
    s3?.destroy();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await moto?.stop();
  });
  beforeEach(async () => {
    await moto.reset();
    jest.spyOn(console, "log").mockImplementation(() => undefined);
    jest.spyOn(console, "warn").mockImplementation(() => undefined);
    jest.spyOn(console, "error").mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  describe("subscriber (firehose mode)", () => {
    let run: StackRun;
    let env: Record<string, string>;
    let handler: (event: unknown) => Promise<any>;
    beforeAll(async () => {
      run = await runStack(REGION);
      env = envOf(run, "log-archive-subscriber");
      handler = await loadHandler(lambdaOf(run, "log-archive-subscriber"), env);
      Object.assign(process.env, env);
    });
    const filtersOf = async (logGroupName: string) => (await logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName }))).subscriptionFilters ?? [];

    test("a CreateLogGroup event subscribes the new group to the stack's stream, once; failed calls and other groups are left alone", async () => {
      await createDeliveryStream(moto, env.destinationArn);
      await logs.send(new CreateLogGroupCommand({ logGroupName: "/aws/rds/cluster/lab-aurora/audit" }));
      await logs.send(new CreateLogGroupCommand({ logGroupName: "/app/orders/debug" }));
      await logs.send(new CreateLogGroupCommand({ logGroupName: "/ec2/app/messages" }));

      const event = fixture("create-log-group-rds.json");
      expect(await handler(event)).toMatchObject({ subscribed: ["/aws/rds/cluster/lab-aurora/audit"] });
      expect(await handler(event)).toMatchObject({ subscribed: [], alreadySubscribed: ["/aws/rds/cluster/lab-aurora/audit"] });
      const filters = await filtersOf("/aws/rds/cluster/lab-aurora/audit");
      expect(filters.map((f) => ({ filterName: f.filterName, destinationArn: f.destinationArn, roleArn: f.roleArn, filterPattern: f.filterPattern }))).toEqual([
        { filterName: "cn-log-backup-archive", destinationArn: env.destinationArn, roleArn: env.roleArn, filterPattern: "" },
      ]);

      expect(await handler(fixture("create-log-group-nonmatching.json"))).toMatchObject({ ignored: ["/app/orders/debug"] });
      expect(await filtersOf("/app/orders/debug")).toEqual([]);
      expect(await handler(fixture("create-log-group-failed.json"))).toMatchObject({ ignored: ["/ec2/app/messages"], failed: [] });
      expect(await filtersOf("/ec2/app/messages")).toEqual([]);
    });

    test("moto refuses a destination stream that does not exist, and the invocation fails (retry / failure queue)", async () => {
      await logs.send(new CreateLogGroupCommand({ logGroupName: "/aws/rds/cluster/lab-aurora/audit" }));
      await expect(handler(fixture("create-log-group-rds.json"))).rejects.toMatchObject({ name: "InvalidParameterException" });
    });

    test("the scheduled re-check subscribes every matching group and reports one whose two filters are foreign's", async () => {
      await createDeliveryStream(moto, env.destinationArn);
      const foreign = ["arn:aws-cn:firehose:cn-north-1:123456789012:deliverystream/siem", "arn:aws-cn:firehose:cn-north-1:123456789012:deliverystream/other"];
      for (const f of foreign) await createDeliveryStream(moto, f);
      for (const g of ["/aws/rds/cluster/a/error", "/ec2/app", "/ec2/full", "/aws/lambda/x", "/cn-log-backup/cn-north-1/firehose/log-archive"]) {
        await logs.send(new CreateLogGroupCommand({ logGroupName: g }));
      }
      for (const [i, f] of foreign.entries()) {
        await logs.send(
          new PutSubscriptionFilterCommand({
            logGroupName: "/ec2/full",
            filterName: `foreign-${i}`,
            filterPattern: "",
            destinationArn: f,
            roleArn: env.roleArn,
          }),
        );
      }
      const res = await handler(fixture("scheduled-event.json"));
      expect(res).toMatchObject({ subscribed: ["/aws/rds/cluster/a/error", "/ec2/app"], filterLimit: ["/ec2/full"], failed: [] });
      expect((await filtersOf("/ec2/full")).map((f) => f.filterName).sort()).toEqual(["foreign-0", "foreign-1"]);
      expect(await filtersOf("/aws/lambda/x")).toEqual([]);
      expect(await filtersOf("/cn-log-backup/cn-north-1/firehose/log-archive")).toEqual([]);
    });
  });

  describe("export-task chain (exportTask mode)", () => {
    let run: StackRun;
    let env: Record<string, string>;
    beforeAll(async () => {
      run = await runStack(REGION, { config: { logArchive: { cloudWatchLogsMode: "exportTask", exportPeriod: "hour" } } });
      env = envOf(run, "log-archive-exporter");
    });

    test("exports the last closed period of a new matching group into the versioned SSE-KMS archive bucket and advances the cursor", async () => {
      const bucket = env.archiveBucketName;
      const key = (await motoJson(moto, "kms", "TrentService.CreateKey", { Description: "archive", KeyUsage: "ENCRYPT_DECRYPT" })).KeyMetadata;
      expect(key.Arn).toMatch(/^arn:aws-cn:kms:cn-north-1:123456789012:key\//);
      await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: REGION } }));
      await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Enabled" } }));
      await s3.send(
        new PutBucketEncryptionCommand({
          Bucket: bucket,
          ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: key.Arn } }] },
        }),
      );
      await logs.send(new CreateLogGroupCommand({ logGroupName: "/aws/rds/cluster/lab/audit" }));
      await logs.send(new CreateLogGroupCommand({ logGroupName: "/not/archived" }));
      await logs.send(new CreateLogStreamCommand({ logGroupName: "/aws/rds/cluster/lab/audit", logStreamName: "lab-1" }));
      const createdAt = Date.now();
      await logs.send(
        new PutLogEventsCommand({
          logGroupName: "/aws/rds/cluster/lab/audit",
          logStreamName: "lab-1",
          logEvents: [{ timestamp: createdAt, message: "QUERY,lab,select 1" }],
        }),
      );

      const handler = await loadHandler(lambdaOf(run, "log-archive-exporter"), env);
      Object.assign(process.env, env);
      // Just after the hour of the event has closed and settled (15 min); a new group starts at the
      // last complete period. One step per invocation.
      const hour = Math.floor(createdAt / 3_600_000) * 3_600_000;
      jest.spyOn(Date, "now").mockImplementation(() => hour + 3_600_000 + 16 * 60_000);
      const res = await handler({ "detail-type": "Scheduled Event", source: "aws.events" }, { getRemainingTimeInMillis: () => 65_000 });
      expect(res.started).toHaveLength(1);
      const started = res.started[0];
      expect(started.logGroupName).toBe("/aws/rds/cluster/lab/audit");
      expect(started.from).toBe(hour);
      expect(started.to).toBe(started.from + 3_600_000);

      const tasks = (await logs.send(new DescribeExportTasksCommand({ taskId: started.taskId }))).exportTasks ?? [];
      expect(tasks).toHaveLength(1);
      expect(tasks[0]).toMatchObject({ logGroupName: "/aws/rds/cluster/lab/audit", destination: bucket, from: started.from, to: started.to - 1 });
      expect(tasks[0].destinationPrefix).toMatch(/^exports\//);

      // moto wrote the period's events under the destination prefix, gzip-compressed.
      const listed = (await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${tasks[0].destinationPrefix}/` }))).Contents ?? [];
      expect(listed.length).toBe(1);
      const obj = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: listed[0].Key! }));
      expect(gunzipSync(Buffer.from(await obj.Body!.transformToByteArray())).toString()).toContain("QUERY,lab,select 1");

      // moto completes the task at once: the same run sees COMPLETED, advances the cursor (kept in
      // the bucket, under the bucket's KMS default encryption) and is up to date.
      expect(res.completed).toEqual([started]);
      expect(res.upToDate).toBe(true);
      const cursor = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: env.cursorKey }));
      expect(cursor.ServerSideEncryption).toBe("aws:kms");
      expect(cursor.SSEKMSKeyId).toBe(key.Arn);
      const state = JSON.parse(await cursor.Body!.transformToString());
      expect(state.inFlight).toBeUndefined();
      expect(state.groups).toEqual({ "/aws/rds/cluster/lab/audit": started.to });
    });
  });
});
