/** BackupEvents Lambda logic: the retention rule and the three handler factories. */
export * from "./retention";
export * from "./events";
export { createCopyStarterHandler, findLiveCopy } from "./copy-starter";
export type { CopyStarterDeps } from "./copy-starter";
export { createRetentionUpdaterHandler } from "./retention-updater";
export type { RetentionUpdaterDeps } from "./retention-updater";
export { createSnapshotExportHandler, exportTaskIdentifier, exportPrefix } from "./snapshot-export";
export type { SnapshotExportDeps } from "./snapshot-export";
export { copyStarterSettings, deferUntilFirstEvent, retentionUpdaterSettings, snapshotExportSettings } from "./settings";
