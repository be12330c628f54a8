/**
 * The completeness comparison, for real: two versioned buckets on moto_server (the archive and the
 * replica), objects put, "replicated" (copied; moto does not replicate, so the replica rows carry
 * the source's version ids as CRR keeps them), left out, changed and superseded; inventory rows
 * read back from ListObjectVersions, written as Parquet by DuckDB and put where S3 Inventory and
 * CRR put them (the archive's symlink still naming the archive bucket). Then the function runs
 * unchanged against an Athena stand-in that executes THE SAME SQL text in DuckDB, and registers a
 * partition the way Athena does: from the symlink.txt at the partition's location, reading the
 * Parquet files it names (so a wrong rewrite or a missing file shows).
 */
import { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import type { AthenaClient } from "@aws-sdk/client-athena";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { describeWithMoto, MotoServer, startMoto } from "../../helpers/moto";
import { CompletenessSettings, dtTime, runCompleteness } from "../../../functions/log-archive/completeness";

const SRC = "archive-src";
const DST = "replica-dst";
const KEY_ARN = "arn:aws-cn:kms:cn-northwest-1:123456789012:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";

interface InventoryRow {
  bucket: string;
  key: string;
  version_id: string;
  is_latest: boolean;
  is_delete_marker: boolean;
  size: number | null;
  last_modified_date: string;
  e_tag: string | null;
  replication_status: string;
  encryption_status: string;
  checksum_algorithm: string | null;
}

function dtOf(ms: number): string {
  const d = new Date(ms).toISOString();
  return `${d.slice(0, 10)}-${d.slice(11, 13)}-${d.slice(14, 16)}`;
}

const q = (v: string | null) => (v === null ? "NULL" : `'${v.replace(/'/g, "''")}'`);

async function writeParquet(db: DuckDBConnection, rows: InventoryRow[], file: string): Promise<void> {
  const values = rows
    .map(
      (r) =>
        `(${q(r.bucket)}, ${q(r.key)}, ${q(r.version_id)}, ${r.is_latest}, ${r.is_delete_marker}, ${r.size === null ? "NULL" : r.size}, TIMESTAMP ${q(r.last_modified_date)}, ${q(r.e_tag)}, ${q(r.replication_status)}, ${q(r.encryption_status)}, ${q(r.checksum_algorithm)})`,
    )
    .join(",\n");
  await db.run(
    `COPY (SELECT * FROM (VALUES ${values}) AS t(bucket, key, version_id, is_latest, is_delete_marker, size, last_modified_date, e_tag, replication_status, encryption_status, checksum_algorithm)) TO '${file}' (FORMAT parquet)`,
  );
}

/** Inventory rows of `bucket` from the S3 API (ListObjectVersions), as S3 Inventory reports them. */
async function inventoryRows(
  s3: S3Client,
  bucket: string,
  status: (key: string) => string,
  versionMap: Map<string, string> = new Map(),
): Promise<InventoryRow[]> {
  const out: InventoryRow[] = [];
  const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
  const ts = (d?: Date) => d!.toISOString().slice(0, 23).replace("T", " ");
  for (const v of page.Versions ?? []) {
    out.push({
      bucket,
      key: v.Key!,
      version_id: versionMap.get(v.VersionId!) ?? v.VersionId!,
      is_latest: !!v.IsLatest,
      is_delete_marker: false,
      size: v.Size ?? 0,
      last_modified_date: ts(v.LastModified),
      // Inventory reports the ETag without the quotes the API puts around it.
      e_tag: (v.ETag ?? "").replace(/"/g, ""),
      replication_status: status(v.Key!),
      encryption_status: "SSE-KMS",
      checksum_algorithm: null,
    });
  }
  for (const m of page.DeleteMarkers ?? []) {
    out.push({
      bucket,
      key: m.Key!,
      version_id: versionMap.get(m.VersionId!) ?? m.VersionId!,
      is_latest: !!m.IsLatest,
      is_delete_marker: true,
      size: null,
      last_modified_date: ts(m.LastModified),
      e_tag: null,
      replication_status: status(m.Key!),
      encryption_status: "NOT-SSE",
      checksum_algorithm: null,
    });
  }
  return out;
}

/**
 * Athena as the function uses it, over DuckDB: StartQueryExecution runs the text (ALTER TABLE ADD
 * PARTITION reads the partition's symlink.txt from S3 and the Parquet files it names, as
 * SymlinkTextInputFormat does); results come back as VarChar strings, two rows a page, the first
 * page led by the header row.
 */
function duckAthena(db: DuckDBConnection, s3: S3Client, work: string, log: string[]) {
  const results = new Map<string, { columns: string[]; rows: (string | null)[][] }>();
  const partitions = new Map<string, string[]>();
  let seq = 0;
  const polls = new Map<string, number>();
  const send = async (cmd: { constructor: { name: string }; input: any }) => {
    const name = cmd.constructor.name;
    if (name === "StartQueryExecutionCommand") {
      const sql: string = cmd.input.QueryString;
      log.push(sql);
      const id = `q-${++seq}`;
      const ddl = /^ALTER TABLE (\w+) ADD IF NOT EXISTS PARTITION \(dt = '([^']+)'\) LOCATION 's3:\/\/([^/]+)\/(.*)'$/.exec(sql);
      if (ddl) {
        const [, table, dt, bucket, prefix] = ddl;
        const link = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${prefix}symlink.txt` }));
        const files = (await link.Body!.transformToString()).split("\n").filter(Boolean);
        const dir = path.join(work, table, `dt=${dt}`);
        fs.mkdirSync(dir, { recursive: true });
        for (const [i, f] of files.entries()) {
          const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(f)!;
          const obj = await s3.send(new GetObjectCommand({ Bucket: m[1], Key: m[2] }));
          fs.writeFileSync(path.join(dir, `${i}.parquet`), Buffer.from(await obj.Body!.transformToByteArray()));
        }
        partitions.set(table, [...(partitions.get(table) ?? []), dt]);
        await db.run(
          `CREATE OR REPLACE VIEW ${table} AS SELECT * FROM read_parquet('${path.join(work, table)}/dt=*/*.parquet', hive_partitioning = true, hive_types = {'dt': VARCHAR})`,
        );
        results.set(id, { columns: [], rows: [] });
      } else {
        const reader = await db.runAndReadAll(sql);
        const rows = reader.getRows().map((r) => r.map((v) => (v === null ? null : String(v))));
        results.set(id, { columns: reader.columnNames(), rows });
      }
      return { QueryExecutionId: id };
    }
    if (name === "GetQueryExecutionCommand") {
      const id = cmd.input.QueryExecutionId;
      const n = (polls.get(id) ?? 0) + 1;
      polls.set(id, n);
      return { QueryExecution: { QueryExecutionId: id, Status: { State: n === 1 ? "RUNNING" : "SUCCEEDED" }, Statistics: { DataScannedInBytes: 1234 } } };
    }
    if (name === "GetQueryResultsCommand") {
      const r = results.get(cmd.input.QueryExecutionId)!;
      const all = [r.columns, ...r.rows];
      const start = cmd.input.NextToken ? Number(cmd.input.NextToken) : 0;
      const page = all.slice(start, start + 2);
      return {
        ResultSet: {
          ResultSetMetadata: { ColumnInfo: r.columns.map((c) => ({ Name: c, Type: "varchar" })) },
          Rows: page.map((row) => ({ Data: row.map((v) => (v === null ? {} : { VarCharValue: v })) })),
        },
        NextToken: start + 2 < all.length ? String(start + 2) : undefined,
      };
    }
    throw new Error(`duckAthena: ${name} not expected`);
  };
  return { client: { send } as unknown as AthenaClient, partitions };
}

describeWithMoto("completeness comparison on real inventories (moto S3 + DuckDB)", () => {
  let moto: MotoServer;
  let s3: S3Client;
  let instance: DuckDBInstance;
  let db: DuckDBConnection;
  let work: string;
  const snapshotMs = Date.now() + 2 * 86_400_000;
  const dt = dtOf(snapshotMs);
  const settings: CompletenessSettings = {
    replicaBucket: DST,
    kmsKeyArn: KEY_ARN,
    inventoryPrefix: "inventory",
    inventoryConfigId: "completeness",
    sourceTable: "archive_inventory",
    replicaTable: "replica_inventory",
    graceHours: 24,
    detailLimit: 100,
    athena: { workgroup: "wg", database: "db", maxWaitMs: 60_000, pollIntervalMs: 1, sleep: async () => undefined },
  };

  beforeAll(async () => {
    moto = await startMoto();
    s3 = new S3Client({ endpoint: moto.endpoint, region: "cn-northwest-1", credentials: moto.credentials, forcePathStyle: true });
    instance = await DuckDBInstance.create(":memory:");
    db = await instance.connect();
    work = fs.mkdtempSync(path.join(os.tmpdir(), "completeness-"));
  }, 90000);
  afterAll(async () => {
    db?.closeSync();
    await moto?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  /** The two buckets with their objects and the inventories where S3 Inventory and CRR put them. */
  async function setUp(opts: { dropSourceDataFile?: boolean } = {}) {
    await moto.reset();
    for (const b of [SRC, DST]) {
      await s3.send(new CreateBucketCommand({ Bucket: b, CreateBucketConfiguration: { LocationConstraint: "cn-northwest-1" } }));
      await s3.send(new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: "Enabled" } }));
    }
    const versionMap = new Map<string, string>(); // replica version id -> source version id
    const put = async (b: string, key: string, body: string) => (await s3.send(new PutObjectCommand({ Bucket: b, Key: key, Body: body }))).VersionId!;
    const replicate = async (key: string, srcVersion: string, body: string) => versionMap.set(await put(DST, key, body), srcVersion);

    await replicate("cloudwatch/ok.gz", await put(SRC, "cloudwatch/ok.gz", "fine"), "fine");
    await put(SRC, "cloudwatch/lost.gz", "never replicated");
    await replicate("flow-logs/changed.parquet", await put(SRC, "flow-logs/changed.parquet", "original bytes"), "other bytes!!");
    await replicate("cloudtrail/two.json", await put(SRC, "cloudtrail/two.json", "v1"), "v1");
    await put(SRC, "cloudtrail/two.json", "v2, not yet replicated");
    await put(SRC, "audit-logs/db1/audit.log.1", "failed to replicate");
    await put(SRC, "audit-logs/db1/audit.log.2", "just written");
    await replicate("exports/gone.txt", await put(SRC, "exports/gone.txt", "deleted later"), "deleted later");
    const srcMarker = (await s3.send(new DeleteObjectCommand({ Bucket: SRC, Key: "exports/gone.txt" }))).VersionId!;
    versionMap.set((await s3.send(new DeleteObjectCommand({ Bucket: DST, Key: "exports/gone.txt" }))).VersionId!, srcMarker);

    const source = await inventoryRows(s3, SRC, (k) => (k === "audit-logs/db1/audit.log.1" ? "FAILED" : "COMPLETED"));
    // Written an hour before the snapshot: inside the grace period, not expected in Ningxia yet.
    const recent = new Date(snapshotMs - 3_600_000).toISOString().slice(0, 23).replace("T", " ");
    for (const r of source) if (r.key === "audit-logs/db1/audit.log.2") r.last_modified_date = recent;
    const replica = await inventoryRows(s3, DST, () => "REPLICA", versionMap);

    const files: Record<string, string> = {};
    for (const [name, rows] of [
      ["source", source],
      ["replica", replica],
    ] as const) {
      files[name] = path.join(work, `${name}-${Date.now()}.parquet`);
      await writeParquet(db, rows, files[name]);
    }
    // The archive's inventory, as CRR copies it into the replica: the symlink names the archive bucket.
    const srcBase = `inventory/${SRC}/completeness`;
    const srcData = `${srcBase}/data/8c8f3b2e-0d7a-4c1e-9a55-2f0e6f1d3b7a.parquet`;
    if (!opts.dropSourceDataFile) await s3.send(new PutObjectCommand({ Bucket: DST, Key: srcData, Body: fs.readFileSync(files.source) }));
    await s3.send(new PutObjectCommand({ Bucket: DST, Key: `${srcBase}/hive/dt=${dt}/symlink.txt`, Body: `s3://${SRC}/${srcData}\n` }));
    // An older snapshot too: the function must take the newest.
    await s3.send(
      new PutObjectCommand({ Bucket: DST, Key: `${srcBase}/hive/dt=2020-01-01-00-00/symlink.txt`, Body: `s3://${SRC}/${srcBase}/data/old.parquet\n` }),
    );
    const dstBase = `inventory/${DST}/completeness`;
    const dstData = `${dstBase}/data/1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9.parquet`;
    await s3.send(new PutObjectCommand({ Bucket: DST, Key: dstData, Body: fs.readFileSync(files.replica) }));
    await s3.send(new PutObjectCommand({ Bucket: DST, Key: `${dstBase}/hive/dt=${dt}/symlink.txt`, Body: `s3://${DST}/${dstData}\n` }));
  }

  test("reports missing, differing and FAILED objects per prefix and publishes the two metrics", async () => {
    await setUp();
    const sql: string[] = [];
    const athena = duckAthena(db, s3, path.join(work, "athena-1"), sql);
    const emitted: Record<string, number> = {};
    const report = await runCompleteness(
      {
        s3,
        athena: athena.client,
        now: () => snapshotMs,
        emit: async (_ns, dims, m) => {
          expect(dims).toEqual({ Bucket: DST });
          for (const [k, v] of Object.entries(m)) emitted[k] = v.value;
        },
      },
      settings,
    );
    expect(report.sourceBucket).toBe(SRC);
    expect(report.sourceInventory).toBe(dt);
    expect(athena.partitions.get("archive_inventory")).toEqual([dt]);
    // The archive's partition is read from the rewritten symlink naming the replica's copy.
    expect(sql[0]).toBe(
      `ALTER TABLE archive_inventory ADD IF NOT EXISTS PARTITION (dt = '${dt}') LOCATION 's3://${DST}/reports/completeness/source-inventory/dt=${dt}/'`,
    );

    const problems = report.objects.map((o) => [o.problem, o.key]);
    expect(problems).toEqual([
      ["content_differs", "flow-logs/changed.parquet"],
      ["missing", "cloudwatch/lost.gz"],
      ["replication_failed", "audit-logs/db1/audit.log.1"],
      ["version_differs", "cloudtrail/two.json"],
    ]);
    const byPrefix = Object.fromEntries(report.prefixes.map((p) => [p.prefix, p]));
    expect(byPrefix["cloudwatch"]).toMatchObject({
      sourceObjects: 2,
      checkedObjects: 2,
      missing: 1,
      versionDiffers: 0,
      contentDiffers: 0,
      replicationFailed: 0,
    });
    expect(byPrefix["flow-logs"]).toMatchObject({ sourceObjects: 1, contentDiffers: 1, missing: 0 });
    expect(byPrefix["cloudtrail"]).toMatchObject({ sourceObjects: 1, versionDiffers: 1 });
    // audit.log.2 is inside the grace period: counted, not checked, not missing.
    expect(byPrefix["audit-logs"]).toMatchObject({ sourceObjects: 2, checkedObjects: 1, missing: 0, replicationFailed: 1 });
    // A delete marker replicated as one: nothing to report.
    expect(byPrefix["exports"]).toMatchObject({ sourceObjects: 1, missing: 0, versionDiffers: 0, contentDiffers: 0 });
    expect(report.objectsMissingInReplica).toBe(3);
    expect(report.replicationFailedObjects).toBe(1);
    expect(emitted).toEqual({ ObjectsMissingInReplica: 3, ReplicationFailedObjects: 1 });
    const differs = report.objects.find((o) => o.problem === "content_differs")!;
    expect([differs.size, differs.replica_size]).toEqual(["14", "13"]);

    // The dated report, SSE-KMS with the replica key.
    const key = `reports/completeness/${new Date(snapshotMs).toISOString().slice(0, 10)}.json`;
    const stored = await s3.send(new GetObjectCommand({ Bucket: DST, Key: key }));
    expect(stored.ServerSideEncryption).toBe("aws:kms");
    expect(JSON.parse(await stored.Body!.transformToString()).objectsMissingInReplica).toBe(3);
    expect(dtTime(dt)).toBeLessThanOrEqual(snapshotMs);
  }, 60000);

  test("an archive inventory file that has not replicated fails the run: no report, no metric", async () => {
    await setUp({ dropSourceDataFile: true });
    const emit = jest.fn();
    await expect(
      runCompleteness({ s3, athena: duckAthena(db, s3, path.join(work, "athena-2"), []).client, now: () => snapshotMs, emit }, settings),
    ).rejects.toThrow(/has not replicated into replica-dst/);
    expect(emit).not.toHaveBeenCalled();
    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: DST, Prefix: "reports/completeness/2" }));
    expect(listed.Versions ?? []).toEqual([]);
  }, 60000);
});
