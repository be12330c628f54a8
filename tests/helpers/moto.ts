/**
 * moto_server for the jest suites: the one implementation is tools/moto.ts (`npm run
 * provider-check` starts it too); this adds `describeWithMoto`, which skips or, under CI, fails.
 */
export { MOTO_ACCOUNT_ID, motoMissing, startMoto } from "../../tools/moto";
export type { MotoServer } from "../../tools/moto";
import { motoMissing } from "../../tools/moto";

/**
 * `describe` when moto is here, `describe.skip` with the reason otherwise. Under
 * CN_LOG_BACKUP_REQUIRE_MOTO=1 (CI) a missing moto fails the suite instead of skipping it.
 */
export function describeWithMoto(name: string, fn: () => void): void {
  const missing = motoMissing();
  if (!missing) return describe(name, fn);
  if (process.env.CN_LOG_BACKUP_REQUIRE_MOTO === "1") {
    describe(name, () =>
      test("moto_server is required here", () => {
        throw new Error(missing);
      }),
    );
    return;
  }
  // eslint-disable-next-line no-console
  console.warn(`skipping "${name}": ${missing}`);
  describe.skip(`${name} (skipped: ${missing})`, fn);
}
