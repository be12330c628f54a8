/**
 * Runs the policy pack offline over the resources the harness recorded, the way the Pulumi engine's
 * policy server does, without starting it:
 *  - resource policies see each resource's inputs; stack policies see every resource with its
 *    outputs, parent and property dependencies;
 *  - props are wrapped with `unknownCheckingProxy`, and in preview mode the values the harness
 *    recorded as unknown (`undefined` under a present key, or Pulumi's `unknown`) become the
 *    engine's unknown sentinels, so a policy that reads one is reported as skipped (advisory), as
 *    `pulumi preview` does;
 *  - enforcement levels and policy config come from a policy-pack config (as for
 *    `--policy-pack-config`), with the policies' JSON-schema defaults applied and values checked.
 */
import {
    EnforcementLevel,
    Policies,
    PolicyConfigSchema,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
    unknownCheckingProxy,
    UnknownValueError,
} from "@pulumi/policy";
import { PACK_NAME, policies as packPolicies } from "../policy-pack/policies";
import { ResourceRecord } from "./types";

// The engine's unknown sentinel (internal to @pulumi/policy, but stable since 1.0).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxyModule: { unknownStringValue: string } = require("@pulumi/policy/proxy");
const UNKNOWN = proxyModule.unknownStringValue;
/** Pulumi's wire sentinel for unknown values, as found in serialized inputs. */
const WIRE_UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** One policy's config in a policy-pack config file: a level, or a level plus properties. */
export type PolicyConfigValue = EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>);
export type PolicyPackConfig = Record<string, PolicyConfigValue>;

export interface RunPoliciesOptions {
    /** Preview mode: unknown inputs are unknown, as in `pulumi preview`. */
    preview: boolean;
    /** Policy-pack config (`--policy-pack-config` format). */
    config?: PolicyPackConfig;
    /** The stack's name, for the report. */
    stack?: string;
    /** Policies to run instead of the whole pack (tests). */
    policies?: Policies;
}

export interface PolicyViolationRecord {
    policy: string;
    enforcementLevel: EnforcementLevel;
    message: string;
    urn?: string;
    resourceName?: string;
    resourceType?: string;
}

export interface PolicySkip {
    urn?: string;
    resourceName?: string;
    message: string;
}

export interface PolicyResult {
    name: string;
    description: string;
    remediation?: string;
    kind: "resource" | "stack";
    enforcementLevel: EnforcementLevel;
    /** Resources the policy decided on (ran to the end without being not-applicable or skipped). */
    examined: number;
    /** Names (`type name`) of the resources examined, for reports and tests. */
    examinedResources: string[];
    violations: PolicyViolationRecord[];
    /** Runs that read an unknown value during preview: reported advisory, as the engine does. */
    skipped: PolicySkip[];
}

export interface PolicyReport {
    pack: string;
    stack?: string;
    preview: boolean;
    resources: number;
    results: PolicyResult[];
}

class NotApplicable extends Error {}

function isUnknownError(e: unknown): e is Error {
    return e instanceof UnknownValueError || (e as any)?.constructor?.name === "UnknownValueError";
}

function isPulumiUnknown(v: unknown): boolean {
    return !!v && typeof v === "object" && (v as any).constructor?.name === "Unknown";
}

/** Converts recorded values to what the engine hands a policy: unknowns become the proxy's sentinel (preview) or vanish (update). */
export function toEngineValue(value: unknown, preview: boolean): unknown {
    if (value === WIRE_UNKNOWN || isPulumiUnknown(value)) {
        return preview ? UNKNOWN : undefined;
    }
    if (Array.isArray(value)) {
        const out: unknown[] = [];
        for (const v of value) {
            if (v === undefined) {
                if (preview) {
                    out.push(UNKNOWN);
                }
                continue;
            }
            out.push(toEngineValue(v, preview));
        }
        return out;
    }
    if (value && typeof value === "object") {
        const proto = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null) {
            return value;
        }
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) {
            if (v === undefined) {
                if (preview) {
                    out[k] = UNKNOWN;
                }
                continue;
            }
            out[k] = toEngineValue(v, preview);
        }
        return out;
    }
    return value;
}

const defaultOptions = (parent?: string): PolicyResourceOptions => ({
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    ...(parent ? { parent } : {}),
});

function isTypeOf(type: string, cls: any): boolean {
    return typeof cls?.__pulumiType === "string" ? cls.__pulumiType === type : !!cls?.isInstance?.({ __pulumiType: type });
}

function isStackPolicy(p: ResourceValidationPolicy | StackValidationPolicy): p is StackValidationPolicy {
    return typeof (p as StackValidationPolicy).validateStack === "function";
}

