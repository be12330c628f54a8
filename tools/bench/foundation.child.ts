/**
 * One measured process for the foundation bench. Modes:
 * - `floor`: load @pulumi/aws and run an empty program under the same mocks;
 * - `stacks`: load the program and evaluate both stacks under the mocks;
 * - `startup-floor`: load @pulumi/aws only; `startup`: load stacks/index.ts as Pulumi does;
 * - `replay <file>`: register the resources both stacks' runs recorded (./foundation.ts writes the
 *   file), same types, names, parents and inputs, as plain Custom/ComponentResources from a flat
 *   list under the same mocks: what Pulumi and the mocks cost for this graph without the program.
 * Prints the elapsed milliseconds since the process started.
 */
import * as fs from "fs";
import { performance } from "perf_hooks";
import type { ResourceRecord } from "../types";
import type * as Pulumi from "@pulumi/pulumi";

/** What ./foundation.ts records of each stack run for `replay`. */
export interface RecordedRun {
  stack: string;
  region: string;
  accountId: string;
  resources: Pick<ResourceRecord, "type" | "name" | "urn" | "parent" | "custom" | "inputs">[];
}

type ResourceClass = new (name: string, args: unknown, opts: unknown) => Pulumi.Resource;

/**
 * The @pulumi/aws class of a type token (`aws:s3/bucketV2:BucketV2` -> aws.s3.BucketV2): the real
 * class matters, since Pulumi makes four debuggable promises for every output property it declares.
 */
function resourceClass(aws: any, type: string): ResourceClass | undefined {
  const [pkg, moduleFile, className] = type.split(":");
  if (pkg !== "aws" || !moduleFile || !className) return undefined;
  const mod = moduleFile.split("/")[0];
  return (mod === "index" ? aws : aws[mod])?.[className];
}

function genericResource(pulumi: typeof Pulumi, type: string): ResourceClass {
  return class extends (pulumi.CustomResource as any) {
    constructor(name: string, args: unknown, opts: unknown) {
      super(type, name, args, opts);
    }
  } as unknown as ResourceClass;
}

async function replay(file: string): Promise<void> {
  const pulumi = require("@pulumi/pulumi") as typeof Pulumi;
  const aws = require("@pulumi/aws");
  const { AwsCnMocks } = require("../mocks");
  const runs = JSON.parse(fs.readFileSync(file, "utf8")) as RecordedRun[];
  for (const run of runs) {
    pulumi.runtime.setAllConfig({ "aws:region": run.region });
    await pulumi.runtime.setMocks(new AwsCnMocks({ region: run.region, accountId: run.accountId }), "cn-log-backup", run.stack, false);
    const byUrn = new Map<string, Pulumi.Resource>();
    for (const r of run.resources) {
      const parent = r.parent ? byUrn.get(r.parent) : undefined;
      const opts = parent ? { parent } : {};
      let res: Pulumi.Resource;
      if (!r.custom) res = new (pulumi.ComponentResource as any)(r.type, r.name, {}, opts);
      else if (r.type.startsWith("pulumi:providers:"))
        res = new (pulumi.ProviderResource as any)(r.type.slice("pulumi:providers:".length), r.name, r.inputs, opts);
      else res = new (resourceClass(aws, r.type) ?? genericResource(pulumi, r.type))(r.name, r.inputs, opts);
      byUrn.set(r.urn, res);
    }
    await (pulumi.runtime as any).waitForRPCs();
  }
}

export async function main(argv: string[]): Promise<number> {
  const mode = argv[0];
  if (mode === "startup-floor") {
    require("@pulumi/aws");
  } else if (mode === "startup") {
    require("../../stacks/index");
  } else if (mode === "floor") {
    const pulumi = require("@pulumi/pulumi");
    require("@pulumi/aws");
    const { AwsCnMocks } = require("../mocks");
    pulumi.runtime.setAllConfig({ "aws:region": "cn-north-1" });
    await pulumi.runtime.setMocks(new AwsCnMocks({ region: "cn-north-1" }), "cn-log-backup", "cn-north-1", false);
    await (pulumi.runtime as any).waitForRPCs();
  } else if (mode === "stacks") {
    const { runStack } = require("../harness");
    await runStack("cn-northwest-1");
    await runStack("cn-north-1", {});
  } else if (mode === "replay") {
    await replay(argv[1]);
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  // performance.now() counts from process start: module loading is part of the figure.
  process.stdout.write(`${performance.now().toFixed(1)}\n`);
  return 0;
}
