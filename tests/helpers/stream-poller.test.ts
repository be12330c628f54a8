/**
 * The Lambda-like poller itself, on moto's stream: batch sizes, filters, partial batch responses and
 * function errors handled as the Lambda docs cited in stream-poller.ts describe.
 */
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import type { DynamoDBRecord } from "aws-lambda";
import { describeWithMoto, type MotoServer, startMoto } from "./moto";
import { matchesPattern, streamPoller, type StreamMapping } from "./stream-poller";

describeWithMoto("stream poller on moto", () => {
  let moto: MotoServer;
  let ddb: DynamoDBClient;
  let streams: DynamoDBStreamsClient;
  let n = 0;
  beforeAll(async () => {
    moto = await startMoto();
    const opts = { endpoint: moto.endpoint, region: "cn-north-1", credentials: moto.credentials };
    ddb = new DynamoDBClient(opts);
    streams = new DynamoDBStreamsClient(opts);
  }, 90000);
  afterAll(async () => {
    ddb?.destroy();
    streams?.destroy();
    await moto?.stop();
  });

  /** A table with `count` writes (keys k00..); returns its stream ARN. */
  async function tableWith(count: number): Promise<string> {
    const name = `t${++n}`;
    const out = await ddb.send(
      new CreateTableCommand({
        TableName: name,
        KeySchema: [{ AttributeName: "k", KeyType: "HASH" }],
        AttributeDefinitions: [{ AttributeName: "k", AttributeType: "S" }],
        BillingMode: "PAY_PER_REQUEST",
        StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
      }),
    );
    for (let i = 0; i < count; i++)
      await ddb.send(new PutItemCommand({ TableName: name, Item: { k: { S: `${i % 3 === 2 ? "skip" : "k"}${String(i).padStart(2, "0")}` } } }));
    return out.TableDescription!.LatestStreamArn!;
  }
  const keys = (b: DynamoDBRecord[]) => b.map((r) => r.dynamodb!.Keys!.k.S);
  const base: StreamMapping = { batchSize: 4, maximumRetryAttempts: 2, functionResponseTypes: ["ReportBatchItemFailures"] };

  test("in order, batchSize at most, Lambda's record shape; filters drop records before the function", async () => {
    const arn = await tableWith(9);
    const seen: DynamoDBRecord[][] = [];
    const p = streamPoller(
      streams,
      arn,
      "cn-north-1",
      { ...base, filterPatterns: [JSON.stringify({ dynamodb: { Keys: { k: { S: [{ prefix: "k" }] } } } })] },
      async (e) => void seen.push(e.Records),
    );
    await p.drain();
    expect(seen.map(keys)).toEqual([
      ["k00", "k01", "k03", "k04"],
      ["k06", "k07"],
    ]);
    expect(seen[0][0]).toMatchObject({ eventName: "INSERT", eventVersion: "1.1", eventSource: "aws:dynamodb", awsRegion: "cn-north-1", eventSourceARN: arn });
    expect(typeof seen[0][0].dynamodb!.ApproximateCreationDateTime).toBe("number");
    expect(p.stats.filteredOut).toBe(3);
    expect(matchesPattern({ a: [{ exists: false }] }, {})).toBe(true);
  });

  test("partial responses: ignored without ReportBatchItemFailures; otherwise retried from the lowest sequence number", async () => {
    const arn = await tableWith(6);
    const calls: string[][] = [];
    let failOnce = true;
    const handler = async (e: { Records: DynamoDBRecord[] }) => {
      calls.push(keys(e.Records) as string[]);
      if (!failOnce) return { batchItemFailures: [] };
      failOnce = false;
      return { batchItemFailures: [{ itemIdentifier: e.Records[3].dynamodb!.SequenceNumber! }, { itemIdentifier: e.Records[1].dynamodb!.SequenceNumber! }] };
    };
    await streamPoller(streams, arn, "cn-north-1", { ...base, functionResponseTypes: [] }, handler).drain();
    expect(calls).toEqual([
      ["k00", "k01", "skip02", "k03"],
      ["k04", "skip05"],
    ]);
    calls.length = 0;
    failOnce = true;
    await streamPoller(streams, arn, "cn-north-1", base, handler).drain();
    // Bisect off: the retry is a fresh batch from the checkpoint.
    expect(calls).toEqual([["k00", "k01", "skip02", "k03"], ["k01", "skip02", "k03", "k04"], ["skip05"]]);
    calls.length = 0;
    failOnce = true;
    await streamPoller(streams, arn, "cn-north-1", { ...base, bisectBatchOnFunctionError: true }, handler).drain();
    // Bisect on: split at the returned sequence number, only the remaining records.
    expect(calls).toEqual([
      ["k00", "k01", "skip02", "k03"],
      ["k01", "skip02", "k03"],
      ["k04", "skip05"],
    ]);
  });

  test("an empty itemIdentifier fails the whole batch; retries exhausted go to the on-failure destination and the shard goes on", async () => {
    const arn = await tableWith(5);
    const calls: string[][] = [];
    const p = streamPoller(streams, arn, "cn-north-1", base, async (e) => {
      calls.push(keys(e.Records) as string[]);
      return { batchItemFailures: e.Records[0].dynamodb!.Keys!.k.S === "k00" ? [{ itemIdentifier: "" }] : [] };
    });
    await p.drain();
    expect(calls).toEqual([...Array(3).fill(["k00", "k01", "skip02", "k03"]), ["k04"]]);
    expect(p.onFailure).toEqual([
      {
        requestContext: { condition: "RetryAttemptsExhausted", approximateInvokeCount: 3 },
        DDBStreamBatchInfo: expect.objectContaining({ batchSize: 4, streamArn: arn }),
      },
    ]);
  });

  test("a function error with bisect splits the batch in two (not counted as a retry) down to the failing record", async () => {
    const arn = await tableWith(4);
    const calls: string[][] = [];
    const p = streamPoller(streams, arn, "cn-north-1", { ...base, bisectBatchOnFunctionError: true, maximumRetryAttempts: 1 }, async (e) => {
      calls.push(keys(e.Records) as string[]);
      if (e.Records.some((r) => r.dynamodb!.Keys!.k.S === "skip02")) throw new Error("boom");
      return undefined;
    });
    await p.drain();
    expect(calls).toEqual([["k00", "k01", "skip02", "k03"], ["k00", "k01"], ["skip02", "k03"], ["skip02"], ["skip02"], ["k03"]]);
    expect(p.onFailure.map((f) => f.DDBStreamBatchInfo.batchSize)).toEqual([1]);
  });
});
