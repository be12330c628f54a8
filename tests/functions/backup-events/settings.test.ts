import { copyStarterSettings, deferUntilFirstEvent, retentionUpdaterSettings, snapshotExportSettings } from "../../../functions/backup-events";
import { COPY_ROLE_ARN, DEST_VAULT_ARN, SOURCE_VAULT_ARN } from "./fixtures";

describe("handler settings from the Lambda environment", () => {
  const base = { SOURCE_VAULT_ARN, DESTINATION_VAULT_ARN: DEST_VAULT_ARN, COPY_ROLE_ARN };

  test("copy starter: lifecycle only from the variables that are set; on-demand copies unless 'false'", () => {
    expect(copyStarterSettings({ ...base, COPY_DELETE_AFTER_DAYS: "365", COPY_COLD_STORAGE_AFTER_DAYS: "", COPY_ON_DEMAND: "true" })).toEqual({
      sourceVaultArn: SOURCE_VAULT_ARN,
      destinationVaultArn: DEST_VAULT_ARN,
      copyRoleArn: COPY_ROLE_ARN,
      copyLifecycle: { DeleteAfterDays: 365 },
      copyOnDemand: true,
    });
    expect(copyStarterSettings({ ...base, COPY_DELETE_AFTER_DAYS: "400", COPY_COLD_STORAGE_AFTER_DAYS: "30", COPY_ON_DEMAND: "false" })).toMatchObject({
      copyLifecycle: { DeleteAfterDays: 400, MoveToColdStorageAfterDays: 30 },
      copyOnDemand: false,
    });
    expect(copyStarterSettings(base).copyLifecycle).toBeUndefined();
  });

  test.each([
    [{ ...base, SOURCE_VAULT_ARN: "" }, /SOURCE_VAULT_ARN is required/],
    [{ SOURCE_VAULT_ARN, DESTINATION_VAULT_ARN: DEST_VAULT_ARN }, /COPY_ROLE_ARN is required/],
    [{ ...base, COPY_DELETE_AFTER_DAYS: "a year" }, /COPY_DELETE_AFTER_DAYS must be a positive integer, got "a year"/],
    [{ ...base, COPY_COLD_STORAGE_AFTER_DAYS: "0" }, /COPY_COLD_STORAGE_AFTER_DAYS must be a positive integer, got "0"/],
  ])("copy starter rejects %j", (env, message) => {
    expect(() => copyStarterSettings(env)).toThrow(message);
  });

  test("retention updater and snapshot export", () => {
    expect(retentionUpdaterSettings({ SOURCE_VAULT_ARN, DESTINATION_VAULT_ARN: DEST_VAULT_ARN, NEW_DELETE_AFTER_DAYS: "7" })).toEqual({
      sourceVaultArn: SOURCE_VAULT_ARN,
      destinationVaultArn: DEST_VAULT_ARN,
      newDeleteAfterDays: 7,
    });
    expect(() => retentionUpdaterSettings({ SOURCE_VAULT_ARN, DESTINATION_VAULT_ARN: DEST_VAULT_ARN })).toThrow(/NEW_DELETE_AFTER_DAYS is required/);
    expect(snapshotExportSettings({ SOURCE_VAULT_ARN, EXPORT_BUCKET: "b", EXPORT_KMS_KEY_ARN: "k", EXPORT_ROLE_ARN: "r" })).toEqual({
      sourceVaultArn: SOURCE_VAULT_ARN,
      bucketName: "b",
      prefix: "exports/",
      kmsKeyArn: "k",
      exportRoleArn: "r",
    });
    expect(() => snapshotExportSettings({ SOURCE_VAULT_ARN, EXPORT_BUCKET: "b", EXPORT_ROLE_ARN: "r" })).toThrow(/EXPORT_KMS_KEY_ARN is required/);
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

    const failing = deferUntilFirstEvent(() => retentionUpdaterSettings({}) as never);
    await expect(Promise.resolve().then(() => failing({}))).rejects.toThrow(/NEW_DELETE_AFTER_DAYS is required/);
  });
});
