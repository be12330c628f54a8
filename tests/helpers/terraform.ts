/**
 * Suites that need the real Terraform CLI with the AWS provider mirror (and moto, for plan): they
 * run where all are here, skip with a message naming what is missing otherwise, and fail instead
 * of skipping under CI (`.ci/run` sets CN_LOG_BACKUP_REQUIRE_TERRAFORM=1 and
 * CN_LOG_BACKUP_REQUIRE_MOTO=1).
 */
import { terraformMissing } from "../../tools/provider-check/terraform";
import { motoMissing } from "../../tools/moto";

/** What is missing for `needs` here, or undefined. */
function missing(needs: { moto: boolean }): { message: string; required: boolean } | undefined {
  const tf = terraformMissing();
  if (tf) return { message: tf, required: process.env.CN_LOG_BACKUP_REQUIRE_TERRAFORM === "1" };
  const moto = needs.moto ? motoMissing() : undefined;
  if (moto) return { message: moto, required: process.env.CN_LOG_BACKUP_REQUIRE_MOTO === "1" };
  return undefined;
}

/** `describe` when Terraform (and moto, if `moto`) is here; else skip, or fail where required. */
export function describeWithTerraform(name: string, fn: () => void, needs: { moto: boolean } = { moto: true }): void {
  const m = missing(needs);
  if (!m) return describe(name, fn);
  if (m.required) {
    describe(name, () =>
      test("Terraform, the AWS provider mirror and moto_server are required here", () => {
        throw new Error(m.message);
      }),
    );
    return;
  }
  // eslint-disable-next-line no-console
  console.warn(`skipping "${name}": ${m.message}`);
  describe.skip(`${name} (skipped: ${m.message})`, fn);
}
