/**
 * Reads log events as CloudWatch Logs' embedded-metric-format extraction does, so tests see the
 * metrics CloudWatch would create, not the lines a function printed.
 *
 * Spec: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 * - the log event must itself be a JSON object whose root has `_aws` (a string that contains
 *   EMF, such as the `message` of Lambda's JSON envelope, is not extracted);
 * - `_aws.Timestamp` (epoch ms) and `_aws.CloudWatchMetrics` (array of directives) are required;
 * - a directive has `Namespace`, `Dimensions` (array of dimension sets, each an array of at most 30
 *   member names that resolve to string members of the root) and `Metrics` (array of at most 100
 *   `{ Name, Unit? }`); each metric's value is the root member of that name, a number or an array
 *   of at most 100 numbers. A document that breaks these rules yields no metric.
 */
export interface ExtractedMetric {
  namespace: string;
  name: string;
  unit?: string;
  values: number[];
  /** One entry per dimension set of the directive. */
  dimensions: Array<Record<string, string>>;
  timestamp: number;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The metrics in one log event, or [] when CloudWatch would extract none from it. */
export function metricsOfLogEvent(message: string): ExtractedMetric[] {
  let doc: unknown;
  try {
    doc = JSON.parse(message);
  } catch {
    return [];
  }
  if (!isObject(doc) || !isObject(doc._aws)) return [];
  const meta = doc._aws;
  if (typeof meta.Timestamp !== "number" || !Array.isArray(meta.CloudWatchMetrics)) return [];
  const out: ExtractedMetric[] = [];
  for (const directive of meta.CloudWatchMetrics) {
    if (!isObject(directive) || typeof directive.Namespace !== "string" || !Array.isArray(directive.Dimensions) || !Array.isArray(directive.Metrics)) return [];
    if (directive.Metrics.length > 100) return [];
    const sets: Array<Record<string, string>> = [];
    for (const set of directive.Dimensions) {
      if (!Array.isArray(set) || set.length > 30) return [];
      const dims: Record<string, string> = {};
      for (const key of set) {
        if (typeof key !== "string" || typeof doc[key] !== "string") return [];
        dims[key] = doc[key] as string;
      }
      sets.push(dims);
    }
    for (const m of directive.Metrics) {
      if (!isObject(m) || typeof m.Name !== "string") return [];
      const v = doc[m.Name];
      const values = typeof v === "number" ? [v] : Array.isArray(v) && v.length <= 100 && v.every((x) => typeof x === "number") ? (v as number[]) : undefined;
      if (!values) continue;
      out.push({
        namespace: directive.Namespace,
        name: m.Name,
        unit: typeof m.Unit === "string" ? m.Unit : undefined,
        values,
        dimensions: sets,
        timestamp: meta.Timestamp,
      });
    }
  }
  return out;
}

/** Every metric CloudWatch would extract from a log stream's lines. */
export function extractMetrics(lines: string[]): ExtractedMetric[] {
  return lines.flatMap(metricsOfLogEvent);
}

/** The values of `name` in `namespace` (all dimension sets), in order. */
export function metricValues(lines: string[], namespace: string, name: string): number[] {
  return extractMetrics(lines)
    .filter((m) => m.namespace === namespace && m.name === name)
    .flatMap((m) => m.values);
}
