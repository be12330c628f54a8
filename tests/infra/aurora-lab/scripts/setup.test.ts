/**
 * The AuroraLab setup scripts (infra/aurora-lab/scripts/setup_*.sh) and what every lab script must
 * be: shellcheck-clean, strict mode, usage and option errors, no hard-coded values.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { SCRIPTS_DIR, SCRIPTS, REGION, SECRET_ARN, BUCKET, which, run } from "../../../helpers/aurora-lab-scripts";

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
      console.warn("SKIPPED: shellcheck not found on PATH; install it (apt-get install -y shellcheck) to lint the AuroraLab scripts");
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
    const text = r.stdout
      .split("\n")
      .filter((l) => l.startsWith("export "))
      .join("\n");
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
