/**
 * One Pulumi resource record (tools/harness.ts) as a Terraform JSON resource body, placed against
 * the provider's schema: every input lands on exactly one argument or block, or the translation
 * reports it. Values are the harness's resolved literals (mock ARNs and ids stand in for
 * cross-resource references, which is enough for validate and plan).
 *
 * Terraform JSON syntax: https://developer.hashicorp.com/terraform/language/syntax/json (strings
 * are templates, so `${` and `%{` are escaped as `$${` and `%%{`; a block is an array of objects).
 */
import type { ResourceRecord } from "../types";
import { TfAttribute, TfBlock, TfBlockType, TfType, ProviderSchema, isSettable, member } from "./schema";
import { memberForPulumiName } from "./names";
import { ARCHIVE_PROPERTIES, AUTONAMED_INPUT, PROPERTY_RENAMES, tf6OnlyArgument } from "./renames";
import { policyDocumentInputs, terraformType } from "./pulumi-types";

/** An archive input already written to disk as a zip. */
export interface ArchiveFile {
  path: string;
  /** Base64 SHA-256 of the file, as `source_code_hash` takes it. */
  sha256: string;
}

export interface TranslatedResource {
  tfType: string;
  body: Record<string, unknown>;
  /** The region the resource lives in (its `region` input, else its provider's). */
  region: string;
}

export interface TranslateOptions {
  schema: ProviderSchema;
  /** The stack's provider region. */
  stackRegion: string;
  /** Archive inputs by name, written by the caller. */
  archives?: Record<string, ArchiveFile>;
}

/** Escapes Terraform template sequences in a literal string. */
export function escapeTemplate(s: string): string {
  return s.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}

export class Translation {
  readonly errors: string[] = [];

  constructor(
    private readonly record: ResourceRecord,
    private readonly options: TranslateOptions,
  ) {}

  private fail(path: string, message: string): undefined {
    this.errors.push(`${this.record.type} "${this.record.name}" ${path}: ${message}`);
    return undefined;
  }

  run(): TranslatedResource | undefined {
    const r = this.record;
    let tfType: string;
    try {
      tfType = terraformType(r.type, this.options.schema);
    } catch (e) {
      this.fail("(type)", (e as Error).message);
      return undefined;
    }
    const block = this.options.schema.resource_schemas[tfType].block;
    const renames = PROPERTY_RENAMES[tfType] ?? {};
    const archives = ARCHIVE_PROPERTIES[tfType] ?? {};
    const policyInputs = policyDocumentInputs(r.type);
    const body: Record<string, unknown> = {};
    let region = r.region ?? this.options.stackRegion;
    const inputs = { ...r.inputs };
    const autoName = member(block, renames[AUTONAMED_INPUT] ?? AUTONAMED_INPUT);
    if (
      inputs[AUTONAMED_INPUT] == null &&
      inputs.namePrefix == null &&
      autoName?.kind === "attribute" &&
      autoName.attribute.type === "string" &&
      isSettable(autoName.attribute)
    ) {
      if (typeof r.state[AUTONAMED_INPUT] === "string") inputs[AUTONAMED_INPUT] = r.state[AUTONAMED_INPUT];
    }
    for (const [key, value] of Object.entries(inputs)) {
      if (value === undefined || value === null) continue;
      const tf6 = tf6OnlyArgument(tfType, key);
      if (tf6) {
        // Handled explicitly (renames.ts TF6_ONLY_ARGUMENTS): the resource gets a provider of that region.
        if (typeof value !== "string") this.fail(key, `expected a region name, got ${typeof value}`);
        else region = value;
        continue;
      }
      if (archives[key]) {
        const file = this.options.archives?.[key];
        if (!file) this.fail(key, "archive input was not written to a file");
        else {
          body[archives[key].name] = file.path;
          body[archives[key].hashField] = file.sha256;
        }
        continue;
      }
      const tfName = renames[key];
      const m = tfName ? member(block, tfName) : this.resolve(block, key, key);
      if (!m) {
        if (tfName) this.fail(key, `PROPERTY_RENAMES names ${tfName}, which ${tfType} does not have`);
        continue;
      }
      const out = m.kind === "attribute" ? this.attribute(m.attribute, value, key, policyInputs.has(key)) : this.block(m.blockType, value, key);
      if (out !== undefined) body[m.name] = out;
    }
    return { tfType, body, region };
  }

  private resolve(block: TfBlock, key: string, path: string) {
    try {
      const m = memberForPulumiName(block, key);
      if (!m) return this.fail(path, `no argument or block of the provider schema is named "${key}"`);
      return m;
    } catch (e) {
      return this.fail(path, (e as Error).message);
    }
  }

