/**
 * The provider check of a set of resource records: translate each to Terraform JSON, then the real
 * `terraform init` (from the mirror), `validate` and `plan` against a moto server on loopback.
 * One checker per run: one temp directory, one moto server, the provider schema read once.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { ResourceRecord } from "../types";
import { MotoServer, motoMissing, startMoto } from "../moto";
import { ProviderSchema, parseProviderSchema } from "./schema";
import { ArchiveFile, translateResource } from "./translate";
import { isArchive, writeArchive } from "./archive";
import { ConfigResource, configText, endpointNames, terraformName, withoutAliases } from "./config";
import { Diagnostic, planMessages, terraform, terraformEnv, terraformMissing, validateDiagnostics, writeCliConfig } from "./terraform";
import { AWS_PROVIDER_VERSION } from "./terraform";

/** Inputs of an explicit `aws.Provider` the check carries: its region (as the resources' provider). */
const PROVIDER_INPUTS_CARRIED = new Set(["region", "version"]);

export interface Finding {
  severity: "error" | "warning";
  /** translate, init, validate or plan. */
  stage: string;
  /** Pulumi type and name, when the finding concerns one resource. */
  resource?: string;
  message: string;
}

export interface StackCheck {
  label: string;
  resources: number;
  findings: Finding[];
  errors: number;
  warnings: number;
  /** Resources terraform plan would create (undefined when plan did not run). */
  planned?: number;
  ms: { translate: number; init: number; validate: number; plan: number };
}

/** What is missing for the check to run here (Terraform, the mirror, moto), or undefined. */
export function providerCheckMissing(): string | undefined {
  return terraformMissing() ?? motoMissing();
}

export class ProviderChecker {
  private count = 0;

  private constructor(
    readonly root: string,
    private readonly env: NodeJS.ProcessEnv,
    readonly schema: ProviderSchema,
    /** Endpoint names (one per service) set to moto. */
    readonly services: string[],
    private readonly moto: MotoServer,
    private readonly keep: boolean,
  ) {}

