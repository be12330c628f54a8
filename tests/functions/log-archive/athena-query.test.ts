/**
 * The Athena query runner's control flow against the Athena API's own shapes (aws-sdk-client-mock
 * over the real @aws-sdk/client-athena): polling, pagination with the header row only on the
 * first page, NULLs without VarCharValue, and every way a query can end badly throwing.
 * https://docs.aws.amazon.com/athena/latest/APIReference/API_GetQueryResults.html
 * https://docs.aws.amazon.com/athena/latest/APIReference/API_QueryExecutionStatus.html
 */
import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand, StopQueryExecutionCommand } from "@aws-sdk/client-athena";
import { mockClient } from "aws-sdk-client-mock";
import { runAthenaQuery } from "../../../functions/log-archive/athena-query";
import { runCompleteness, CompletenessSettings } from "../../../functions/log-archive/completeness";
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";

const athenaMock = mockClient(AthenaClient);
const athena = new AthenaClient({ region: "cn-northwest-1" });
const opts = { workgroup: "wg", database: "db", maxWaitMs: 10_000, pollIntervalMs: 1000 };

function fakeClock() {
  let t = 0;
  return { now: () => t, sleep: async (ms: number) => void (t += ms) };
}

const col = (names: string[]) => ({ ColumnInfo: names.map((Name) => ({ Name, Type: "varchar" })) });
const row = (vals: (string | null)[]) => ({ Data: vals.map((v) => (v === null ? {} : { VarCharValue: v })) });

beforeEach(() => athenaMock.reset());

test("waits through QUEUED and RUNNING, reads every page, drops only the first page's header", async () => {
  athenaMock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: "q1" });
  athenaMock
    .on(GetQueryExecutionCommand)
    .resolvesOnce({ QueryExecution: { Status: { State: "QUEUED" } } })
    .resolvesOnce({ QueryExecution: { Status: { State: "RUNNING" } } })
    .resolves({ QueryExecution: { Status: { State: "SUCCEEDED" }, Statistics: { DataScannedInBytes: 42 } } });
  athenaMock
    .on(GetQueryResultsCommand, { QueryExecutionId: "q1", NextToken: undefined })
    .resolves({ ResultSet: { ResultSetMetadata: col(["prefix", "missing"]), Rows: [row(["prefix", "missing"]), row(["cloudwatch", "1"])] }, NextToken: "t2" })
    .on(GetQueryResultsCommand, { QueryExecutionId: "q1", NextToken: "t2" })
    .resolves({ ResultSet: { ResultSetMetadata: col(["prefix", "missing"]), Rows: [row(["prefix", "0"]), row([null, "3"])] } });
  const c = fakeClock();
  const out = await runAthenaQuery(athena, "SELECT 1", { ...opts, ...c });
  // A data row on page 2 that looks like the header is data.
  expect(out.rows).toEqual([
    { prefix: "cloudwatch", missing: "1" },
    { prefix: "prefix", missing: "0" },
    { prefix: null, missing: "3" },
  ]);
  expect(out.bytesScanned).toBe(42);
  expect(athenaMock.commandCalls(StartQueryExecutionCommand)[0].args[0].input).toEqual({
    QueryString: "SELECT 1",
    WorkGroup: "wg",
    QueryExecutionContext: { Database: "db" },
  });
  expect(c.now()).toBe(2000);
});

test.each(["FAILED", "CANCELLED"])("a %s query throws with Athena's reason", async (state) => {
  athenaMock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: "q2" });
  athenaMock
    .on(GetQueryExecutionCommand)
    .resolves({ QueryExecution: { Status: { State: state as "FAILED", StateChangeReason: "Query exhausted resources" } } });
  await expect(runAthenaQuery(athena, "SELECT 1", { ...opts, ...fakeClock() })).rejects.toThrow(`Athena query q2 ${state}: Query exhausted resources`);
  expect(athenaMock.commandCalls(GetQueryResultsCommand)).toHaveLength(0);
});

test("a query still running at the deadline is stopped and throws", async () => {
  athenaMock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: "q3" });
  athenaMock.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: "RUNNING" } } });
  athenaMock.on(StopQueryExecutionCommand).resolves({});
  await expect(runAthenaQuery(athena, "SELECT 1", { ...opts, ...fakeClock() })).rejects.toThrow(/still RUNNING after 10000 ms: stopped/);
  expect(athenaMock.commandCalls(StopQueryExecutionCommand)[0].args[0].input).toEqual({ QueryExecutionId: "q3" });
});