/** The enforcement level a policy runs at: config, then the policy's own, then the pack's default. */
export function enforcementLevelOf(policy: { name: string; enforcementLevel?: EnforcementLevel }, config?: PolicyPackConfig): EnforcementLevel {
    const c = config?.[policy.name];
    const fromConfig = typeof c === "string" ? c : c?.enforcementLevel;
    return fromConfig ?? policy.enforcementLevel ?? "advisory";
}

const LEVELS: EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

function checkSchema(where: string, value: unknown, schema: any): string | undefined {
    if (!schema || typeof schema !== "object") {
        return undefined;
    }
    const types: string[] = schema.type ? (Array.isArray(schema.type) ? schema.type : [schema.type]) : [];
    const actual = Array.isArray(value) ? "array" : value === null ? "null" : Number.isInteger(value) ? "integer" : typeof value;
    if (types.length > 0 && !types.includes(actual) && !(actual === "integer" && types.includes("number"))) {
        return `${where} is ${JSON.stringify(value)}, expected ${types.join(" or ")}`;
    }
    if (schema.enum && !schema.enum.some((e: unknown) => JSON.stringify(e) === JSON.stringify(value))) {
        return `${where} is ${JSON.stringify(value)}, expected one of ${schema.enum.map((e: unknown) => JSON.stringify(e)).join(", ")}`;
    }
    if (typeof value === "string") {
        if (schema.pattern && !new RegExp(schema.pattern).test(value)) {
            return `${where} is ${JSON.stringify(value)}, which does not match ${schema.pattern}`;
        }
        if (schema.minLength !== undefined && value.length < schema.minLength) {
            return `${where} is ${JSON.stringify(value)}, shorter than ${schema.minLength}`;
        }
    }
    if (typeof value === "number") {
        if (schema.minimum !== undefined && value < schema.minimum) {
            return `${where} is ${value}, below the minimum ${schema.minimum}`;
        }
        if (schema.maximum !== undefined && value > schema.maximum) {
            return `${where} is ${value}, above the maximum ${schema.maximum}`;
        }
    }
    if (Array.isArray(value)) {
        if (schema.minItems !== undefined && value.length < schema.minItems) {
            return `${where} has ${value.length} items, fewer than ${schema.minItems}`;
        }
        if (schema.uniqueItems && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) {
            return `${where} has duplicate items`;
        }
        for (let i = 0; i < value.length; i++) {
            const p = checkSchema(`${where}[${i}]`, value[i], schema.items);
            if (p) {
                return p;
            }
        }
    }
    return undefined;
}

/**
 * The config a policy's `getConfig()` returns: its properties from the pack config (enforcement
 * level removed), defaults from its schema filled in, values checked against the schema.
 * Throws an error naming the policy, the key, the bad value and what is allowed.
 */
export function policyConfigOf(policy: { name: string; configSchema?: PolicyConfigSchema }, config?: PolicyPackConfig): Record<string, unknown> {
    const c = config?.[policy.name];
    const { enforcementLevel, ...given } = typeof c === "object" && c !== null ? c : ({} as Record<string, unknown>);
    if (enforcementLevel !== undefined && !LEVELS.includes(enforcementLevel as EnforcementLevel)) {
        throw new Error(`policy config ${policy.name}.enforcementLevel is ${JSON.stringify(enforcementLevel)}; allowed: ${LEVELS.join(", ")}`);
    }
    if (typeof c === "string" && !LEVELS.includes(c)) {
        throw new Error(`policy config ${policy.name} is ${JSON.stringify(c)}; allowed: ${LEVELS.join(", ")} or an object`);
    }
    const properties = policy.configSchema?.properties ?? {};
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(given)) {
        if (!(key in properties)) {
            const known = Object.keys(properties);
            throw new Error(`policy config ${policy.name}.${key} is not a setting of this policy; allowed: ${known.length ? known.join(", ") : "enforcementLevel only"}`);
        }
        const problem = checkSchema(`policy config ${policy.name}.${key}`, value, properties[key]);
        if (problem) {
            throw new Error(problem);
        }
        out[key] = value;
    }
    for (const [key, schema] of Object.entries(properties)) {
        if (!(key in out) && typeof schema === "object" && schema.default !== undefined) {
            out[key] = JSON.parse(JSON.stringify(schema.default));
        }
    }
    for (const key of policy.configSchema?.required ?? []) {
        if (!(key in out)) {
            throw new Error(`policy config ${policy.name}.${key} is required`);
        }
    }
    return out;
}

