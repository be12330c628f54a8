/**
 * infra/aurora-lab/scripts/test_audit_logs.sh offline: the whole flow against stand-ins for `aws`,
 * `mysql` and `sysbench` (tests/helpers/aurora-lab-scripts.ts), the --local-dir check and option
 * validation.
 */
import { SpawnSyncReturns } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REGION, SECRET_ARN, BUCKET, MASTER_PASSWORD, ALL_EXPECTATIONS, run, makeLab, runLab, reportRow } from "../../../helpers/aurora-lab-scripts";

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
    [
      "local dir missing",
      {},
      ["--local-dir", "/nonexistent-dir-xyz", "--run-id", "a1", "--since", "1"],
      "--local-dir '/nonexistent-dir-xyz' is not a directory",
    ],
    ["local dir without user", {}, ["--local-dir", os.tmpdir(), "--run-id", "a1", "--since", "1"], "--local-dir needs --master-user or --secret-arn"],
  ];
  test.each(cases)("%s is a usage error naming the option", (_name, env, args, message) => {
    const r = run("test_audit_logs.sh", args, env);
    expect(r.stderr).toContain(message);
    expect(r.status).toBe(2);
  });
});
