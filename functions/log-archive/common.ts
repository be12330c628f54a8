/**
 * Shared logic of the LogArchive Lambdas (subscriber and export-task chain): log-group patterns and
 * their listing. Retry and logging are functions/shared/.
 *
 * Plain TypeScript, AWS SDK v3 only, no module state: Pulumi's closure serializer captures what the
 * handlers reach from here.
 *
 * ## Log-group pattern syntax
 * `logGroupPatterns` is a list of strings, evaluated against the full log-group name:
 * - `"/aws/rds/cluster/"`: no `*`, so a **prefix**: matches every group whose name starts with it.
 *   An exact name is just a prefix that happens to be complete (`"/ec2/app"` also matches `/ec2/app2`;
 *   end it with `/` to mean a folder).
 * - `"/aws/lambda/*-prod"`: contains `*`, so a **glob over the whole name**: `*` matches any run of
 *   characters (including `/` and the empty string); everything else is literal.
 * - A leading `!` makes the pattern an **exclusion** (`"!/aws/lambda/cn-log-backup-"`): a group is
 *   selected when it matches at least one inclusion and no exclusion. Exclusions win.
 * Matching is case-sensitive, as log-group names are.
 */
import { CloudWatchLogsClient, DescribeLogGroupsCommand, DescribeLogGroupsCommandOutput, LogGroup } from "@aws-sdk/client-cloudwatch-logs";
import { RetryOptions, withRetry } from "../shared/retry";

export interface CompiledPattern {
  /** The pattern as configured (without the `!`). */
  source: string;
  exclude: boolean;
  /** Set for prefix patterns. */
  prefix?: string;
  /** Set for glob patterns. */
  regex?: RegExp;
}

/** Escape a string for use inside a RegExp. */
function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Compile the configured patterns; throws on an empty or malformed entry (naming it). */
export function compilePatterns(patterns: readonly string[]): CompiledPattern[] {
  return patterns.map((raw) => {
    if (typeof raw !== "string") throw new Error(`log-group pattern ${JSON.stringify(raw)} is not a string`);
    const exclude = raw.startsWith("!");
    const source = exclude ? raw.slice(1) : raw;
    if (source.length === 0) {
      throw new Error(`log-group pattern ${JSON.stringify(raw)} is empty; use a prefix like "/aws/rds/cluster/" or a glob like "/ec2/*"`);
    }
    if (source.includes("*")) {
      const regex = new RegExp("^" + source.split("*").map(escapeRegExp).join(".*") + "$");
      return { source, exclude, regex };
    }
    return { source, exclude, prefix: source };
  });
}

function matchesOne(p: CompiledPattern, name: string): boolean {
  return p.prefix !== undefined ? name.startsWith(p.prefix) : p.regex!.test(name);
}

/** True when `name` matches at least one inclusion and no exclusion. */
export function matchesPatterns(patterns: readonly CompiledPattern[], name: string): boolean {
  let included = false;
  for (const p of patterns) {
    if (!matchesOne(p, name)) continue;
    if (p.exclude) return false;
    included = true;
  }
  return included;
}

/**
 * The `logGroupNamePrefix` queries that cover every inclusion, or `[undefined]` (one full listing)
 * when some inclusion is a glob whose literal start is empty. Overlapping prefixes are collapsed.
 */
export function listingPrefixes(patterns: readonly CompiledPattern[]): (string | undefined)[] {
  const prefixes: string[] = [];
  for (const p of patterns) {
    if (p.exclude) continue;
    const literal = p.prefix !== undefined ? p.prefix : p.source.slice(0, p.source.indexOf("*"));
    if (literal.length === 0) return [undefined];
    prefixes.push(literal);
  }
  prefixes.sort();
  const out: string[] = [];
  for (const p of prefixes) {
    if (out.length > 0 && p.startsWith(out[out.length - 1])) continue;
    out.push(p);
  }
  return out;
}

/**
 * Every log group matching the patterns, each once, in name order. Paginates DescribeLogGroups
 * (using `logGroupNamePrefix` where the patterns allow) and retries throttling.
 */
export async function listMatchingLogGroups(logs: CloudWatchLogsClient, patterns: readonly CompiledPattern[], retry: RetryOptions): Promise<LogGroup[]> {
  const seen = new Map<string, LogGroup>();
  for (const prefix of listingPrefixes(patterns)) {
    let nextToken: string | undefined;
    do {
      const input: { logGroupNamePrefix?: string; nextToken?: string; limit: number } = { limit: 50 };
      if (prefix !== undefined) input.logGroupNamePrefix = prefix;
      if (nextToken !== undefined) input.nextToken = nextToken;
      const page: DescribeLogGroupsCommandOutput = await withRetry(() => logs.send(new DescribeLogGroupsCommand(input)), retry);
      for (const g of page.logGroups ?? []) {
        if (g.logGroupName && matchesPatterns(patterns, g.logGroupName)) seen.set(g.logGroupName, g);
      }
      nextToken = page.nextToken;
    } while (nextToken);
  }
  return [...seen.keys()].sort().map((k) => seen.get(k)!);
}
