/**
 * Runs the policies over the recorded resources the way the engine's policy server does: resource
 * policies see each resource's inputs; stack policies see every resource with its outputs, parent
 * and property dependencies; a policy that reads an unknown value during preview is reported as
 * skipped (advisory), as `pulumi preview` does.
 */
import {
  EnforcementLevel,
  Policies,
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
  unknownCheckingProxy,
} from "@pulumi/policy";
import { PACK_NAME, policies as packPolicies } from "../../policy-pack/policies";
import { ResourceRecord } from "../types";
import { enforcementLevelOf, PolicyPackConfig, policyConfigOf } from "./config";
import { defaultOptions, isTypeOf, isUnknownError, providerFor, toEngineValue } from "./engine";
import { PolicyReport, PolicyResult } from "./report";

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

class NotApplicable extends Error {}

function isStackPolicy(p: ResourceValidationPolicy | StackValidationPolicy): p is StackValidationPolicy {
  return typeof (p as StackValidationPolicy).validateStack === "function";
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
              result.violations.push({
                policy: policy.name,
                enforcementLevel: effective,
                message,
                urn: rec.urn,
                resourceName: rec.name,
                resourceType: rec.type,
              });
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
