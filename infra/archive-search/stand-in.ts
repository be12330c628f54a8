/**
 * ===================== STAND-IN: the lead replaces this file's use =====================
 * A minimal Glue database and Athena workgroup so that the archive search can be planned and
 * tested on this branch. The real ones come from infra/archive-athena.ts (branch f-completeness:
 * results under athena-results/ with a lifecycle, bytes-scanned limit from config). The archive
 * search takes only their names (ArchiveSearchArgs.databaseName / workgroupName).
 * =========================================================================================
 *
 * Workgroup settings as AWS documents them: results encrypted SSE_KMS with the archive key,
 * workgroup configuration enforced (clients cannot write results elsewhere or unencrypted), a
 * per-query bytes-scanned cutoff. https://docs.aws.amazon.com/athena/latest/ug/workgroups-settings.html
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Where query results go in the archive bucket (the same prefix f-completeness uses). */
export const STAND_IN_RESULTS_PREFIX = "athena-results/";

/** Glue database names: lower case letters, digits and underscores. */
export function standInDatabaseName(stack: string): string {
  return `cn_log_backup_${stack.toLowerCase().replace(/[^a-z0-9]+/g, "_")}`;
}

export function standInCatalog(
  name: string,
  a: { stack: string; bucketName: pulumi.Input<string>; keyArn: pulumi.Input<string>; tags?: Record<string, string> },
  opts: { parent: pulumi.Resource },
): { databaseName: pulumi.Output<string>; workgroupName: pulumi.Output<string> } {
  const database = new aws.glue.CatalogDatabase(`${name}-database`, { name: standInDatabaseName(a.stack), description: "cn-log-backup: archive search (stand-in)" }, opts);
  const workgroup = new aws.athena.Workgroup(
    `${name}-workgroup`,
    {
      name: `cn-log-backup-${a.stack}`,
      description: "cn-log-backup: archive search (stand-in)",
      state: "ENABLED",
      forceDestroy: false,
      configuration: {
        enforceWorkgroupConfiguration: true,
        publishCloudwatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: 10 * 1024 * 1024 * 1024,
        engineVersion: { selectedEngineVersion: "Athena engine version 3" },
        resultConfiguration: {
          outputLocation: pulumi.interpolate`s3://${a.bucketName}/${STAND_IN_RESULTS_PREFIX}`,
          encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: a.keyArn },
        },
      },
      tags: a.tags,
    },
    opts,
  );
  return { databaseName: database.name, workgroupName: workgroup.name };
}
