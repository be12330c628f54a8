/**
 * The real Terraform CLI with the AWS provider from a local filesystem mirror: finding them, the
 * CLI configuration that installs only from the mirror (no network), and init / providers schema /
 * validate / plan in a working directory, their JSON diagnostics parsed.
 *
 * CLI configuration: https://developer.hashicorp.com/terraform/cli/config/config-file#provider-installation
 * Machine-readable output: https://developer.hashicorp.com/terraform/internals/machine-readable-ui
 * and https://developer.hashicorp.com/terraform/cli/commands/validate#json
 */
import { execFile, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

/** The provider version the mirror carries and the configuration requires. */
export const AWS_PROVIDER_VERSION = "5.100.0";

export function terraformBin(): string {
  return process.env.CN_LOG_BACKUP_TERRAFORM ?? "terraform";
}

/** The filesystem mirror: `<dir>/registry.terraform.io/hashicorp/aws/<version>/<os>_<arch>/`. */
export function pluginMirror(): string {
  return process.env.CN_LOG_BACKUP_TF_PLUGINS ?? "/opt/tf-plugins";
}

/** Undefined when Terraform 1.x and the mirrored AWS provider are here; otherwise what is missing. */
export function terraformMissing(): string | undefined {
  const r = spawnSync(terraformBin(), ["version", "-json"], { encoding: "utf8", timeout: 30000, env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
  if (r.status !== 0) return `Terraform is not installed (${terraformBin()}: ${r.error?.message ?? r.stderr?.trim().slice(0, 200)}); install Terraform 1.11`;
  const version = (JSON.parse(r.stdout) as { terraform_version?: string }).terraform_version ?? "";
  if (!/^1\./.test(version)) return `Terraform ${version} found; 1.x is needed`;
  const platform = `${process.platform}_${process.arch === "x64" ? "amd64" : process.arch}`;
  const dir = path.join(pluginMirror(), "registry.terraform.io", "hashicorp", "aws", AWS_PROVIDER_VERSION, platform);
  const ok = fs.existsSync(dir) && fs.readdirSync(dir).some((f) => f.startsWith("terraform-provider-aws"));
  if (!ok) return `the Terraform AWS provider ${AWS_PROVIDER_VERSION} is not in the plugin mirror (${dir}); see README "Provider check"`;
  return undefined;
}

/** Writes a CLI configuration that installs hashicorp/aws from the mirror only (no other method is listed). */
export function writeCliConfig(dir: string): string {
  const file = path.join(dir, "terraform.tfrc");
  fs.writeFileSync(
    file,
    [
      "provider_installation {",
      "  filesystem_mirror {",
      `    path    = ${JSON.stringify(pluginMirror())}`,
      '    include = ["registry.terraform.io/hashicorp/aws"]',
      "  }",
      "}",
      "disable_checkpoint = true",
      "",
    ].join("\n"),
  );
  return file;
}

/** The child's environment: this CLI config, no checkpoint calls, fake credentials only. */
export function terraformEnv(cliConfig: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(AWS_|TF_)/.test(k)) env[k] = v;
  return {
    ...env,
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    CHECKPOINT_DISABLE: "1",
    AWS_ACCESS_KEY_ID: "testing",
    AWS_SECRET_ACCESS_KEY: "testing",
    AWS_EC2_METADATA_DISABLED: "true",
  };
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

export function terraform(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CommandResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(terraformBin(), args, { cwd, env, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as any).code === "number" ? (err as any).code : 1) : 0;
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

export interface Diagnostic {
  severity: "error" | "warning";
  summary: string;
  detail?: string;
  /** Resource address, when Terraform gives one (plan). */
  address?: string;
  range?: { filename: string; start: { line: number } };
}

/** Diagnostics of `terraform validate -json` (one JSON document). */
export function validateDiagnostics(stdout: string): Diagnostic[] {
  const doc = JSON.parse(stdout) as { diagnostics?: Diagnostic[] };
  return doc.diagnostics ?? [];
}

/** Diagnostics and planned changes of `terraform plan -json` (one JSON message per line). */
export function planMessages(stdout: string): { diagnostics: Diagnostic[]; add?: number } {
  const diagnostics: Diagnostic[] = [];
  let add: number | undefined;
  for (const line of stdout.split("\n")) {
    if (!line.trim().startsWith("{")) continue;
    const m = JSON.parse(line) as { type?: string; diagnostic?: Diagnostic; changes?: { add: number } };
    if (m.type === "diagnostic" && m.diagnostic) diagnostics.push(m.diagnostic);
    if (m.type === "change_summary" && m.changes) add = m.changes.add;
  }
  return { diagnostics, add };
}
