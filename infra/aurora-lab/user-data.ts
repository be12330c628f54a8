/** The lab client's boot script (cloud-init user data) and the lab scripts it places. */
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";

/** Where the lab scripts live in this repository and on the client. */
export const SCRIPTS_DIR = path.join(__dirname, "scripts");
export const LAB_SCRIPTS = ["setup_ec2.sh", "setup_sysbench.sh", "test_audit_logs.sh"];
export const CLIENT_SCRIPTS_DIR = "/opt/aurora-lab";

/** Quotes a value for a POSIX shell. */
export function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export interface UserDataSettings {
  region: string;
  endpoint: string;
  readerEndpoint: string;
  secretArn: string;
  bucket?: string;
  prefix: string;
  /** The cluster's DB instance ids: the lab script checks only their audit-log prefixes. */
  dbInstances: string[];
  cloudWatchAgentConfigParameter?: string;
  sysbench?: { source: string; sha256?: string };
  /** Script file name -> contents; default: read from SCRIPTS_DIR. */
  scripts?: Record<string, string>;
}

const HEREDOC_END = "AURORA_LAB_SCRIPT_END";

/** Reads the lab scripts from the repository. */
export function readLabScripts(): Record<string, string> {
  return Object.fromEntries(LAB_SCRIPTS.map((f) => [f, fs.readFileSync(path.join(SCRIPTS_DIR, f), "utf8")]));
}

/**
 * The client's boot script: writes the lab scripts to /opt/aurora-lab, then runs setup_ec2.sh
 * (MariaDB 10.5 client, jq, CloudWatch agent started from its SSM configuration, the lab settings
 * for login shells) and, when a source is configured, setup_sysbench.sh.
 */
export function renderUserData(s: UserDataSettings): string {
  const scripts = s.scripts ?? readLabScripts();
  const lines = [
    "#!/bin/bash",
    "# AuroraLab client bootstrap (cloud-init user data). Log: /var/log/aurora-lab-bootstrap.log",
    "set -euo pipefail",
    "exec >>/var/log/aurora-lab-bootstrap.log 2>&1",
    `install -d -m 0755 ${CLIENT_SCRIPTS_DIR}`,
  ];
  for (const [file, text] of Object.entries(scripts)) {
    if (text.split("\n").includes(HEREDOC_END)) throw new Error(`${file} contains the line ${HEREDOC_END}, which ends the user data heredoc`);
    lines.push(`cat >${CLIENT_SCRIPTS_DIR}/${file} <<'${HEREDOC_END}'`, text.replace(/\n$/, ""), HEREDOC_END, `chmod 0755 ${CLIENT_SCRIPTS_DIR}/${file}`);
  }
  const setup = [
    `${CLIENT_SCRIPTS_DIR}/setup_ec2.sh`,
    "--region",
    shQuote(s.region),
    "--endpoint",
    shQuote(s.endpoint),
    "--reader-endpoint",
    shQuote(s.readerEndpoint),
    "--secret-arn",
    shQuote(s.secretArn),
    "--prefix",
    shQuote(s.prefix),
    "--db-instances",
    shQuote(s.dbInstances.join(",")),
  ];
  if (s.bucket) setup.push("--bucket", shQuote(s.bucket));
  if (s.cloudWatchAgentConfigParameter) setup.push("--cw-agent-config", shQuote(s.cloudWatchAgentConfigParameter));
  lines.push(setup.join(" "));
  if (s.sysbench) {
    const sb = [`${CLIENT_SCRIPTS_DIR}/setup_sysbench.sh`, "--region", shQuote(s.region), "--source", shQuote(s.sysbench.source)];
    if (s.sysbench.sha256) sb.push("--sha256", shQuote(s.sysbench.sha256));
    lines.push(sb.join(" "));
  } else {
    lines.push(`echo "sysbench not built: set auroraLab.sysbenchSource, or run ${CLIENT_SCRIPTS_DIR}/setup_sysbench.sh --source s3://..."`);
  }
  lines.push('echo "aurora-lab bootstrap done"');
  return lines.join("\n") + "\n";
}

/** User data as EC2 takes it: gzip (cloud-init inflates it) then base64, to stay under 16 KB. */
export function encodeUserData(script: string): string {
  return zlib.gzipSync(Buffer.from(script, "utf8"), { level: 9 }).toString("base64");
}
