/**
 * Running the archive search's Athena SQL on DuckDB, over files laid out where the program writes
 * them, and reading them the way the Glue table says Athena would.
 *
 * - Files live in a local directory that stands for the bucket: `s3://<bucket>/<key>` is `<dir>/<key>`.
 * - A table is a DuckDB view over every file under the table's location whose path matches the
 *   table's `storage.location.template` (from ./athena-projection.ts); the partition columns come
 *   from the path, as Athena's projection computes them. A file the template does not match is an
 *   error: Athena would not read it.
 * - Dialect shim (the only difference from Athena's SQL): DuckDB macros for four Trino functions,
 *   json_extract_scalar -> json_extract_string, regexp_like -> regexp_matches, from_unixtime ->
 *   to_timestamp, from_iso8601_timestamp -> CAST(... AS TIMESTAMPTZ). The SQL text is not rewritten.
 */
import * as fs from "fs";
import * as path from "path";
import { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import type { TableSpec } from "../../infra/archive-search/tables";
import { partitionValues } from "./athena-projection";

export const SHIM_MACROS = [
  "CREATE MACRO json_extract_scalar(j, p) AS json_extract_string(j, p)",
  "CREATE MACRO regexp_like(s, p) AS regexp_matches(s, p)",
  "CREATE MACRO from_unixtime(x) AS to_timestamp(x)",
  "CREATE MACRO from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMPTZ)",
];

export async function duck(): Promise<DuckDBConnection> {
  const instance = await DuckDBInstance.create(":memory:");
  const c = await instance.connect();
  await c.run("SET TimeZone = 'UTC'");
  for (const m of SHIM_MACROS) await c.run(m);
  return c;
}

export const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** A bucket on disk. */
export class LocalBucket {
  constructor(
    readonly name: string,
    readonly dir: string,
  ) {}
  url(key: string): string {
    return `s3://${this.name}/${key}`;
  }
  file(key: string): string {
    return path.join(this.dir, key);
  }
  write(key: string, body: string | Buffer): string {
    const f = this.file(key);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, body);
    return f;
  }
  /** Keys of every object under `s3Location` (a table location). */
  keysUnder(s3Location: string): string[] {
    const prefix = s3Location.replace(`s3://${this.name}/`, "");
    const root = this.file(prefix);
    if (!fs.existsSync(root)) return [];
    const out: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else out.push(path.relative(this.dir, p).split(path.sep).join("/"));
      }
    };
    walk(root);
    return out.sort();
  }
}

/** Hive types of the tables -> DuckDB types (the scalar ones the tables use). */
export function duckType(hive: string): string {
  const t: Record<string, string> = { int: "INTEGER", bigint: "BIGINT", string: "VARCHAR" };
  const d = t[hive];
  if (!d) throw new Error(`no DuckDB type for Hive type ${hive}`);
  return d;
}

/** SQL literal of a JS value. */
export const literal = (v: unknown) => (v === null || v === undefined ? "NULL" : typeof v === "number" ? String(v) : sqlString(String(v)));

/**
 * A view named after `spec`, one SELECT per file under its location: `read(file)` selects the
 * file's rows (the table's columns), the partition keys are added from the file's path.
 */
export async function tableView(c: DuckDBConnection, spec: TableSpec, bucket: LocalBucket, read: (file: string, url: string) => string): Promise<string[]> {
  const keys = bucket.keysUnder(spec.location);
  const parts: string[] = [];
  for (const key of keys) {
    const url = bucket.url(key);
    const values = spec.partitionKeys.length === 0 ? {} : partitionValues(spec, url);
    if (!values) throw new Error(`${url} is under ${spec.location} but its template ${spec.locationTemplate} does not match it: Athena would not read it`);
    const cols = spec.partitionKeys.map((k) => `${sqlString(values[k.name])} AS "${k.name}"`);
    parts.push(`SELECT *${cols.length ? ", " + cols.join(", ") : ""} FROM (${read(bucket.file(key), url)})`);
  }
  if (parts.length === 0) throw new Error(`no files under ${spec.location}`);
  await c.run(`CREATE OR REPLACE VIEW ${spec.name} AS ${parts.join("\nUNION ALL BY NAME\n")}`);
  return keys;
}

/** Runs `sql` with `?` parameters bound in order; rows as plain objects (numbers for integers). */
export async function query(c: DuckDBConnection, sql: string, params: (string | number)[]): Promise<Record<string, unknown>[]> {
  const p = await c.prepare(sql);
  p.bind(params);
  const r = await p.runAndReadAll();
  return r.getRowObjectsJson() as Record<string, unknown>[];
}
