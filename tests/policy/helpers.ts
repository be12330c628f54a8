/** Builders for policy tests: resource records as the harness records them, and a runner for one policy. */
import { Policy, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { PolicyPackConfig, PolicyResult, runPolicies } from "../../tools/policy-runner";
import { ResourceRecord } from "../../tools/types";

export const ACCOUNT = "111122223333";
export const REGION = "cn-north-1";
export const BACKUP_REGION = "cn-northwest-1";
/** Marks a value unknown during preview, the way the harness records it (a present key holding undefined). */
export const UNKNOWN: any = undefined;

export function urnOf(type: string, name: string): string {
  return `urn:pulumi:test::cn-log-backup::${type}::${name}`;
}

export interface RecordExtras {
  state?: Record<string, any>;
  deps?: Record<string, ResourceRecord[]>;
  region?: string;
  parent?: string;
}

/** A custom resource record. `deps` maps an input property to the resources it depends on. */
export function res(type: string, name: string, inputs: Record<string, any>, extras: RecordExtras = {}): ResourceRecord {
  const propertyDependencies: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(extras.deps ?? {})) {
    propertyDependencies[k] = v.map((r) => r.urn);
  }
  return {
    type,
    name,
    urn: urnOf(type, name),
    inputs,
    state: extras.state ?? { ...inputs },
    propertyDependencies,
    custom: true,
    region: "region" in extras ? extras.region : REGION,
    parent: extras.parent,
  };
}

export interface RunOne {
  result: PolicyResult;
  messages: string[];
}

/** Runs one policy over the records (update mode unless `preview`). */
export async function runOne(
  policy: ResourceValidationPolicy | StackValidationPolicy,
  records: ResourceRecord[],
  opts: { preview?: boolean; config?: PolicyPackConfig } = {},
): Promise<RunOne> {
  const report = await runPolicies(records, { preview: opts.preview ?? false, config: opts.config, policies: [policy as Policy as any] });
  const result = report.results[0];
  return { result, messages: result.violations.map((v) => v.message) };
}

/** A KMS key record (customer-managed). */
export function kmsKey(name = "key", inputs: Record<string, any> = {}): ResourceRecord {
  return res(
    "aws:kms/key:Key",
    name,
    { enableKeyRotation: true, deletionWindowInDays: 30, ...inputs },
    {
      state: {
        arn: `arn:aws-cn:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        ...inputs,
      },
    },
  );
}

export const keyArn = (region = REGION) => `arn:aws-cn:kms:${region}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
export const roleArn = (name: string) => `arn:aws-cn:iam::${ACCOUNT}:role/${name}`;

/** A resource policy whose one statement denies `action` on `resource` to everyone without TLS (aws:SecureTransport false). */
export const tlsDenyPolicy = (action: string, resource: any) => ({
  Statement: [
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: action,
      Resource: [resource],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  ],
});

/**
 * A resource (its `state` empty during preview) and the resource-policy record that names it
 * through `link` (unknown until the resource exists) with `doc` as its policy.
 */
export function withResourcePolicy(
  resource: { type: string; name: string; state: Record<string, any> },
  policyType: string,
  link: string,
  doc: any,
  preview: boolean,
) {
  const r = res(resource.type, resource.name, {}, { state: preview ? {} : resource.state });
  return [r, res(policyType, `${resource.name}-policy`, { [link]: UNKNOWN, policy: doc }, { deps: { [link]: [r], policy: [r] } })];
}
