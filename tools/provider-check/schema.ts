/**
 * The Terraform AWS provider's own schema (`terraform providers schema -json`), read once per run
 * from an initialized working directory: what the translation places every Pulumi input against.
 * Format: https://developer.hashicorp.com/terraform/cli/commands/providers/schema
 */

/** A Terraform type expression: "string", "number", "bool", ["list", T], ["object", {...}], ... */
export type TfType = string | [string, any] | [string, any, any];

export interface TfAttribute {
  type?: TfType;
  /** Nested attributes (plugin-framework resources): `{ nesting_mode, attributes }`. */
  nested_type?: { nesting_mode: string; attributes: Record<string, TfAttribute> };
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  deprecated?: boolean;
  sensitive?: boolean;
}

export interface TfBlockType {
  nesting_mode: "single" | "list" | "set" | "map" | "group";
  block: TfBlock;
  min_items?: number;
  max_items?: number;
}

export interface TfBlock {
  attributes?: Record<string, TfAttribute>;
  block_types?: Record<string, TfBlockType>;
  deprecated?: boolean;
}

export interface ProviderSchema {
  provider: { block: TfBlock };
  resource_schemas: Record<string, { version: number; block: TfBlock }>;
}

export const AWS_PROVIDER = "registry.terraform.io/hashicorp/aws";

/** The AWS provider's part of `terraform providers schema -json` output. */
export function parseProviderSchema(json: string): ProviderSchema {
  const doc = JSON.parse(json) as { provider_schemas?: Record<string, ProviderSchema> };
  const aws = doc.provider_schemas?.[AWS_PROVIDER];
  if (!aws) throw new Error(`terraform providers schema -json has no ${AWS_PROVIDER} (found: ${Object.keys(doc.provider_schemas ?? {}).join(", ") || "none"})`);
  return aws;
}

/** A block's argument, attribute or nested block, by its Terraform name. */
export type Member = { kind: "attribute"; name: string; attribute: TfAttribute } | { kind: "block"; name: string; blockType: TfBlockType };

export function member(block: TfBlock, name: string): Member | undefined {
  const a = block.attributes?.[name];
  if (a) return { kind: "attribute", name, attribute: a };
  const b = block.block_types?.[name];
  if (b) return { kind: "block", name, blockType: b };
  return undefined;
}

/**
 * Whether a member holds many values, so that Pulumi names it in the plural (the bridge
 * pluralizes list and set members unless MaxItems is 1).
 */
export function isMany(m: Member): boolean {
  if (m.kind === "block") return m.blockType.nesting_mode !== "single" && m.blockType.max_items !== 1;
  const t = m.attribute.type;
  return Array.isArray(t) && (t[0] === "list" || t[0] === "set");
}

/** Whether a configuration may set the attribute (not computed-only). */
export function isSettable(a: TfAttribute): boolean {
  return !!(a.required || a.optional);
}