  static async start(opts: { keep?: boolean } = {}): Promise<ProviderChecker> {
    const missing = providerCheckMissing();
    if (missing) throw new Error(missing);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "provider-check-"));
    const env = terraformEnv(writeCliConfig(root));
    const schemaDir = path.join(root, "schema");
    fs.mkdirSync(schemaDir);
    fs.writeFileSync(
      path.join(schemaDir, "main.tf.json"),
      JSON.stringify({ terraform: { required_providers: { aws: { source: "hashicorp/aws", version: AWS_PROVIDER_VERSION } } } }),
    );
    const init = await terraform(["init", "-input=false", "-no-color", "-backend=false"], schemaDir, env);
    if (init.code !== 0) throw new Error(`terraform init (schema) failed: ${init.stderr || init.stdout}`);
    const out = await terraform(["providers", "schema", "-json"], schemaDir, env);
    if (out.code !== 0) throw new Error(`terraform providers schema failed: ${out.stderr}`);
    const schema = parseProviderSchema(out.stdout);
    const moto = await startMoto();
    try {
      const services = await probeEndpoints(root, env, schema, moto.endpoint);
      return new ProviderChecker(root, env, schema, services, moto, !!opts.keep);
    } catch (e) {
      await moto.stop();
      throw e;
    }
  }

  async stop(): Promise<void> {
    await this.moto.stop();
    if (!this.keep) fs.rmSync(this.root, { recursive: true, force: true });
  }

  /** Checks the provider resources (custom `aws:` records) of one stack run. */
  async check(label: string, stackRegion: string, records: ResourceRecord[]): Promise<StackCheck> {
    const dir = path.join(this.root, `stack-${++this.count}`);
    fs.mkdirSync(dir);
    const findings: Finding[] = [];
    const ms = { translate: 0, init: 0, validate: 0, plan: 0 };
    const t0 = Date.now();
    const aws = records.filter((r) => r.custom && r.type.startsWith("aws:"));
    const unchecked = records.filter((r) => r.custom && !r.type.startsWith("aws:") && !r.type.startsWith("pulumi:"));
    for (const r of unchecked)
      findings.push({
        severity: "error",
        stage: "translate",
        resource: `${r.type} "${r.name}"`,
        message: "not an AWS provider resource; the check cannot place it",
      });
    // An explicit AWS provider reaches its resources as their region (ResourceRecord.region); any
    // other provider setting (default tags, assume role, ...) would be lost, so it fails the run.
    for (const p of records.filter((r) => r.type === "pulumi:providers:aws")) {
      const other = Object.keys(p.inputs).filter((k) => !PROVIDER_INPUTS_CARRIED.has(k) && p.inputs[k] != null);
      if (other.length)
        findings.push({
          severity: "error",
          stage: "translate",
          resource: `${p.type} "${p.name}"`,
          message: `provider settings ${other.join(", ")} are not carried to Terraform (only its region is)`,
        });
    }

    const resources: ConfigResource[] = [];
    const byAddress = new Map<string, string>();
    const used = new Set<string>();
    for (const r of aws) {
      const archives: Record<string, ArchiveFile> = {};
      for (const [k, v] of Object.entries(r.inputs)) {
        if (!isArchive(v)) continue;
        try {
          archives[k] = await writeArchive(v, path.join(dir, "archives", `${terraformName(r.name)}-${k}.zip`));
        } catch (e) {
          findings.push({ severity: "error", stage: "translate", resource: `${r.type} "${r.name}"`, message: `${k}: ${(e as Error).message}` });
        }
      }
      const { resource, errors } = translateResource(r, { schema: this.schema, stackRegion, archives });
      for (const message of errors) findings.push({ severity: "error", stage: "translate", message });
      if (!resource) continue;
      let tfName = terraformName(r.name);
      for (let i = 2; used.has(`${resource.tfType}.${tfName}`); i++) tfName = `${terraformName(r.name)}_${i}`;
      used.add(`${resource.tfType}.${tfName}`);
      byAddress.set(`${resource.tfType}.${tfName}`, `${r.type} "${r.name}"`);
      resources.push({ tfType: resource.tfType, tfName, region: resource.region, body: resource.body });
    }
    const { text, lineAddress } = configText(this.services, stackRegion, this.moto.endpoint, resources);
    fs.writeFileSync(path.join(dir, "main.tf.json"), text);
    ms.translate = Date.now() - t0;

    const where = (d: Diagnostic): string | undefined => {
      const address = d.address ?? (d.range ? lineAddress.get(d.range.start.line) : undefined);
      return address ? (byAddress.get(address.replace(/\[.*$/, "")) ?? address) : undefined;
    };
    const add = (stage: string, ds: Diagnostic[]) => {
      for (const d of ds) findings.push({ severity: d.severity, stage, resource: where(d), message: [d.summary, d.detail].filter(Boolean).join(": ") });
    };
    const result = (planned?: number): StackCheck => {
      const errors = findings.filter((f) => f.severity === "error").length;
      return { label, resources: aws.length, findings, errors, warnings: findings.length - errors, planned, ms };
    };
    if (findings.some((f) => f.severity === "error")) return result();

    const init = await terraform(["init", "-input=false", "-no-color", "-backend=false"], dir, this.env);
    ms.init = init.ms;
    if (init.code !== 0) {
      findings.push({ severity: "error", stage: "init", message: (init.stderr || init.stdout).trim() });
      return result();
    }
    const validate = await terraform(["validate", "-json", "-no-color"], dir, this.env);
    ms.validate = validate.ms;
    add("validate", validateDiagnostics(validate.stdout));
    if (validate.code !== 0 && !findings.some((f) => f.severity === "error"))
      findings.push({ severity: "error", stage: "validate", message: validate.stderr.trim() || `exit ${validate.code}` });
    if (findings.some((f) => f.severity === "error")) return result();

    const plan = await terraform(["plan", "-json", "-input=false", "-lock=false", "-no-color"], dir, this.env);
    ms.plan = plan.ms;
    const { diagnostics, add: planned } = planMessages(plan.stdout);
    // validate's warnings come again from plan; count each once.
    add(
      "plan",
      diagnostics.filter((d) => d.severity === "error" || !findings.some((f) => f.message === [d.summary, d.detail].filter(Boolean).join(": "))),
    );
    if (plan.code !== 0 && !findings.some((f) => f.severity === "error"))
      findings.push({ severity: "error", stage: "plan", message: plan.stderr.trim() || `exit ${plan.code}` });
    if (planned !== undefined && planned !== resources.length) {
      findings.push({ severity: "error", stage: "plan", message: `plan creates ${planned} resources, the stack has ${resources.length}` });
    }
    return result(planned);
  }
}

/**
 * The provider's endpoint names without aliases: one plan of a single queue with every name set
 * (the provider warns about each group of aliases of one service), then the first of each group.
 */
async function probeEndpoints(root: string, env: NodeJS.ProcessEnv, schema: ProviderSchema, endpoint: string): Promise<string[]> {
  const dir = path.join(root, "endpoints");
  fs.mkdirSync(dir);
  const all = endpointNames(schema);
  const { text } = configText(all, "cn-north-1", endpoint, [{ tfType: "aws_sqs_queue", tfName: "probe", region: "cn-north-1", body: {} }]);
  fs.writeFileSync(path.join(dir, "main.tf.json"), text);
  const init = await terraform(["init", "-input=false", "-no-color", "-backend=false"], dir, env);
  if (init.code !== 0) throw new Error(`terraform init (endpoints) failed: ${init.stderr || init.stdout}`);
  const plan = await terraform(["plan", "-json", "-input=false", "-lock=false", "-no-color"], dir, env);
  const { diagnostics } = planMessages(plan.stdout);
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (plan.code !== 0 || errors.length) throw new Error(`terraform plan (endpoints) failed: ${errors.map((d) => d.summary).join("; ") || plan.stderr}`);
  return withoutAliases(
    all,
    diagnostics.map((d) => `${d.summary}: ${d.detail ?? ""}`),
  );
}
