/**
 * One measured process for the foundation bench. Modes:
 * - `floor`: load @pulumi/aws and run an empty program under the same mocks;
 * - `stacks`: load the program and evaluate both stacks under the mocks;
 * - `startup-floor`: load @pulumi/aws only; `startup`: load stacks/index.ts as Pulumi does.
 * Prints the elapsed milliseconds since the process started.
 */
import { performance } from "perf_hooks";

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
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  // performance.now() counts from process start: module loading is part of the figure.
  process.stdout.write(`${performance.now().toFixed(1)}\n`);
  return 0;
}
