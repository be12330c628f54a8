/**
 * Athena partition projection, evaluated the way AWS documents it
 * (https://docs.aws.amazon.com/athena/latest/ug/partition-projection-supported-types.html): a
 * `storage.location.template` whose `${col}` placeholders take values allowed by each column's
 * projection (enum values, integer range and digits, date format and range, injected anything
 * but `/`). A file belongs to the partition whose location is a prefix of its path.
 */
import type { Projection, TableSpec } from "../../infra/archive-search/tables";

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The regex of values a projection may take in a path. */
function valueRegex(p: Projection): string {
  switch (p.type) {
    case "enum":
      return p.values.map(escape).join("|");
    case "integer":
      return p.digits ? `\\d{${p.digits}}` : "\\d+";
    case "injected":
      return "[^/]+";
    case "date":
      // The Java DateTimeFormatter letters the tables use.
      return p.format.replace(/yyyy|MM|dd|HH|[^A-Za-z]/g, (t) => ({ yyyy: "\\d{4}", MM: "\\d{2}", dd: "\\d{2}", HH: "\\d{2}" })[t] ?? escape(t));
  }
}

function inRange(p: Projection, v: string, now: Date): boolean {
  if (p.type === "enum") return p.values.includes(v);
  if (p.type === "injected") return v.length > 0;
  if (p.type === "integer") {
    const n = Number(v);
    return Number.isInteger(n) && n >= p.range[0] && n <= p.range[1] && (!p.digits || v.length === p.digits);
  }
  const parse = (s: string): Date => {
    if (s === "NOW") return now;
    const order = p.format.match(/yyyy|MM|dd|HH/g)!;
    const nums = s.match(/\d+/g)!.map(Number);
    const f: Record<string, number> = { yyyy: 0, MM: 1, dd: 1, HH: 0 };
    order.forEach((k, i) => (f[k] = nums[i]));
    const d = new Date(Date.UTC(f.yyyy, f.MM - 1, f.dd, f.HH));
    // A date that rolled over (2026/02/31) is not a value of the format.
    if (d.getUTCMonth() !== f.MM - 1 || d.getUTCDate() !== f.dd) return new Date(NaN);
    return d;
  };
  const d = parse(v);
  return !isNaN(d.getTime()) && d >= parse(p.range[0]) && d <= parse(p.range[1]);
}

/** The template as a regex with one named group per partition key (anchored at the start). */
export function templateRegex(spec: TableSpec): RegExp {
  if (!spec.locationTemplate) throw new Error(`${spec.name} has no storage.location.template`);
  let src = "";
  let rest = spec.locationTemplate;
  const seen = new Set<string>();
  for (;;) {
    const m = /\$\{([a-z_]+)\}/.exec(rest);
    if (!m) break;
    const col = m[1];
    const p = spec.projections[col];
    if (!p) throw new Error(`${spec.name}: template names \${${col}}, which has no projection`);
    src += escape(rest.slice(0, m.index)) + `(?<${col}>${valueRegex(p)})`;
    seen.add(col);
    rest = rest.slice(m.index + m[0].length);
  }
  src += escape(rest);
  for (const k of spec.partitionKeys) if (!seen.has(k.name)) throw new Error(`${spec.name}: partition key ${k.name} is not in the template`);
  return new RegExp("^" + src);
}

/** The partition values of the object at `url`, or undefined when no projected partition holds it. */
export function partitionValues(spec: TableSpec, url: string, now = new Date()): Record<string, string> | undefined {
  const m = templateRegex(spec).exec(url);
  if (!m?.groups) return undefined;
  for (const [col, v] of Object.entries(m.groups)) if (!inRange(spec.projections[col], v, now)) return undefined;
  return { ...m.groups };
}
