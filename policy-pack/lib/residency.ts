/**
 * Shared by the China data-residency policies (aws/): the allowed regions, the aws-cn partition,
 * and walking a resource's inputs for region names and ARNs.
 */
import { ResourceValidationArgs } from "@pulumi/policy";
import { read, T } from "./kit";

export const CHINA_PARTITION = "aws-cn";

export const DEFAULT_REGIONS = ["cn-north-1", "cn-northwest-1"];

export interface ResidencyConfig {
  allowedRegions?: string[];
}

export const regionsSchema = {
  allowedRegions: {
    type: "array" as const,
    items: { type: "string" as const, pattern: "^cn-[a-z]+-[0-9]+$" },
    minItems: 1,
    uniqueItems: true,
    default: DEFAULT_REGIONS,
    description: "The AWS China regions resources and data may live in.",
  },
};

export function allowedRegions(args: ResourceValidationArgs): string[] {
  const r = args.getConfig<ResidencyConfig>().allowedRegions;
  return r && r.length > 0 ? r : DEFAULT_REGIONS;
}

/** AWS resources and explicit AWS providers. */
export const isAwsResource = (type: string) => type.startsWith("aws:") || type === T.awsProvider;

/**
 * Visits every known string in a value with its property path. Unknown parts are skipped: during
 * preview they are outputs of resources this deployment creates, which these policies check in turn.
 */
export function walkKnownStrings(value: unknown, visit: (path: string, s: string) => void, path = "", depth = 0): void {
  if (depth > 40) {
    return;
  }
  if (typeof value === "string") {
    visit(path, value);
    return;
  }
  if (!value || typeof value !== "object") {
    return;
  }
  const proto = Object.getPrototypeOf(value);
  const isArray = Array.isArray(value);
  if (!isArray && proto !== Object.prototype && proto !== null) {
    return; // assets, archives, resource references
  }
  const keys = isArray ? Array.from({ length: (value as unknown[]).length }, (_, i) => String(i)) : Object.keys(value);
  for (const k of keys) {
    const child = read(() => (value as any)[k]);
    if (child.known) {
      walkKnownStrings(child.value, visit, isArray ? `${path}[${k}]` : path ? `${path}.${k}` : k, depth + 1);
    }
  }
}

/** Every ARN inside a string (including ARNs inside JSON policy documents). */
export function arnsIn(s: string): { arn: string; partition: string; service: string; region: string }[] {
  const out: { arn: string; partition: string; service: string; region: string }[] = [];
  const re = /\barn:([^:"'\s,]*):([^:"'\s,]*):([^:"'\s,]*):([^"'\s,]*)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    out.push({ arn: m[0], partition: m[1], service: m[2], region: m[3] });
  }
  return out;
}
