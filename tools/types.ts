/**
 * Shapes shared by the offline tools (harness, plan, policy runner, bench).
 * Kept free of Pulumi imports so every tool and test can use them cheaply.
 */

/** One resource the program registered, as the offline harness saw it. */
export interface ResourceRecord {
  /** Pulumi type token, e.g. `aws:s3/bucket:Bucket` or `cn-log-backup:index:LogArchive`. */
  type: string;
  /** Logical name given to the resource. */
  name: string;
  /** The physical id the mock assigned. */
  id?: string;
  /** The URN the mock monitor assigned. */
  urn: string;
  /**
   * Inputs as the provider would receive them. In preview, a value not known yet (an output of a
   * resource not yet created) is Pulumi's unknown sentinel: test it with `isUnknown` from
   * tools/harness, and use `propertyDependencies` to see where it comes from.
   */
  inputs: Record<string, any>;
  /** State the mock returned (inputs plus computed outputs such as `arn`, `id`). */
  state: Record<string, any>;
  /** Parent URN, when the resource has one. */
  parent?: string;
  /** For each input property, the URNs of the resources it depends on. */
  propertyDependencies: Record<string, string[]>;
  /** URNs the resource waits for (property dependencies and explicit `dependsOn`); set by the harness. */
  dependencies?: string[];
  /** Input properties whose changes the resource ignores (`ignoreChanges`); set by the harness. */
  ignoreChanges?: string[];
  /** Whether this is a custom (provider) resource rather than a component. */
  custom: boolean;
  /** Region the resource lives in: its provider's region (the stack's `aws:region`) or its own `region` input. */
  region?: string;
}

/** One data-source call (invoke) the program made. */
export interface InvokeRecord {
  token: string;
  args: Record<string, any>;
  result: Record<string, any>;
}

/** A performance figure printed by `npm run bench` beside its floor, measured in the same run. */
export interface BenchFigure {
  /** What is measured, e.g. "evaluate both stacks offline". */
  name: string;
  value: number;
  /** What the floor is, e.g. "load @pulumi/aws + empty program under mocks". */
  floorName: string;
  floor: number;
  /** "ms", "bytes", "MB/s", "calls", ... */
  unit: string;
  /** For throughput-like figures, a higher value is better: the ratio is then floor/value. */
  higherIsBetter?: boolean;
  /** The goal as a ratio against the floor (e.g. 1.5 means "within 1.5x of the floor"). */
  goalRatio?: number;
  /** The goal as an absolute difference value - floor, in `unit` (e.g. 32 MiB: "within 32 MiB of the floor"). */
  goalDelta?: number;
  /** How to print `goalDelta` (e.g. "32 MiB"); default `${goalDelta} ${unit}`. */
  goalDeltaText?: string;
  note?: string;
}

/** A bench module: `tools/bench/<area>.ts` exports `run()`; `tools/bench.ts` runs them all. */
export type BenchModule = { run: () => Promise<BenchFigure[]> };
