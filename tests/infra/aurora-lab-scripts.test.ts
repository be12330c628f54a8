/**
 * The AuroraLab shell scripts: shellcheck, syntax, option validation, and the whole
 * test_audit_logs.sh flow offline, against stand-ins for `aws`, `mysql` and `sysbench` that
 * behave like the real tools (access denied for wrong credentials, audit records written in
 * Aurora's format for exactly the statements they receive, S3 listing/copy from a local tree).
 */
import { spawnSync, SpawnSyncReturns } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const SCRIPTS_DIR = path.join(__dirname, "..", "..", "infra", "aurora-lab", "scripts");
const SCRIPTS = ["setup_ec2.sh", "setup_sysbench.sh", "test_audit_logs.sh"];
const REGION = "cn-north-1";
const SECRET_ARN = "arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:rds!cluster-abc-123456";
const BUCKET = "archive-bucket-123";
const MASTER = "labadmin";
const MASTER_PASSWORD = 'p4ss"w\\rd!x';

function which(cmd: string): string | undefined {
  const r = spawnSync("bash", ["-c", `command -v ${cmd}`], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function run(script: string, args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync("bash", [path.join(SCRIPTS_DIR, script), ...args], {
    encoding: "utf8",
    env: { PATH: process.env.PATH, HOME: os.tmpdir(), ...env },
    timeout: 60000,
  });
}

describe("shellcheck", () => {
  const shellcheck = which("shellcheck");
  for (const script of SCRIPTS) {
    const testOrSkip = shellcheck ? test : test.skip;
    testOrSkip(`${script} is shellcheck-clean`, () => {
      const r = spawnSync(shellcheck!, ["--severity=style", "--shell=bash", path.join(SCRIPTS_DIR, script)], {
        encoding: "utf8",
      });
      expect(r.stdout + r.stderr).toBe("");
      expect(r.status).toBe(0);
    });
  }
  if (!shellcheck) {
    test("shellcheck is absent", () => {
      console.warn(
        "SKIPPED: shellcheck not found on PATH; install it (apt-get install -y shellcheck) to lint the AuroraLab scripts",
      );
    });
  }
});

describe.each(SCRIPTS)("%s basics", (script) => {
  test("is executable, uses bash strict mode and parses", () => {
    const file = path.join(SCRIPTS_DIR, script);
    expect(fs.statSync(file).mode & 0o111).not.toBe(0);
    const text = fs.readFileSync(file, "utf8");
    expect(text.startsWith("#!/usr/bin/env bash\n")).toBe(true);
    expect(text).toMatch(/^set -euo pipefail$/m);
    const r = spawnSync("bash", ["-n", file], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  test("--help prints usage and exits 0", () => {
    const r = run(script, ["--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`Usage: ${script}`);
  });

  test("an unknown option is a usage error (exit 2)", () => {
    const r = run(script, ["--no-such-option"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown option: --no-such-option");
  });

  test("hard-codes no account, bucket, endpoint or secret", () => {
    const text = fs.readFileSync(path.join(SCRIPTS_DIR, script), "utf8");
    expect(text).not.toMatch(/\b\d{12}\b/);
    expect(text).not.toMatch(/arn:aws(-cn)?:[a-z]/);
    expect(text).not.toMatch(/\.rds\.amazonaws/);
    // regions appear only as examples in help and messages, never as a default value
    expect(text).not.toMatch(/:-[^}]*cn-north/);
    expect(text).not.toMatch(/^[A-Z_]+="?cn-/m);
  });
});

describe("setup_ec2.sh", () => {
  test("requires a region", () => {
    const r = run("setup_ec2.sh", ["--dry-run"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--region");
  });

  test("rejects a malformed region, naming the value", () => {
    const r = run("setup_ec2.sh", ["--dry-run", "--region", "Beijing"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--region 'Beijing'");
  });

  test("installs the MariaDB 10.5 client, jq and the CloudWatch agent and starts the agent from SSM", () => {
    const r = run("setup_ec2.sh", ["--dry-run", "--cw-agent-config", "/cn-log-backup/cloudwatch-agent"], {
      AURORA_LAB_REGION: REGION,
      AURORA_LAB_BUCKET: BUCKET,
      AURORA_LAB_ENDPOINT: "lab.cluster-x.cn-north-1.rds.amazonaws.com.cn",
      AURORA_LAB_SECRET_ARN: SECRET_ARN,
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("+ dnf install -y mariadb105 jq amazon-cloudwatch-agent\n");
    expect(r.stdout).toContain(
      `+ env AWS_REGION=${REGION} /opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c ssm:/cn-log-backup/cloudwatch-agent\n`,
    );
    expect(r.stdout).toContain(`export AURORA_LAB_REGION=${REGION}\n`);
    expect(r.stdout).toContain(`export AURORA_LAB_BUCKET=${BUCKET}\n`);
    expect(r.stdout).toContain("export AURORA_LAB_ENDPOINT=lab.cluster-x.cn-north-1.rds.amazonaws.com.cn\n");
    expect(r.stdout).toContain("export AURORA_LAB_PREFIX=audit-logs/\n");
    expect(r.stdout).not.toContain("AURORA_LAB_DB_INSTANCES");
    const withIds = run("setup_ec2.sh", ["--dry-run", "--region", REGION, "--db-instances", "lab-1,lab-2"]);
    expect(withIds.stdout).toContain("export AURORA_LAB_DB_INSTANCES=lab-1\\,lab-2\n");
    const bad = run("setup_ec2.sh", ["--dry-run", "--region", REGION, "--db-instances", "lab 1"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--db-instances 'lab 1' is not a comma-separated list of DB instance identifiers");
    expect(r.stdout).not.toContain("setup_sysbench");
  });

  test("writes the lab settings to the profile file with shell quoting", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aurora-lab-"));
    const profile = path.join(dir, "aurora-lab.sh");
    // --dry-run prints instead of writing; the quoting is checked by sourcing the printed text.
    const r = run("setup_ec2.sh", ["--dry-run", "--region", REGION, "--prefix", "audit logs/$(id)", "--profile-file", profile]);
    expect(r.status).toBe(0);
    const text = r.stdout.split("\n").filter((l) => l.startsWith("export ")).join("\n");
    fs.writeFileSync(profile, text + "\n");
    const sourced = spawnSync("bash", ["-c", `. "${profile}" && printf '%s' "$AURORA_LAB_PREFIX"`], { encoding: "utf8" });
    expect(sourced.stdout).toBe("audit logs/$(id)/");
  });

  test("--with-sysbench chains setup_sysbench.sh", () => {
    const r = run("setup_ec2.sh", ["--dry-run", "--region", REGION, "--with-sysbench"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("mariadb105-devel");
    expect(r.stdout).toContain("./configure --prefix=/usr/local --with-mysql");
  });
});

describe("setup_sysbench.sh", () => {
  test("rejects a non-https, non-s3 source", () => {
    const r = run("setup_sysbench.sh", ["--dry-run", "--force", "--source", "http://example.invalid/sb.tgz"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--source 'http://example.invalid/sb.tgz' must be an https:// URL or an s3:// URI");
  });

  test("an s3:// source needs a region and is fetched with it", () => {
    expect(run("setup_sysbench.sh", ["--dry-run", "--force", "--source", "s3://stage/sysbench.tgz"]).status).toBe(2);
    const r = run("setup_sysbench.sh", ["--dry-run", "--force", "--source", "s3://stage/sysbench.tgz", "--region", REGION]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`\\+ aws s3 cp --region ${REGION} --only-show-errors s3://stage/sysbench.tgz \\S+/sysbench.tar.gz`));
  });

  test("rejects a malformed SHA-256", () => {
    const r = run("setup_sysbench.sh", ["--dry-run", "--force", "--sha256", "abc"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--sha256 'abc'");
  });

  test("builds against the MariaDB client library", () => {
    const r = run("setup_sysbench.sh", ["--dry-run", "--force", "--sha256", "a".repeat(64)]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("mariadb105-devel");
    expect(r.stdout).toContain("curl --fail");
    expect(r.stdout).toContain("+ sha256sum --check");
  });
});

// ---------------------------------------------------------------------------------------------
// test_audit_logs.sh against stand-in tools
// ---------------------------------------------------------------------------------------------

const FAKE_AWS = String.raw`
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

const FAKE_MYSQL = String.raw`
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

const FAKE_SYSBENCH = String.raw`
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

interface Lab {
  dir: string;
  env: NodeJS.ProcessEnv;
  log: () => { tool: string; argv: string[] }[];
  state: () => { users: Record<string, string>; statements: string[] };
}

function makeLab(extraEnv: NodeJS.ProcessEnv = {}): Lab {
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

function runLab(lab: Lab, args: string[] = []): SpawnSyncReturns<string> {
  return spawnSync("bash", [path.join(SCRIPTS_DIR, "test_audit_logs.sh"), "--run-id", "t1", "--sysbench-time", "1", ...args], {
    encoding: "utf8",
    env: { HOME: lab.dir, ...lab.env },
    timeout: 60000,
  });
}

function reportRow(stdout: string, name: string): string | undefined {
  return stdout.split("\n").find((l) => l.trim().split(/\s+/)[1] === name);
}

const ALL_EXPECTATIONS = [
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

describe("test_audit_logs.sh end to end (stand-in aws, mysql, sysbench)", () => {
  test("runs every step, finds every record in S3 and exits 0", () => {
    const lab = makeLab();
    const r = runLab(lab, ["--report", path.join(lab.dir, "report.txt")]);
    expect(r.stderr).not.toContain("error:");
    expect(r.status).toBe(0);
    for (const name of ALL_EXPECTATIONS) {
      expect(reportRow(r.stdout, name)).toMatch(new RegExp(`^\\s+ok\\s+${name}\\s+[1-9]`));
    }
    expect(r.stdout).toContain("Result: PASS, 16 of 16 expected record kinds found");
    expect(r.stdout).toContain(`source:   s3://${BUCKET}/audit-logs/ (${REGION})`);
    expect(fs.readFileSync(path.join(lab.dir, "report.txt"), "utf8")).toBe(r.stdout);

    const statements = lab.state().statements;
    expect(statements).toEqual(
      expect.arrayContaining([
        "SELECT 'auditlab:t1:good-login'",
        "CREATE DATABASE lab_t1",
        "CREATE USER 'probe_t1'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS'",
        "GRANT SELECT, INSERT ON lab_t1.* TO 'probe_t1'@'%'",
        "REVOKE INSERT ON lab_t1.* FROM 'probe_t1'@'%'",
        "DROP USER 'probe_t1'@'%'",
        "DROP USER 'sb_t1'@'%'",
        "DROP DATABASE lab_t1",
      ]),
    );
    // cleanup comes last
    expect(statements.slice(-2)).toEqual(["DROP USER 'sb_t1'@'%'", "DROP DATABASE lab_t1"]);

    const calls = lab.log();
    const awsCalls = calls.filter((c) => c.tool === "aws");
    expect(awsCalls.length).toBeGreaterThanOrEqual(3);
    for (const c of awsCalls) expect(c.argv[c.argv.indexOf("--region") + 1]).toBe(REGION);
    expect(awsCalls[0].argv.slice(0, 2)).toEqual(["secretsmanager", "get-secret-value"]);
    expect(awsCalls.some((c) => c.argv[0] === "s3api" && c.argv.includes("audit-logs/"))).toBe(true);
    expect(awsCalls.some((c) => c.argv[0] === "s3" && c.argv[1] === "cp")).toBe(true);
    // the master password never appears on a command line
    for (const c of calls) expect(c.argv.join(" ")).not.toContain(MASTER_PASSWORD);
    const sb = calls.filter((c) => c.tool === "sysbench").map((c) => c.argv[c.argv.length - 1]);
    expect(sb).toEqual(["prepare", "run", "cleanup"]);
    const sbRun = calls.find((c) => c.tool === "sysbench" && c.argv.includes("run"))!;
    expect(sbRun.argv).toEqual(expect.arrayContaining(["oltp_read_write", "--mysql-user=sb_t1", "--mysql-db=lab_t1"]));
    // the temporary option files are gone
    const cnfs = calls
      .filter((c) => c.tool === "mysql")
      .map((c) => c.argv.find((a) => a.startsWith("--defaults-extra-file="))?.split("=")[1])
      .filter((f): f is string => !!f);
    expect(cnfs.length).toBeGreaterThan(3);
    for (const f of cnfs) expect(fs.existsSync(f)).toBe(false);
  });

  test("exits 3 and names what is missing when some records never reach S3", () => {
    const lab = makeLab({ FAKE_AUDIT_DROP: "^(GRANT|ALTER TABLE)" });
    const r = runLab(lab);
    expect(r.status).toBe(3);
    expect(reportRow(r.stdout, "dcl_grant")).toMatch(/^\s+MISSING\s+dcl_grant\s+0\s/);
    expect(reportRow(r.stdout, "ddl_alter_table")).toMatch(/^\s+MISSING\s+ddl_alter_table\s+0\s/);
    expect(reportRow(r.stdout, "dcl_revoke")).toMatch(/^\s+ok\s+dcl_revoke\s+1\s/);
    expect(r.stdout).toContain("Result: FAIL, 2 of 16 expected record kinds missing");
  });

  test("--db-instances limits the check to those instances' prefixes", () => {
    const other = makeLab({ AURORA_LAB_DB_INSTANCES: "other-db-1" });
    const r1 = runLab(other);
    expect(r1.status).toBe(3);
    expect(r1.stdout).toContain(`source:   s3://${BUCKET}/audit-logs/other-db-1/ (${REGION})`);
    expect(r1.stdout).toContain("files:    0");
    const lists = other.log().filter((c) => c.tool === "aws" && c.argv[0] === "s3api");
    expect(lists.map((c) => c.argv[c.argv.indexOf("--prefix") + 1])).toEqual(["audit-logs/other-db-1/"]);

    const ours = makeLab();
    const r2 = runLab(ours, ["--db-instances", "other-db-1,lab-writer-1"]);
    expect(r2.status).toBe(0);
    expect(r2.stdout).toContain(`source:   s3://${BUCKET}/audit-logs/other-db-1/ s3://${BUCKET}/audit-logs/lab-writer-1/ (${REGION})`);
    expect(r2.stdout).toContain("files:    1");
  });

  test("exits 3 when nothing is in the bucket yet", () => {
    const lab = makeLab({ FAKE_AUDIT_FILE: path.join(os.tmpdir(), `not-in-s3-${process.pid}-${Date.now()}`, "audit.log") });
    const r = runLab(lab);
    expect(r.status).toBe(3);
    expect(r.stdout).toContain("files:    0");
    expect(r.stdout).toContain("Result: FAIL, 16 of 16 expected record kinds missing");
  });

  test("fails (exit 1) when a login that must be refused is accepted, and still cleans up", () => {
    const lab = makeLab({ FAKE_ACCEPT_ANY: "1" });
    const r = runLab(lab);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("bad password for labadmin: the login succeeded but must be refused");
    expect(lab.state().statements).not.toContain("CREATE DATABASE lab_t1");
  });

  test("drops what it created when a step fails half-way", () => {
    const lab = makeLab();
    // sysbench cannot log in: the workload user's password in state is wrong
    const sbFail = path.join(lab.dir, "bin", "sysbench");
    fs.writeFileSync(sbFail, `#!/bin/sh\necho 'FATAL: unable to connect' >&2\nexit 1\n`, { mode: 0o755 });
    const r = runLab(lab);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("sysbench prepare failed");
    const statements = lab.state().statements;
    expect(statements).toContain("DROP USER IF EXISTS 'sb_t1'@'%'");
    expect(statements).toContain("DROP DATABASE IF EXISTS lab_t1");
  });

  test("a wrong secret ARN is reported", () => {
    const lab = makeLab({ FAKE_SECRET_ARN: SECRET_ARN + "-other" });
    const r = runLab(lab);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`could not read secret ${SECRET_ARN}`);
  });
});

describe("test_audit_logs.sh --local-dir (offline check of downloaded audit logs)", () => {
  const fixture = (rid: string) =>
    [
      `1700000100123456,w1,admin,10.0.1.5,101,0,CONNECT,,,0`,
      `1700000100123999,w1,admin,10.0.1.5,101,5001,QUERY,,'SELECT \\'auditlab:${rid}:good-login\\'',0`,
      `1700000101000000,w1,admin,10.0.1.5,102,0,FAILED_CONNECT,,,1045`,
      `1700000101000001,w1,nouser_${rid},10.0.1.5,103,0,FAILED_CONNECT,,,1045`,
      `1700000102000001,w1,admin,10.0.1.5,104,6001,QUERY,,'CREATE TABLE lab_${rid}.audit_probe (id INT, note VARCHAR(128))',0`,
      `1700000102000002,w1,admin,10.0.1.5,104,6002,QUERY,,'ALTER TABLE lab_${rid}.audit_probe ADD COLUMN run_id VARCHAR(32) NULL',0`,
      `1700000102000003,w1,admin,10.0.1.5,104,6003,QUERY,,'CREATE INDEX i ON lab_${rid}.audit_probe (note)',0`,
      `1700000102000004,w1,admin,10.0.1.5,104,6004,QUERY,,'INSERT INTO lab_${rid}.audit_probe (note) VALUES (\\'a,b\\')',0`,
      `1700000102000005,w1,admin,10.0.1.5,104,6004,WRITE,lab_${rid},audit_probe,0`,
      `1700000102000006,w1,admin,10.0.1.5,104,6005,READ,lab_${rid},audit_probe,0`,
      `1700000102000007,w1,admin,10.0.1.5,104,6006,QUERY,,'DROP TABLE lab_${rid}.audit_probe',0`,
      `1700000103000001,w1,admin,10.0.1.5,105,7001,QUERY,,'CREATE USER \\'probe_${rid}\\'@\\'%\\' IDENTIFIED WITH AWSAuthenticationPlugin AS \\'RDS\\'',0`,
      `1700000103000002,w1,admin,10.0.1.5,105,7002,QUERY,,'GRANT SELECT ON lab_${rid}.* TO \\'probe_${rid}\\'@\\'%\\'',0`,
      `1700000103000003,w1,admin,10.0.1.5,105,7003,QUERY,,'REVOKE SELECT ON lab_${rid}.* FROM \\'probe_${rid}\\'@\\'%\\'',0`,
      `1700000103000004,w1,admin,10.0.1.5,105,7004,QUERY,,'DROP USER \\'probe_${rid}\\'@\\'%\\'',0`,
      `1700000104000000,w1,sb_${rid},10.0.1.5,106,0,CONNECT,lab_${rid},,0`,
      `1700000104000001,w1,sb_${rid},10.0.1.5,106,8001,QUERY,lab_${rid},'SELECT c FROM sbtest1 WHERE id=5',0`,
    ].join("\n") + "\n";

  function localRun(lines: string, args: string[]): SpawnSyncReturns<string> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aurora-lab-local-"));
    fs.mkdirSync(path.join(dir, "db-1", "audit"), { recursive: true });
    fs.writeFileSync(path.join(dir, "db-1", "audit", "audit.log.0"), lines);
    return run("test_audit_logs.sh", ["--local-dir", dir, ...args]);
  }

  test("passes when every kind of record is present", () => {
    const r = localRun(fixture("x9"), ["--run-id", "x9", "--since", "1700000000", "--master-user", "admin"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Result: PASS, 16 of 16");
  });

  test("records of another run do not count", () => {
    const r = localRun(fixture("x9"), ["--run-id", "x8", "--since", "1700000000", "--master-user", "admin"]);
    expect(r.status).toBe(3);
    // only the master user's failed login (matched by time window, not run id) is found
    expect(r.stdout).toContain("Result: FAIL, 15 of 16 expected record kinds missing");
    expect(reportRow(r.stdout, "failed_login_bad_password")).toMatch(/^\s+ok\s/);
  });

  test("failed logins before --since do not count", () => {
    const r = localRun(fixture("x9"), ["--run-id", "x9", "--since", "1700000102", "--master-user", "admin"]);
    expect(r.status).toBe(3);
    expect(reportRow(r.stdout, "failed_login_bad_password")).toMatch(/^\s+MISSING\s/);
  });

  test("a good login by another user does not count as the master's", () => {
    const r = localRun(fixture("x9"), ["--run-id", "x9", "--since", "1700000000", "--master-user", "root"]);
    expect(r.status).toBe(3);
    expect(reportRow(r.stdout, "good_login")).toMatch(/^\s+MISSING\s/);
  });

  test("reads gzip-compressed files", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aurora-lab-gz-"));
    fs.writeFileSync(path.join(dir, "audit.log.0.gz"), require("zlib").gzipSync(fixture("z1")));
    const r = run("test_audit_logs.sh", ["--local-dir", dir, "--run-id", "z1", "--since", "1700000000", "--master-user", "admin"]);
    expect(r.status).toBe(0);
  });
});

describe("test_audit_logs.sh option validation", () => {
  const base = {
    AURORA_LAB_ENDPOINT: "lab.cluster-abc.cn-north-1.rds.amazonaws.com.cn",
    AURORA_LAB_SECRET_ARN: SECRET_ARN,
    AURORA_LAB_BUCKET: BUCKET,
    AURORA_LAB_REGION: REGION,
  };
  const cases: [string, NodeJS.ProcessEnv, string[], string][] = [
    ["no endpoint", { ...base, AURORA_LAB_ENDPOINT: "" }, [], "--endpoint (or AURORA_LAB_ENDPOINT) is required"],
    ["no secret", { ...base, AURORA_LAB_SECRET_ARN: "" }, [], "--secret-arn (or AURORA_LAB_SECRET_ARN) is required"],
    ["no bucket", { ...base, AURORA_LAB_BUCKET: "" }, [], "--bucket (or AURORA_LAB_BUCKET) is required"],
    ["no region", { ...base, AURORA_LAB_REGION: "" }, [], "--region (or AURORA_LAB_REGION / AWS_REGION) is required"],
    ["bad region", base, ["--region", "beijing"], "--region 'beijing' is not a region name"],
    ["bad secret", base, ["--secret-arn", "my-secret"], "--secret-arn 'my-secret' is not a Secrets Manager secret ARN"],
    ["bad bucket", base, ["--bucket", "Bad_Bucket"], "--bucket 'Bad_Bucket' is not an S3 bucket name"],
    ["bad port", base, ["--port", "70000"], "--port '70000' must be at most 65535"],
    ["port not a number", base, ["--port", "x"], "--port 'x' must be a whole number >= 1"],
    ["bad wait", base, ["--wait", "-1"], "--wait '-1' must be a whole number >= 0"],
    ["bad run id", base, ["--run-id", "Run-1"], "--run-id 'Run-1' must be 1-20 lower-case letters or digits"],
    ["bad endpoint", base, ["--endpoint", "host;rm"], "--endpoint 'host;rm' is not a host name"],
    ["missing value", base, ["--bucket"], "option --bucket needs a value"],
    ["bad instance id", base, ["--db-instances", "db-1,bad_id"], "--db-instances 'db-1,bad_id': 'bad_id' is not a DB instance identifier"],
    ["verify without run id", base, ["--skip-workload", "--since", "1"], "need --run-id"],
    ["verify without since", base, ["--skip-workload", "--run-id", "a1"], "need --since"],
    ["local dir missing", {}, ["--local-dir", "/nonexistent-dir-xyz", "--run-id", "a1", "--since", "1"], "--local-dir '/nonexistent-dir-xyz' is not a directory"],
    ["local dir without user", {}, ["--local-dir", os.tmpdir(), "--run-id", "a1", "--since", "1"], "--local-dir needs --master-user or --secret-arn"],
  ];
  test.each(cases)("%s is a usage error naming the option", (_name, env, args, message) => {
    const r = run("test_audit_logs.sh", args, env);
    expect(r.stderr).toContain(message);
    expect(r.status).toBe(2);
  });
});
