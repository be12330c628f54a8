/**
 * What the AuroraLab script tests share: the scripts' location, the lab's fixed values, a runner,
 * and stand-ins for `aws`, `mysql` and `sysbench` that behave like the real tools (access denied
 * for wrong credentials, audit records written in Aurora's format for exactly the statements they
 * receive, S3 listing/copy from a local tree).
 */
import { spawnSync, SpawnSyncReturns } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const SCRIPTS_DIR = path.join(__dirname, "..", "..", "infra", "aurora-lab", "scripts");
export const SCRIPTS = ["setup_ec2.sh", "setup_sysbench.sh", "test_audit_logs.sh"];
export const REGION = "cn-north-1";
export const SECRET_ARN = "arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:rds!cluster-abc-123456";
export const BUCKET = "archive-bucket-123";
export const MASTER = "labadmin";
export const MASTER_PASSWORD = 'p4ss"w\\rd!x';

export function which(cmd: string): string | undefined {
  const r = spawnSync("bash", ["-c", `command -v ${cmd}`], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

export function run(script: string, args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync("bash", [path.join(SCRIPTS_DIR, script), ...args], {
    encoding: "utf8",
    env: { PATH: process.env.PATH, HOME: os.tmpdir(), ...env },
    timeout: 60000,
  });
}

// ---------------------------------------------------------------------------------------------
// test_audit_logs.sh against stand-in tools
// ---------------------------------------------------------------------------------------------

export const FAKE_AWS = String.raw`
const fs = require("fs"), path = require("path");
const argv = process.argv.slice(2);
fs.appendFileSync(process.env.FAKE_LOG, JSON.stringify({ tool: "aws", argv }) + "\n");
const opt = (n) => { const i = argv.indexOf(n); return i >= 0 ? argv[i + 1] : undefined; };
if (!opt("--region")) { console.error("You must specify a region."); process.exit(253); }
const root = process.env.FAKE_S3_ROOT;
if (argv[0] === "secretsmanager" && argv[1] === "get-secret-value") {
  if (opt("--secret-id") !== process.env.FAKE_SECRET_ARN) { console.error("ResourceNotFoundException"); process.exit(254); }
  if (opt("--query") !== "SecretString" || opt("--output") !== "text") process.exit(252);
  process.stdout.write(process.env.FAKE_SECRET_JSON + "\n");
} else if (argv[0] === "s3api" && argv[1] === "list-objects-v2") {
  const bucketDir = path.join(root, opt("--bucket"));
  if (!fs.existsSync(bucketDir)) { console.error("NoSuchBucket"); process.exit(254); }
  const prefix = opt("--prefix") || "";
  const out = [];
  const walk = (d) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p); else {
      const key = path.relative(bucketDir, p).split(path.sep).join("/");
      if (key.startsWith(prefix)) out.push({ Key: key, LastModified: fs.statSync(p).mtime.toISOString().replace(/\.\d{3}Z$/, "+00:00"), Size: fs.statSync(p).size });
    } } };
  walk(bucketDir);
  process.stdout.write(JSON.stringify(out.length ? { Contents: out } : {}) + "\n");
} else if (argv[0] === "s3" && argv[1] === "cp") {
  const rest = argv.filter((a, i) => i > 1 && !a.startsWith("--") && argv[i - 1] !== "--region");
  const [src, dest] = rest;
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(src);
  fs.copyFileSync(path.join(root, m[1], ...m[2].split("/")), dest);
} else { console.error("fake aws: unsupported " + argv.join(" ")); process.exit(252); }
`;

export const FAKE_MYSQL = String.raw`
const fs = require("fs"), path = require("path");
const argv = process.argv.slice(2);
fs.appendFileSync(process.env.FAKE_LOG, JSON.stringify({ tool: "mysql", argv }) + "\n");
if (argv.includes("--version")) { console.log("mysql  Ver 15.1 Distrib 10.5.25-MariaDB, for Linux (aarch64)"); process.exit(0); }
const opt = (n) => { const a = argv.find((x) => x.startsWith(n + "=")); return a && a.slice(n.length + 1); };
const ini = fs.readFileSync(opt("--defaults-extra-file"), "utf8");
const val = (k) => { const m = new RegExp("^" + k + '="((?:[^"\\\\]|\\\\.)*)"$', "m").exec(ini); return m && m[1].replace(/\\(.)/g, "$1"); };
const user = val("user"), password = val("password");
const state = JSON.parse(fs.readFileSync(process.env.FAKE_STATE, "utf8"));
const auditFile = process.env.FAKE_AUDIT_FILE;
fs.mkdirSync(path.dirname(auditFile), { recursive: true });
let qid = state.qid || 1000;
const conn = (state.conn = (state.conn || 100) + 1);
const ts = () => String(Date.now() * 1000 + (qid % 1000));
const line = (u, op, db, obj, rc) => fs.appendFileSync(auditFile, [ts(), "lab-writer-1", u, "10.0.1.25", conn, op === "QUERY" || op === "READ" || op === "WRITE" ? qid : 0, op, db, obj, rc].join(",") + "\n");
const save = () => { state.qid = qid; fs.writeFileSync(process.env.FAKE_STATE, JSON.stringify(state)); };
const accept = process.env.FAKE_ACCEPT_ANY === "1" || (state.users[user] !== undefined && state.users[user] === password);
if (!accept) { line(user, "FAILED_CONNECT", "", "", 1045); save();
  console.error("ERROR 1045 (28000): Access denied for user '" + user + "'@'10.0.1.25' (using password: YES)"); process.exit(1); }
line(user, "CONNECT", "", "", 0);
const drop = process.env.FAKE_AUDIT_DROP ? new RegExp(process.env.FAKE_AUDIT_DROP, "i") : null;
const sql = argv[argv.indexOf("-e") + 1];
for (const stmt of sql.split(/;\s*/).map((s) => s.trim()).filter(Boolean)) {
  qid++;
  state.statements.push(stmt);
  if (!drop || !drop.test(stmt)) {
    line(user, "QUERY", "", "'" + stmt.replace(/'/g, "\\'") + "'", 0);
    const t = /\b(lab_[a-z0-9]+)\.(\w+)/.exec(stmt);
    if (t && /^(INSERT|UPDATE|DELETE)/i.test(stmt)) line(user, "WRITE", t[1], t[2], 0);
    if (t && /^(SELECT|UPDATE|DELETE)/i.test(stmt)) line(user, "READ", t[1], t[2], 0);
  }
  let m;
  if ((m = /^CREATE USER '([^']+)'@'%' IDENTIFIED BY '([^']+)'/i.exec(stmt))) state.users[m[1]] = m[2];
  if ((m = /^SELECT '([^']*)'$/i.exec(stmt))) console.log(m[1]);
  if (/^SELECT COUNT/i.test(stmt)) console.log("1");
}
line(user, "DISCONNECT", "", "", 0);
save();
`;

export const FAKE_SYSBENCH = String.raw`
const fs = require("fs");
const argv = process.argv.slice(2);
fs.appendFileSync(process.env.FAKE_LOG, JSON.stringify({ tool: "sysbench", argv }) + "\n");
const opt = (n) => { const a = argv.find((x) => x.startsWith(n + "=")); return a && a.slice(n.length + 1); };
const state = JSON.parse(fs.readFileSync(process.env.FAKE_STATE, "utf8"));
const user = opt("--mysql-user"), db = opt("--mysql-db");
if (state.users[user] !== opt("--mysql-password")) { console.error("FATAL: Access denied for user " + user); process.exit(1); }
const phase = argv[argv.length - 1];
const t = Date.now() * 1000;
const rows = [[t, "lab-writer-1", user, "10.0.1.25", 900, 0, "CONNECT", db, "", 0]];
if (phase === "run") rows.push([t + 1, "lab-writer-1", user, "10.0.1.25", 900, 9001, "QUERY", db, "'SELECT c FROM sbtest1 WHERE id=42'", 0], [t + 2, "lab-writer-1", user, "10.0.1.25", 900, 9001, "READ", db, "sbtest1", 0]);
fs.appendFileSync(process.env.FAKE_AUDIT_FILE, rows.map((r) => r.join(",")).join("\n") + "\n");
if (phase === "run") console.log("    transactions:                        120    (2.00 per sec.)");
`;

export interface Lab {
  dir: string;
  env: NodeJS.ProcessEnv;
  log: () => { tool: string; argv: string[] }[];
  state: () => { users: Record<string, string>; statements: string[] };
}

export function makeLab(extraEnv: NodeJS.ProcessEnv = {}): Lab {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aurora-lab-run-"));
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  for (const [name, body] of [
    ["aws", FAKE_AWS],
    ["mysql", FAKE_MYSQL],
    ["sysbench", FAKE_SYSBENCH],
  ]) {
    fs.writeFileSync(path.join(bin, name), `#!${process.execPath}\n${body}`, { mode: 0o755 });
  }
  const s3 = path.join(dir, "s3");
  fs.mkdirSync(path.join(s3, BUCKET), { recursive: true });
  const stateFile = path.join(dir, "state.json");
  fs.writeFileSync(stateFile, JSON.stringify({ users: { [MASTER]: MASTER_PASSWORD }, statements: [] }));
  const logFile = path.join(dir, "calls.log");
  fs.writeFileSync(logFile, "");
  const env: NodeJS.ProcessEnv = {
    PATH: `${bin}:${process.env.PATH}`,
    FAKE_LOG: logFile,
    FAKE_STATE: stateFile,
    FAKE_S3_ROOT: s3,
    FAKE_SECRET_ARN: SECRET_ARN,
    FAKE_SECRET_JSON: JSON.stringify({ username: MASTER, password: MASTER_PASSWORD }),
    // Where AuditLogPipeline puts a file: audit-logs/{db-instance-id}/{log-file-name}
    FAKE_AUDIT_FILE: path.join(s3, BUCKET, "audit-logs", "lab-writer-1", "audit", "audit.log.0.2026-11-22-10-00.0"),
    AURORA_LAB_ENDPOINT: "lab.cluster-abc.cn-north-1.rds.amazonaws.com.cn",
    AURORA_LAB_SECRET_ARN: SECRET_ARN,
    AURORA_LAB_BUCKET: BUCKET,
    AURORA_LAB_REGION: REGION,
    AURORA_LAB_WAIT_SECONDS: "0",
    ...extraEnv,
  };
  return {
    dir,
    env,
    log: () =>
      fs
        .readFileSync(logFile, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l)),
    state: () => JSON.parse(fs.readFileSync(stateFile, "utf8")),
  };
}

export function runLab(lab: Lab, args: string[] = []): SpawnSyncReturns<string> {
  return spawnSync("bash", [path.join(SCRIPTS_DIR, "test_audit_logs.sh"), "--run-id", "t1", "--sysbench-time", "1", ...args], {
    encoding: "utf8",
    env: { HOME: lab.dir, ...lab.env },
    timeout: 60000,
  });
}

export function reportRow(stdout: string, name: string): string | undefined {
  return stdout.split("\n").find((l) => l.trim().split(/\s+/)[1] === name);
}

export const ALL_EXPECTATIONS = [
  "good_login",
  "failed_login_bad_password",
  "failed_login_unknown_user",
  "ddl_create_table",
  "ddl_alter_table",
  "ddl_create_index",
  "ddl_drop_table",
  "dml_insert",
  "table_write",
  "table_read",
  "dcl_create_user",
  "dcl_grant",
  "dcl_revoke",
  "dcl_drop_user",
  "workload_connect",
  "workload_queries",
];