test("a workgroup refusing the query (bytes-scanned cutoff, missing table) surfaces as the error", async () => {
  athenaMock.on(StartQueryExecutionCommand).rejects(Object.assign(new Error("Workgroup is disabled"), { name: "InvalidRequestException" }));
  await expect(runAthenaQuery(athena, "SELECT 1", { ...opts, ...fakeClock() })).rejects.toThrow("Workgroup is disabled");
});

describe("the report function never reports a failed comparison as complete", () => {
  const s3Mock = mockClient(S3Client);
  const s3 = new S3Client({ region: "cn-northwest-1" });
  const settings: CompletenessSettings = {
    replicaBucket: "replica",
    kmsKeyArn: "arn:aws-cn:kms:cn-northwest-1:123456789012:key/k",
    inventoryPrefix: "inventory",
    inventoryConfigId: "completeness",
    sourceTable: "archive_inventory",
    replicaTable: "replica_inventory",
    graceHours: 24,
    detailLimit: 10,
    athena: { ...opts, ...fakeClock() },
  };
  beforeEach(() => {
    s3Mock.reset();
    s3Mock
      .on(ListObjectsV2Command, { Prefix: "inventory/" })
      .resolves({ CommonPrefixes: [{ Prefix: "inventory/archive/" }, { Prefix: "inventory/replica/" }] });
    s3Mock
      .on(ListObjectsV2Command, { Prefix: "inventory/archive/completeness/hive/" })
      .resolves({ CommonPrefixes: [{ Prefix: "inventory/archive/completeness/hive/dt=2026-12-01-01-00/" }] });
    s3Mock
      .on(ListObjectsV2Command, { Prefix: "inventory/replica/completeness/hive/" })
      .resolves({ CommonPrefixes: [{ Prefix: "inventory/replica/completeness/hive/dt=2026-12-01-01-00/" }] });
    s3Mock.on(GetObjectCommand).resolves({ Body: { transformToString: async () => "s3://archive/inventory/archive/completeness/data/a.parquet\n" } as never });
    s3Mock.on(HeadObjectCommand).resolves({});
    s3Mock.on(PutObjectCommand).resolves({});
    athenaMock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: "q" });
  });

  test("the summary query failing: throws, writes no report, emits no metric", async () => {
    athenaMock
      .on(GetQueryExecutionCommand)
      .resolvesOnce({ QueryExecution: { Status: { State: "SUCCEEDED" } } })
      .resolvesOnce({ QueryExecution: { Status: { State: "SUCCEEDED" } } })
      .resolves({ QueryExecution: { Status: { State: "FAILED", StateChangeReason: "HIVE_CURSOR_ERROR" } } });
    const emit = jest.fn();
    await expect(runCompleteness({ s3, athena, emit, now: () => Date.UTC(2026, 11, 2) }, settings)).rejects.toThrow("HIVE_CURSOR_ERROR");
    expect(emit).not.toHaveBeenCalled();
    const puts = s3Mock.commandCalls(PutObjectCommand).map((c) => c.args[0].input.Key);
    expect(puts).toEqual(["reports/completeness/source-inventory/dt=2026-12-01-01-00/symlink.txt"]);
  });

  test("a source snapshot with no rows (nothing compared) throws instead of reporting 0 missing", async () => {
    athenaMock.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: "SUCCEEDED" } } });
    athenaMock
      .on(GetQueryResultsCommand)
      .resolves({ ResultSet: { ResultSetMetadata: col(["prefix", "source_objects"]), Rows: [row(["prefix", "source_objects"])] } });
    const emit = jest.fn();
    await expect(runCompleteness({ s3, athena, emit, now: () => Date.UTC(2026, 11, 2) }, settings)).rejects.toThrow(
      /has no rows in archive_inventory: nothing was compared/,
    );
    expect(emit).not.toHaveBeenCalled();
    expect(s3Mock.commandCalls(PutObjectCommand).filter((c) => c.args[0].input.Key!.endsWith(".json"))).toHaveLength(0);
  });

  test("two source buckets' inventories in the replica: refused, naming them", async () => {
    s3Mock
      .on(ListObjectsV2Command, { Prefix: "inventory/" })
      .resolves({ CommonPrefixes: [{ Prefix: "inventory/a/" }, { Prefix: "inventory/b/" }, { Prefix: "inventory/replica/" }] });
    await expect(runCompleteness({ s3, athena, emit: jest.fn() }, settings)).rejects.toThrow("found a, b");
  });

  test("a symlink naming another bucket's files is refused (it would be read across regions)", async () => {
    s3Mock
      .on(GetObjectCommand)
      .resolves({ Body: { transformToString: async () => "s3://elsewhere/inventory/archive/completeness/data/a.parquet\n" } as never });
    await expect(runCompleteness({ s3, athena, emit: jest.fn() }, settings)).rejects.toThrow(/is not a data file of s3:\/\/archive\//);
  });
});
