/**
 * China data residency: every resource lives in an allowed China region, every ARN is in the
 * `aws-cn` partition, and every place data is sent (replication, copy and export destinations,
 * subscriptions, queues, topics ...) is in an allowed region.
 */
import { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { describe, knownString, MANDATORY, read, T, validateMatching } from "./lib/kit";

export const CHINA_PARTITION = "aws-cn";
export const DEFAULT_REGIONS = ["cn-north-1", "cn-northwest-1"];

export interface ResidencyConfig {
    allowedRegions?: string[];
}

const regionsSchema = {
    allowedRegions: {
        type: "array" as const,
        items: { type: "string" as const, pattern: "^cn-[a-z]+-[0-9]+$" },
        minItems: 1,
        uniqueItems: true,
        default: DEFAULT_REGIONS,
        description: "The AWS China regions resources and data may live in.",
    },
};

function allowedRegions(args: ResourceValidationArgs): string[] {
    const r = args.getConfig<ResidencyConfig>().allowedRegions;
    return r && r.length > 0 ? r : DEFAULT_REGIONS;
}

/** AWS resources and explicit AWS providers. */
const isAwsResource = (type: string) => type.startsWith("aws:") || type === T.awsProvider;

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

export const resourceInChinaRegion: ResourceValidationPolicy = {
    name: "resource-in-china-region",
    description: "Every AWS resource lives in an allowed China region (cn-north-1 or cn-northwest-1): its own `region`, else its provider's.",
    remediationSteps: "Set aws:region to cn-north-1 or cn-northwest-1 in the stack config (or on the explicit provider), and remove any other `region` set on the resource.",
    enforcementLevel: MANDATORY,
    configSchema: { properties: regionsSchema },
    validateResource: validateMatching(isAwsResource, (props, args, report) => {
        const allowed = allowedRegions(args);
        const own = knownString(() => props.region);
        if (args.type === T.awsProvider || own !== undefined) {
            const region = args.type === T.awsProvider ? props.region : own;
            if (!allowed.includes(region)) {
                report(`${describe(args)} is in region ${JSON.stringify(region)}; only ${allowed.join(", ")} are allowed.`);
            }
            return;
        }
        const provider = args.provider;
        if (!provider) {
            report(`${describe(args)} has no provider region; set aws:region to one of ${allowed.join(", ")}.`);
            return;
        }
        const region = provider.props.region;
        if (!allowed.includes(region)) {
            report(`${describe(args)} is in region ${JSON.stringify(region)} (from its provider ${provider.name}); only ${allowed.join(", ")} are allowed.`);
        }
    }),
};

export const arnPartitionAwsCn: ResourceValidationPolicy = {
    name: "arn-partition-aws-cn",
    description: "Every ARN in a resource's inputs (including inside policy documents) is in the aws-cn partition.",
    remediationSteps: "Build ARNs with infra/partition.ts (from aws.getPartition) instead of hard-coding a partition; AWS China ARNs start with arn:aws-cn:.",
    enforcementLevel: MANDATORY,
    validateResource: validateMatching(isAwsResource, (props, args, report) => {
        walkKnownStrings(props, (path, s) => {
            for (const a of arnsIn(s)) {
                if (a.partition !== CHINA_PARTITION) {
                    report(`${describe(args)} ${path} names ${a.arn} in partition ${JSON.stringify(a.partition)}; it must be in ${CHINA_PARTITION}.`);
                }
            }
        });
    }),
};

/**
 * Nested fields that name a region: `region`, `regionName`, `sourceRegion`, `destinationRegion`,
 * and Lambda environment variables such as `BACKUP_REGION` (top-level `region` is
 * resource-in-china-region's). Only values shaped like a region name are judged.
 */
const REGION_FIELD = /(^|[a-z_])region(name)?$/i;
const REGION_VALUE = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export const dataDestinationsInChina: ResourceValidationPolicy = {
    name: "data-destinations-in-china",
    description:
        "Data stays in the allowed China regions: every regional ARN in a resource's inputs (replication, copy and export destinations, targets, subscriptions) and every nested region setting (including Lambda environment variables such as BACKUP_REGION) names an allowed region; " +
        "an S3 replication destination proves its region with its replica KMS key.",
    remediationSteps:
        "Point destinations at resources in cn-north-1 or cn-northwest-1 (e.g. the backup stack's vault and replica bucket); for S3 replication set destination.encryptionConfiguration.replicaKmsKeyId to the destination region's key.",
    enforcementLevel: MANDATORY,
    configSchema: { properties: regionsSchema },
    validateResource: validateMatching(isAwsResource, (props, args, report) => {
        const allowed = allowedRegions(args);
        walkKnownStrings(props, (path, s) => {
            const field = path.split(".").pop()!.replace(/\[\d+\]$/, "");
            if (path.includes(".") && REGION_FIELD.test(field) && REGION_VALUE.test(s) && !allowed.includes(s)) {
                report(`${describe(args)} ${path} is ${JSON.stringify(s)}; only ${allowed.join(", ")} are allowed.`);
            }
            for (const a of arnsIn(s)) {
                if (a.region && !a.region.includes("*") && !allowed.includes(a.region)) {
                    report(`${describe(args)} ${path} sends data to ${a.arn} in region ${a.region}; only ${allowed.join(", ")} are allowed.`);
                }
            }
        });
        if (args.type === T.bucketReplication || args.type === T.bucket || args.type === T.bucketV2) {
            const rules = read(() => (args.type === T.bucketReplication ? props.rules : props.replicationConfiguration?.rules));
            if (!rules.known || !Array.isArray(rules.value)) {
                return;
            }
            rules.value.forEach((rule: any, i: number) => {
                const key = read(() => rule.destination?.encryptionConfiguration?.replicaKmsKeyId);
                const legacy = read(() => rule.destination?.replicaKmsKeyId);
                const known = [key, legacy].find((k) => k.known && typeof k.value === "string");
                const unknownKey = !key.known || !legacy.known;
                if (!known && !unknownKey) {
                    report(`${describe(args)} replication rule #${i + 1} does not prove its destination region: set destination.encryptionConfiguration.replicaKmsKeyId to a key in ${allowed.join(" or ")}.`);
                }
            });
        }
    }),
};

export const residencyPolicies = [resourceInChinaRegion, arnPartitionAwsCn, dataDestinationsInChina];
