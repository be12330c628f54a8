import { STACKS } from "./harness";
import { artifactOf, bundleProblems, loadHandler, unavailableInRuntime } from "./serialized";
import { VARIANTS, runVariant } from "./variants";

/** Returns the process exit code: 0 when every Lambda of every stack and variant serializes and loads. */
export async function main(): Promise<number> {
  let failures = 0;
  let checked = 0;
  for (const variant of VARIANTS) {
    for (const stack of STACKS) {
      const run = await runVariant(stack, variant);
      for (const { name, lambda } of run.lambdas) {
        const where = `${stack} [${variant.name}] ${name}`;
        try {
          const artifact = await artifactOf(lambda.code);
          const problems = bundleProblems(artifact);
          if (problems.length > 0) throw new Error(`bundled packages: ${problems.join("; ")}`);
          const missing = unavailableInRuntime(artifact);
          if (missing.length > 0) throw new Error(`requires modules neither the Lambda runtime provides nor the artifact bundles: ${missing.join(", ")}`);
          await loadHandler(lambda);
          checked++;
        } catch (e) {
          failures++;
          console.error(`serialization check FAILED: ${where}: ${(e as Error).message}`);
        }
      }
    }
  }
  console.log(`serialization check: ${checked} Lambda artifacts serialized and loaded in plain Node, ${failures} failed`);
  return failures === 0 ? 0 : 1;
}
