/**
 * Snapshot export action (the AWS Backup Actions Framework's idea): when AWS Backup completes an
 * Aurora or RDS recovery point in the source vault, export the snapshot to the archive bucket's
 * `exports/` prefix (RDS writes Apache Parquet), encrypted with the archive key, through the
 * export role that `export.rds` assumes.
 *
 * The export task identifier is derived from the snapshot ARN, so a redelivered event or a retry
 * meets ExportTaskAlreadyExistsFault, which the handler treats as done. Other errors are thrown.
 */
import { StartExportTaskCommand } from "@aws-sdk/client-rds";
import type { RDSClient } from "@aws-sdk/client-rds";
import { createHash } from "crypto";
import { BackupEvent, BackupJobDetail, HandlerOutcome, RecoveryPointDetail, logJson } from "./events";

export interface SnapshotExportDeps {
  rds: Pick<RDSClient, "send">;
  sourceVaultArn: string;
  bucketName: string;
  /** Key prefix in the archive bucket, `exports/` by default. */
  prefix?: string;
  /** The archive bucket's KMS key ARN. */
  kmsKeyArn: string;
  /** The role RDS assumes to write the export. */
  exportRoleArn: string;
  log?: (entry: Record<string, unknown>) => void;
}

/** AWS Backup resource types whose recovery points are RDS snapshots that can be exported. */
const EXPORTABLE_TYPES = ["Aurora", "RDS"];
/** `arn:<partition>:rds:<region>:<account>:(cluster-)snapshot:<name>`. */
const RDS_SNAPSHOT_ARN = /^arn:[a-z-]+:rds:[a-z0-9-]+:\d{12}:(cluster-snapshot|snapshot):.+$/;
/** `arn:<partition>:rds:<region>:<account>:(cluster|db):<id>`. */
const RDS_SOURCE_ARN = /^arn:[a-z-]+:rds:[a-z0-9-]+:\d{12}:(cluster|db):([A-Za-z0-9-]+)$/;

/**
 * The export task identifier for a snapshot: `backup-export-` + 40 hex characters of the
 * snapshot ARN's SHA-256 (54 characters; RDS allows 1-60 letters, digits and single hyphens,
 * starting with a letter).
 */
export function exportTaskIdentifier(snapshotArn: string): string {
  return `backup-export-${createHash("sha256").update(snapshotArn).digest("hex").slice(0, 40)}`;
}

/** `exports/aurora/<cluster-id>` or `exports/rds/<db-id>`, from the source resource ARN. */
export function exportPrefix(prefix: string, resourceType: string, resourceArn: string | undefined): string {
  const base = prefix.endsWith("/") ? prefix : `${prefix}/`;
  const m = RDS_SOURCE_ARN.exec(resourceArn ?? "");
  const id = m ? m[2] : "unknown-source";
  return `${base}${resourceType.toLowerCase()}/${id}`;
}

export function createSnapshotExportHandler(deps: SnapshotExportDeps): (event: BackupEvent<BackupJobDetail & RecoveryPointDetail>) => Promise<HandlerOutcome> {
  for (const key of ["sourceVaultArn", "bucketName", "kmsKeyArn", "exportRoleArn"] as const) {
    if (!deps[key]) throw new Error(`snapshot export: ${key} is required`);
  }
  const log = deps.log ?? logJson;
  const prefix = deps.prefix ?? "exports/";

  return async function snapshotExport(event: BackupEvent<BackupJobDetail & RecoveryPointDetail>): Promise<HandlerOutcome> {
    const ignore = (reason: string): HandlerOutcome => {
      const outcome = { action: "ignored", reason, eventId: event?.id };
      log(outcome);
      return outcome;
    };
    if (!event || event.source !== "aws.backup") return ignore("not an AWS Backup event");
    const detail = event.detail ?? {};
    const type = event["detail-type"];
    const completed =
      (type === "Backup Job State Change" && detail.state === "COMPLETED") || (type === "Recovery Point State Change" && detail.status === "COMPLETED");
    if (!completed) return ignore(`${type} ${String(detail.state ?? detail.status)}`);
    if (detail.backupVaultArn !== deps.sourceVaultArn) return ignore(`vault ${String(detail.backupVaultArn)}`);
    if (!EXPORTABLE_TYPES.includes(detail.resourceType ?? "")) return ignore(`resource type ${String(detail.resourceType)}`);
    const snapshotArn = event.resources?.[0];
    if (!snapshotArn || !RDS_SNAPSHOT_ARN.test(snapshotArn)) {
      // Continuous (point-in-time) recovery points are not snapshots and cannot be exported.
      return ignore(`not an RDS snapshot: ${String(snapshotArn)}`);
    }

    const input = {
      ExportTaskIdentifier: exportTaskIdentifier(snapshotArn),
      SourceArn: snapshotArn,
      S3BucketName: deps.bucketName,
      S3Prefix: exportPrefix(prefix, detail.resourceType as string, detail.resourceArn),
      IamRoleArn: deps.exportRoleArn,
      KmsKeyId: deps.kmsKeyArn,
    };
    try {
      const result = await deps.rds.send(new StartExportTaskCommand(input));
      const outcome = { action: "export-started", snapshotArn, exportTaskIdentifier: input.ExportTaskIdentifier, status: result.Status };
      log(outcome);
      return outcome;
    } catch (err) {
      if ((err as { name?: string })?.name === "ExportTaskAlreadyExistsFault") {
        const outcome = { action: "already-exporting", snapshotArn, exportTaskIdentifier: input.ExportTaskIdentifier };
        log(outcome);
        return outcome;
      }
      throw err;
    }
  };
}