  private attribute(a: TfAttribute, value: unknown, path: string, policyDocument = false): unknown {
    if (!isSettable(a)) return this.fail(path, "is computed by the provider and cannot be set");
    if (a.nested_type) return this.fail(path, "nested attribute types (plugin framework) are not translated yet");
    return this.value(a.type!, value, path, policyDocument);
  }

  private value(type: TfType, value: unknown, path: string, policyDocument = false): unknown {
    if (value === undefined || value === null) return null;
    if (type === "string") {
      if (typeof value === "string") return escapeTemplate(value);
      if (typeof value === "number" || typeof value === "boolean") return String(value);
      if (policyDocument && typeof value === "object") return escapeTemplate(JSON.stringify(value));
      return this.fail(path, `takes a string, got ${describe(value)}`);
    }
    if (type === "number") {
      if (typeof value === "number") return value;
      if (typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value))) return Number(value);
      return this.fail(path, `takes a number, got ${describe(value)}`);
    }
    if (type === "bool") {
      if (typeof value === "boolean") return value;
      if (value === "true" || value === "false") return value === "true";
      return this.fail(path, `takes a bool, got ${describe(value)}`);
    }
    if (type === "dynamic") return value;
    if (!Array.isArray(type)) return this.fail(path, `unknown schema type ${JSON.stringify(type)}`);
    const [kind, elem] = type;
    if (kind === "list" || kind === "set") {
      if (!Array.isArray(value)) return this.fail(path, `takes a ${kind}, got ${describe(value)}`);
      return value.map((v, i) => this.value(elem, v, `${path}[${i}]`));
    }
    if (kind === "map") {
      if (typeof value !== "object" || Array.isArray(value)) return this.fail(path, `takes a map, got ${describe(value)}`);
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as object)) out[escapeTemplate(k)] = this.value(elem, v, `${path}.${k}`);
      return out;
    }
    if (kind === "object") return this.object(elem as Record<string, TfType>, value, path);
    return this.fail(path, `unknown schema type ${JSON.stringify(type)}`);
  }

  /** An object-typed value (e.g. a security group's `ingress`): every attribute present, unset ones null. */
  private object(attrs: Record<string, TfType>, value: unknown, path: string): unknown {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return this.fail(path, `takes an object, got ${describe(value)}`);
    const block: TfBlock = { attributes: Object.fromEntries(Object.entries(attrs).map(([k, t]) => [k, { type: t, optional: true }])) };
    const out: Record<string, unknown> = Object.fromEntries(Object.keys(attrs).map((k) => [k, null]));
    for (const [k, v] of Object.entries(value as object)) {
      if (v === undefined || v === null) continue;
      const m = this.resolve(block, k, `${path}.${k}`);
      if (m && m.kind === "attribute") out[m.name] = this.value(m.attribute.type!, v, `${path}.${k}`);
    }
    return out;
  }

  private block(bt: TfBlockType, value: unknown, path: string): unknown {
    const one = (v: unknown, p: string) => {
      if (typeof v !== "object" || v === null || Array.isArray(v)) return this.fail(p, `is a block, got ${describe(v)}`);
      return this.blockBody(bt.block, v as Record<string, unknown>, p);
    };
    if (bt.nesting_mode === "single" || bt.nesting_mode === "group") return one(value, path);
    if (bt.nesting_mode === "map") {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return this.fail(path, `is a map of blocks, got ${describe(value)}`);
      return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [escapeTemplate(k), one(v, `${path}.${k}`)]));
    }
    // list or set: Pulumi flattens a MaxItems-1 block to one object. Plugin-framework resources
    // (e.g. aws_s3_bucket_lifecycle_configuration) keep their at-most-one limit in a validator,
    // not in max_items, so any object is one block; the provider enforces the limit itself.
    if (Array.isArray(value)) return value.map((v, i) => one(v, `${path}[${i}]`));
    return [one(value, path)];
  }

  private blockBody(block: TfBlock, value: Record<string, unknown>, path: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || v === null) continue;
      const p = `${path}.${k}`;
      const m = this.resolve(block, k, p);
      if (!m) continue;
      const x = m.kind === "attribute" ? this.attribute(m.attribute, v, p) : this.block(m.blockType, v, p);
      if (x !== undefined) out[m.name] = x;
    }
    return out;
  }
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return "a list";
  if (v === null) return "null";
  if (typeof v === "object")
    return `an object (${Object.keys(v as object)
      .slice(0, 4)
      .join(", ")})`;
  return `${typeof v} ${JSON.stringify(v)}`.slice(0, 80);
}

/** Translates one record; errors name the resource, the input path and why. */
export function translateResource(record: ResourceRecord, options: TranslateOptions): { resource?: TranslatedResource; errors: string[] } {
  const t = new Translation(record, options);
  const resource = t.run();
  return { resource: t.errors.length ? undefined : resource, errors: t.errors };
}
