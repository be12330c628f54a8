/**
 * The Terraform JSON configuration of one stack: the AWS provider (one configuration per region,
 * the stack's region the default) pointed at a moto server on loopback with the provider's `skip_*`
 * settings and fake credentials, and the translated resources, one per line so that a diagnostic's
 * line names its resource.
 *
 * Provider arguments: https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs#argument-reference
 * and https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs/guides/custom-service-endpoints
 */
import { ProviderSchema } from "./schema";
import { AWS_PROVIDER_VERSION } from "./terraform";

/** The provider alias of a region: `cn-northwest-1` -> `cn_northwest_1`. */
export function regionAlias(region: string): string {
  return region.replace(/[^A-Za-z0-9_]/g, "_");
}

/** Every endpoint name of the schema's provider `endpoints` block (aliases included). */
export function endpointNames(schema: ProviderSchema): string[] {
  const names = Object.keys(schema.provider.block.block_types?.endpoints?.block.attributes ?? {});
  if (!names.length) throw new Error("the provider schema has no endpoints block");
  return names;
}

/**
 * Endpoint names without their aliases, from the provider's own complaint when several names of one
 * service are set ("Only one of the following attributes should be set: "endpoints[0].logs",
 * "endpoints[0].cloudwatchlogs" ..."): the first name of each group stays.
 */
export function withoutAliases(names: string[], warnings: string[]): string[] {
  const drop = new Set<string>();
  for (const w of warnings) {
    if (!w.includes("Only one of the following attributes should be set")) continue;
    const group = [...w.matchAll(/"endpoints\[0\]\.([a-z0-9]+)"/g)].map((m) => m[1]);
    for (const n of group.slice(1)) drop.add(n);
  }
  return names.filter((n) => !drop.has(n));
}

/** One provider configuration: the given service endpoints on moto. */
export function providerConfig(services: string[], region: string, endpoint: string, alias?: string): Record<string, unknown> {
  return {
    ...(alias ? { alias } : {}),
    region,
    access_key: "testing",
    secret_key: "testing",
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: true,
    skip_region_validation: true,
    s3_use_path_style: true,
    max_retries: 1,
    endpoints: [Object.fromEntries(services.map((s) => [s, endpoint]))],
  };
}

export interface ConfigResource {
  tfType: string;
  tfName: string;
  region: string;
  body: Record<string, unknown>;
}

/** Terraform resource names: letters, digits, `_` and `-`, starting with a letter or `_`. */
export function terraformName(pulumiName: string): string {
  const n = pulumiName.replace(/[^A-Za-z0-9_-]/g, "_");
  return /^[A-Za-z_]/.test(n) ? n : `_${n}`;
}

/**
 * The `main.tf.json` text and, for each line that holds a resource, its address. Resources in
 * another region than the stack's get `provider = "aws.<alias>"`.
 */
export function configText(
  services: string[],
  stackRegion: string,
  endpoint: string,
  resources: ConfigResource[],
): { text: string; lineAddress: Map<number, string> } {
  const otherRegions = [...new Set(resources.map((r) => r.region).filter((r) => r !== stackRegion))].sort();
  const providers = [providerConfig(services, stackRegion, endpoint), ...otherRegions.map((r) => providerConfig(services, r, endpoint, regionAlias(r)))];
  const head = {
    terraform: { required_providers: { aws: { source: "hashicorp/aws", version: AWS_PROVIDER_VERSION } } },
    provider: { aws: providers },
  };
  const lines = ["{", ...JSON.stringify(head, null, 1).slice(2, -2).split("\n"), ' ,"resource": {'];
  const lineAddress = new Map<number, string>();
  const byType = new Map<string, ConfigResource[]>();
  for (const r of resources) byType.set(r.tfType, [...(byType.get(r.tfType) ?? []), r]);
  [...byType.keys()].sort().forEach((type, ti) => {
    lines.push(`  ${ti ? "," : ""}${JSON.stringify(type)}: {`);
    byType.get(type)!.forEach((r, ri) => {
      const body = r.region === stackRegion ? r.body : { ...r.body, provider: `aws.${regionAlias(r.region)}` };
      lines.push(`    ${ri ? "," : ""}${JSON.stringify(r.tfName)}: ${JSON.stringify(body)}`);
      lineAddress.set(lines.length, `${type}.${r.tfName}`);
    });
    lines.push("  }");
  });
  lines.push(" }", "}", "");
  return { text: lines.join("\n"), lineAddress };
}
