/**
 * Pulumi mocks that behave like the AWS provider in the China partition.
 *
 * - Invokes answer as the provider does in `aws-cn` (`invokes.ts`, from the world in `aws-cn.ts`
 *   and the principal table in `principals.ts`). An invoke the mocks do not know fails loudly, so a
 *   test never runs on a made-up answer.
 * - New resources get the computed outputs AWS would give them (`state/`, one file per group of
 *   services), deterministic per URN. In preview mode they get only their inputs, so computed
 *   outputs are unknown, as in a real `pulumi preview` of a new stack.
 */
import * as pulumi from "@pulumi/pulumi";
import type { InvokeRecord, ResourceRecord } from "../types";
import { ACCOUNT_ID, MockOptions } from "./aws-cn";
import { hex } from "./ids";
import { answerInvoke } from "./invokes";
import { computedOutputs } from "./state";

export { ACCOUNT_ID, AVAILABILITY_ZONES, DNS_SUFFIX, EXISTING_LOG_GROUPS, PARTITION, SSM_PUBLIC_PARAMETERS } from "./aws-cn";
export type { MockOptions } from "./aws-cn";
export { CN_SUFFIXED_PRINCIPALS, servicePrincipalSuffix } from "./principals";
export { CN_PREFIXED_INTERFACE_SERVICES } from "../mock-vpc-endpoint-services";

/** Mocks that record every resource and invoke. */
export class AwsCnMocks implements pulumi.runtime.Mocks {
  readonly resources: ResourceRecord[] = [];
  readonly invokes: InvokeRecord[] = [];
  /** Provider URN::id -> region, for resources that use an explicit provider. */
  private readonly providerRegions = new Map<string, string>();
  /** URN -> property dependencies, filled in by the harness from the monitor's requests. */
  readonly propertyDependencies = new Map<string, Record<string, string[]>>();

  constructor(readonly options: MockOptions) {}

  /** The account of this run. */
  get accountId(): string {
    return this.options.accountId ?? ACCOUNT_ID;
  }

  private regionOf(args: pulumi.runtime.MockResourceArgs): string {
    if (typeof args.inputs.region === "string") return args.inputs.region;
    if (args.provider) {
      const r = this.providerRegions.get(args.provider);
      if (r) return r;
    }
    return this.options.region;
  }

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, any> } {
    const region = this.regionOf(args);
    const seed = `${args.type}::${args.name}`;
    const computed = computedOutputs(args.type, args.name, args.inputs, region, seed, this.options);
    const id = args.id || computed.id || `${args.name}-${hex(seed, 8)}`;

    const state = this.options.preview ? { ...args.inputs, ...computed.knownInPreview } : { ...args.inputs, ...computed.state };
    this.resources.push({
      id,
      type: args.type,
      name: args.name,
      urn: "", // filled in by the harness, which sees the monitor's URN
      inputs: args.inputs,
      state,
      propertyDependencies: {},
      custom: args.custom ?? true,
      region: args.type.startsWith("aws:") ? region : undefined,
    });
    return { id: this.options.preview && computed.idUnknownInPreview ? undefined : id, state };
  }

  /** Records an explicit AWS provider so resources using it are placed in its region. */
  registerProvider(ref: string, region: string) {
    this.providerRegions.set(ref, region);
  }

  /** Called with every invoke the mocks refuse (the harness fails the run, as `pulumi preview` stops). */
  onInvokeFailure?: (error: Error) => void;

  call(args: pulumi.runtime.MockCallArgs): Record<string, any> {
    let result: Record<string, any>;
    try {
      result = answerInvoke(args, this.options.region, this.accountId);
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      // The engine reports a provider's invoke failure in `details`; the SDK rethrows that message.
      (error as any).details = `invoke ${args.token} failed: ${error.message}`;
      this.onInvokeFailure?.(error);
      throw error;
    }
    this.invokes.push({ token: args.token, args: args.inputs, result });
    return result;
  }
}
