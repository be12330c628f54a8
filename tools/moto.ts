/**
 * moto's AWS API server (`moto_server`, from `pip install 'moto[server]'`) on 127.0.0.1, started
 * per suite and stopped after it: an AWS emulator nobody on this project wrote. It answers in the
 * `aws-cn` partition for the China regions (ARNs `arn:aws-cn:...`), keeps DynamoDB Streams with one
 * record per write, versioned S3 with SSE-KMS, KMS, SQS and CloudWatch Logs.
 *
 * Source: https://docs.getmoto.org/en/latest/docs/server_mode.html (server mode, `moto-api/reset`).
 *
 * Where moto_server is not installed, `motoMissing()` says so: suites skip with that message
 * (tests/helpers/moto.ts `describeWithMoto`) and `npm run provider-check` stops with it. `.ci/run`
 * finds it and sets CN_LOG_BACKUP_REQUIRE_MOTO=1, which turns a skip into a failure.
 */
import { spawn, spawnSync, type ChildProcess } from "child_process";
import * as net from "net";

export interface MotoServer {
  /** `http://127.0.0.1:<port>`: the endpoint to give every SDK client. */
  endpoint: string;
  /** Credentials moto accepts (any); the account is moto's default, 123456789012. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Forgets every resource (moto's `POST /moto-api/reset`). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** moto's default account id (MOTO_ACCOUNT_ID overrides it per server). */
export const MOTO_ACCOUNT_ID = "123456789012";

let availability: string | undefined | null = null;

/** Undefined when moto_server can run here; otherwise what is missing, for the skip message. */
export function motoMissing(): string | undefined {
  if (availability !== null) return availability;
  const bin = process.env.MOTO_SERVER ?? "moto_server";
  const r = spawnSync(bin, ["--help"], { encoding: "utf8", timeout: 30000 });
  availability = r.status === 0 ? undefined : `moto_server is not installed (pip install 'moto[server]'): ${r.error?.message ?? r.stderr?.slice(0, 200)}`;
  return availability;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Starts moto_server on a free loopback port and waits until it answers. */
export async function startMoto(env: Record<string, string> = {}): Promise<MotoServer> {
  const missing = motoMissing();
  if (missing) throw new Error(missing);
  const port = await freePort();
  const bin = process.env.MOTO_SERVER ?? "moto_server";
  const child: ChildProcess = spawn(bin, ["-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, MOTO_ACCOUNT_ID, ...env },
  });
  let stderr = "";
  child.stderr?.on("data", (d) => (stderr = (stderr + d).slice(-4000)));
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited (${child.exitCode}): ${stderr}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/data.json`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`moto_server did not answer on ${endpoint} within 60 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    endpoint,
    credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    reset: async () => {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
      if (!res.ok) throw new Error(`moto reset: HTTP ${res.status}`);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5000).unref();
      }),
  };
}
