import { copyStarterSettings, deferUntilFirstEvent, retentionUpdaterSettings, snapshotExportSettings } from "../../../functions/backup-events";
import { COPY_ROLE_ARN, DEST_VAULT_ARN, SOURCE_VAULT_ARN } from "./fixtures";

// Each variable is named as its setting: the config key where there is one (retainAfterCopyDays,
// copyDeleteAfterDays, ...), otherwise the settings field.
describe("handler settings from the Lambda environment", () => {
  const base = { sourceVaultArn: SOURCE_VAULT_ARN, destinationVaultArn: DEST_VAULT_ARN, copyRoleArn: COPY_ROLE_ARN };

  test("copy starter: lifecycle only from the variables that are set; on-demand copies unless 'false'", () => {
    expect(copyStarterSettings({ ...base, copyDeleteAfterDays: "365", copyColdStorageAfterDays: "", copyOnDemandBackups: "true" })).toEqual({
      sourceVaultArn: SOURCE_VAULT_ARN,
      destinationVaultArn: DEST_VAULT_ARN,
      copyRoleArn: COPY_ROLE_ARN,
      copyDeleteAfterDays: 365,
      copyColdStorageAfterDays: undefined,
      copyOnDemandBackups: true,
    });
    expect(copyStarterSettings({ ...base, copyDeleteAfterDays: "400", copyColdStorageAfterDays: "30", copyOnDemandBackups: "false" })).toMatchObject({
      copyDeleteAfterDays: 400,
      copyColdStorageAfterDays: 30,
      copyOnDemandBackups: false,
    });
    expect(copyStarterSettings(base)).toMatchObject({ copyDeleteAfterDays: undefined, copyColdStorageAfterDays: undefined, copyOnDemandBackups: true });
  });

  test.each([
    [{ ...base, sourceVaultArn: "" }, /sourceVaultArn is required/],
    [{ sourceVaultArn: SOURCE_VAULT_ARN, destinationVaultArn: DEST_VAULT_ARN }, /copyRoleArn is required/],
    [{ ...base, copyDeleteAfterDays: "a year" }, /copyDeleteAfterDays must be a positive integer, got "a year"/],
    [{ ...base, copyColdStorageAfterDays: "0" }, /copyColdStorageAfterDays must be a positive integer, got "0"/],
    [{ ...base, copyOnDemandBackups: "yes" }, /copyOnDemandBackups must be "true" or "false", got "yes"/],
  ])("copy starter rejects %j", (env, message) => {
    expect(() => copyStarterSettings(env)).toThrow(message);
  });

  test("retention updater and snapshot export", () => {
    expect(retentionUpdaterSettings({ sourceVaultArn: SOURCE_VAULT_ARN, destinationVaultArn: DEST_VAULT_ARN, retainAfterCopyDays: "7" })).toEqual({
      sourceVaultArn: SOURCE_VAULT_ARN,
      destinationVaultArn: DEST_VAULT_ARN,
      retainAfterCopyDays: 7,
    });
    expect(() => retentionUpdaterSettings({ sourceVaultArn: SOURCE_VAULT_ARN, destinationVaultArn: DEST_VAULT_ARN })).toThrow(
      /retainAfterCopyDays is required/,
    );
    expect(snapshotExportSettings({ sourceVaultArn: SOURCE_VAULT_ARN, bucketName: "b", kmsKeyArn: "k", exportRoleArn: "r" })).toEqual({
      sourceVaultArn: SOURCE_VAULT_ARN,
      bucketName: "b",
      prefix: "exports/",
      kmsKeyArn: "k",
      exportRoleArn: "r",
    });
    expect(() => snapshotExportSettings({ sourceVaultArn: SOURCE_VAULT_ARN, bucketName: "b", exportRoleArn: "r" })).toThrow(/kmsKeyArn is required/);
  });

  // The one function-side check of retainAfterCopyDays (the rule and the handler trust it); these
  // are the values the rule and the handler used to refuse themselves.
  test.each(["0", "-3", "1.5", "NaN", "seven"])("retention updater rejects retainAfterCopyDays %p", (v) => {
    expect(() => retentionUpdaterSettings({ sourceVaultArn: SOURCE_VAULT_ARN, destinationVaultArn: DEST_VAULT_ARN, retainAfterCopyDays: v })).toThrow(
      `environment variable retainAfterCopyDays must be a positive integer, got ${JSON.stringify(v)}`,
    );
  });

  test("deferUntilFirstEvent builds the handler once, on the first event, and a bad setting fails that invocation", async () => {
    let built = 0;
    const h = deferUntilFirstEvent((): ((e: number) => Promise<number>) => {
      built++;
      return async (e: number) => e * 2;
    });
    expect(built).toBe(0);
    await expect(h(2)).resolves.toBe(4);
    await expect(h(5)).resolves.toBe(10);
    expect(built).toBe(1);

    const failing = deferUntilFirstEvent(() => retentionUpdaterSettings({ sourceVaultArn: SOURCE_VAULT_ARN, destinationVaultArn: DEST_VAULT_ARN }) as never);
    await expect(Promise.resolve().then(() => failing({}))).rejects.toThrow(/retainAfterCopyDays is required/);
  });
});