function providerFor(rec: ResourceRecord, preview: boolean, stack: string) {
    if (!rec.type.startsWith("aws:")) {
        return undefined;
    }
    const region = rec.region !== undefined ? rec.region : preview ? UNKNOWN : undefined;
    return {
        type: "pulumi:providers:aws",
        props: unknownCheckingProxy({ ...(region !== undefined ? { region } : {}) }),
        urn: `urn:pulumi:${stack}::cn-log-backup::pulumi:providers:aws::default`,
        name: "default",
    };
}

function label(rec: { type: string; name: string }): string {
    return `${rec.type} ${rec.name}`;
}

/** Runs every policy over the recorded resources and returns the report. */
export async function runPolicies(resources: ResourceRecord[], opts: RunPoliciesOptions): Promise<PolicyReport> {
    const policies = opts.policies ?? packPolicies;
    const stack = opts.stack ?? "stack";
    const stackTags = new Map<string, string>();
    const names = new Set(policies.map((p) => p.name));
    for (const key of Object.keys(opts.config ?? {})) {
        if (!names.has(key)) {
            throw new Error(`policy config names ${JSON.stringify(key)}, which is not a policy of ${PACK_NAME}; policies: ${[...names].join(", ")}`);
        }
    }
    const results: PolicyResult[] = [];

    for (const policy of policies) {
        const level = enforcementLevelOf(policy, opts.config);
        const effective: EnforcementLevel = level === "remediate" ? "mandatory" : level;
        const cfg = policyConfigOf(policy, opts.config);
        const result: PolicyResult = {
            name: policy.name,
            description: policy.description,
            remediation: policy.remediationSteps,
            kind: isStackPolicy(policy) ? "stack" : "resource",
            enforcementLevel: level,
            examined: 0,
            examinedResources: [],
            violations: [],
            skipped: [],
        };
        results.push(result);
        if (level === "disabled") {
            continue;
        }
        const getConfig = <T extends object>() => JSON.parse(JSON.stringify(cfg)) as T;
        const notApplicable = (reason?: string): never => {
            throw new NotApplicable(reason);
        };
        const skipMessage = (e: Error) => `can't run policy '${policy.name}' from policy pack '${PACK_NAME}' during preview: ${e.message}`;

        if (isStackPolicy(policy)) {
            const byUrn = new Map<string, PolicyResource>();
            const built = resources.map((rec) => {
                const merged = { ...(rec.inputs ?? {}), ...(rec.state ?? {}) };
                const props = unknownCheckingProxy(toEngineValue(merged, opts.preview) as Record<string, any>);
                const r: PolicyResource = {
                    type: rec.type,
                    props,
                    urn: rec.urn,
                    name: rec.name,
                    opts: defaultOptions(rec.parent),
                    dependencies: [],
                    propertyDependencies: {},
                    isType: (cls: any) => isTypeOf(rec.type, cls),
                    asType: (cls: any) => (isTypeOf(rec.type, cls) ? (props as any) : undefined),
                };
                const provider = providerFor(rec, opts.preview, stack);
                if (provider) {
                    r.provider = provider;
                }
                byUrn.set(rec.urn, r);
                return { rec, r };
            });
            for (const { rec, r } of built) {
                if (rec.parent && byUrn.has(rec.parent)) {
                    r.parent = byUrn.get(rec.parent);
                }
                const deps = new Set<PolicyResource>();
                for (const [prop, urns] of Object.entries(rec.propertyDependencies ?? {})) {
                    const list = urns.map((u) => byUrn.get(u)).filter((d): d is PolicyResource => !!d);
                    r.propertyDependencies[prop] = list;
                    list.forEach((d) => deps.add(d));
                }
                r.dependencies = [...deps];
            }
            const args: StackValidationArgs = { resources: built.map((b) => b.r), stackTags, getConfig, notApplicable };
            const examines: ((t: string) => boolean) | undefined = (policy.validateStack as any).examines;
            const inScope = examines ? resources.filter((r) => examines(r.type)) : resources.filter((r) => r.custom);
            try {
                await Promise.resolve(
                    policy.validateStack(args, (message, urn) => {
                        const rec = urn ? resources.find((r) => r.urn === urn) : undefined;
                        result.violations.push({ policy: policy.name, enforcementLevel: effective, message, urn, resourceName: rec?.name, resourceType: rec?.type });
                    }),
                );
                result.examined = inScope.length;
                result.examinedResources = inScope.map(label);
            } catch (e) {
                if (isUnknownError(e)) {
                    result.skipped.push({ message: skipMessage(e) });
                } else if (!(e instanceof NotApplicable)) {
                    throw new Error(`Error validating stack with policy '${policy.name}': ${(e as Error).stack ?? e}`);
                }
            }
            continue;
        }

        const validations = Array.isArray(policy.validateResource) ? policy.validateResource : policy.validateResource ? [policy.validateResource] : [];
        for (const rec of resources) {
            let decided = false;
            for (const validation of validations) {
                const fast = (validation as any).__pulumiType;
                if (typeof fast === "string" && fast !== rec.type) {
                    continue;
                }
                const props = unknownCheckingProxy(toEngineValue(rec.inputs ?? {}, opts.preview) as Record<string, any>);
                const args: ResourceValidationArgs = {
                    type: rec.type,
                    props,
                    urn: rec.urn,
                    name: rec.name,
                    opts: defaultOptions(rec.parent),
                    stackTags,
                    isType: (cls: any) => isTypeOf(rec.type, cls),
                    asType: ((cls: any) => (isTypeOf(rec.type, cls) ? props : undefined)) as ResourceValidationArgs["asType"],
                    getConfig,
                    notApplicable,
                };
                const provider = providerFor(rec, opts.preview, stack);
                if (provider) {
                    args.provider = provider;
                }
                try {
                    await Promise.resolve(
                        validation(args, (message) => {
                            result.violations.push({ policy: policy.name, enforcementLevel: effective, message, urn: rec.urn, resourceName: rec.name, resourceType: rec.type });
                        }),
                    );
                    decided = true;
                } catch (e) {
                    if (isUnknownError(e)) {
                        result.skipped.push({ urn: rec.urn, resourceName: rec.name, message: skipMessage(e) });
                    } else if (!(e instanceof NotApplicable)) {
                        throw new Error(`Error validating resource ${rec.urn} with policy '${policy.name}': ${(e as Error).stack ?? e}`);
                    }
                }
            }
            if (decided) {
                result.examined += 1;
                result.examinedResources.push(label(rec));
            }
        }
    }
    return { pack: PACK_NAME, stack: opts.stack, preview: opts.preview, resources: resources.length, results };
}

