/**
 * Pulumi's names for Terraform's, as the bridge makes them: snake_case to camelCase, and list or
 * set members (blocks without MaxItems 1) in the plural. Used backwards: for a Pulumi input name,
 * the one Terraform member of the block whose Pulumi name it is. Derived from the schema, so a
 * name nothing in the block answers to is an error, never a guess.
 */
import { TfBlock, Member, isMany, member } from "./schema";

/** `log_group_name` -> `logGroupName`, `extended_s3_configuration` -> `extendedS3Configuration`. */
export function camelCase(tfName: string): string {
  return tfName.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The plural forms the bridge may give a name (inflector rules: -s, -es, -y to -ies). */
export function pluralForms(name: string): string[] {
  const forms = [`${name}s`, `${name}es`];
  if (/[^aeiou]y$/.test(name)) forms.push(`${name.slice(0, -1)}ies`);
  return forms;
}

/** Every Terraform member of a block under each Pulumi name it may have. */
function pulumiNames(block: TfBlock): Map<string, Member[]> {
  const byName = new Map<string, Member[]>();
  const add = (n: string, m: Member) => {
    const list = byName.get(n) ?? [];
    if (!list.some((x) => x.name === m.name)) list.push(m);
    byName.set(n, list);
  };
  const names = [...Object.keys(block.attributes ?? {}), ...Object.keys(block.block_types ?? {})];
  for (const tfName of names) {
    const m = member(block, tfName)!;
    const camel = camelCase(tfName);
    add(camel, m);
    if (isMany(m)) for (const p of pluralForms(camel)) add(p, m);
  }
  return byName;
}

const cache = new WeakMap<TfBlock, Map<string, Member[]>>();

/**
 * The Terraform member a Pulumi input name stands for in this block. An exact camelCase match wins
 * over a plural one (`processors` is Terraform's own plural); two candidates of the same kind are
 * an error.
 */
export function memberForPulumiName(block: TfBlock, pulumiName: string): Member | undefined {
  let names = cache.get(block);
  if (!names) cache.set(block, (names = pulumiNames(block)));
  const found = names.get(pulumiName) ?? [];
  const exact = found.filter((m) => camelCase(m.name) === pulumiName);
  if (exact.length === 1) return exact[0];
  if (found.length > 1) {
    throw new Error(`"${pulumiName}" could be any of ${found.map((m) => m.name).join(", ")}`);
  }
  return found[0];
}