/** All violations of a report at the given level. */
export function violationsAt(report: PolicyReport, level: EnforcementLevel): PolicyViolationRecord[] {
    return report.results.flatMap((r) => r.violations.filter((v) => v.enforcementLevel === level));
}

/** Whether a report has a mandatory violation (`npm run plan` then exits non-zero). */
export function hasMandatoryViolations(report: PolicyReport | PolicyReport[]): boolean {
    const reports = Array.isArray(report) ? report : [report];
    return reports.some((r) => violationsAt(r, "mandatory").length > 0);
}

/** The policy report as text: per policy its enforcement, resources examined, violations with messages. */
export function formatPolicyReport(report: PolicyReport): string {
    const lines: string[] = [];
    const mode = report.preview ? "preview" : "update";
    lines.push(`Policy pack ${report.pack}${report.stack ? `, stack ${report.stack}` : ""} (${mode}, ${report.resources} resources)`);
    const width = Math.max(...report.results.map((r) => r.name.length));
    for (const r of report.results) {
        const status =
            r.enforcementLevel === "disabled"
                ? "off "
                : r.violations.some((v) => v.enforcementLevel === "mandatory")
                  ? "FAIL"
                  : r.violations.length > 0 || r.skipped.length > 0
                    ? "warn"
                    : r.examined === 0
                      ? "none"
                      : "ok  ";
        const counts = r.enforcementLevel === "disabled" ? "disabled" : `${r.examined} examined, ${r.violations.length} violation(s)${r.skipped.length ? `, ${r.skipped.length} skipped` : ""}`;
        lines.push(`  [${status}] ${r.enforcementLevel.padEnd(9)} ${r.name.padEnd(width)}  ${counts}`);
        for (const v of r.violations) {
            lines.push(`      - ${v.enforcementLevel}: ${v.message}${v.urn ? `\n        at ${v.urn}` : ""}`);
        }
        for (const s of r.skipped) {
            lines.push(`      ~ advisory: ${s.message}${s.urn ? `\n        at ${s.urn}` : ""}`);
        }
        if (r.violations.length > 0 && r.remediation) {
            lines.push(`      fix: ${r.remediation}`);
        }
    }
    const mandatory = violationsAt(report, "mandatory").length;
    const advisory = violationsAt(report, "advisory").length;
    const skipped = report.results.reduce((n, r) => n + r.skipped.length, 0);
    const unexamined = report.results.filter((r) => r.enforcementLevel !== "disabled" && r.examined === 0).map((r) => r.name);
    lines.push(`  ${mandatory} mandatory violation(s), ${advisory} advisory, ${skipped} skipped during preview.`);
    if (unexamined.length > 0) {
        lines.push(`  Policies that examined no resource: ${unexamined.join(", ")}.`);
    }
    return lines.join("\n");
}
