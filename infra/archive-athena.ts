/**
 * The Glue database and the Athena workgroup over an archive bucket (issue 17 items 1 and 2: the
 * completeness report and the archive search both query through them).
 *
 * - The database lives in the Data Catalog of the provider's region (`catalogId` = this account),
 *   next to the bucket it describes: Athena then reads the bucket in its own region.
 * - The workgroup enforces its configuration (`enforceWorkgroupConfiguration`: a client cannot
 *   point results elsewhere or turn encryption off), writes results under the bucket's
 *   `athena-results/` SSE_KMS with the archive's key, stops any query past the bytes-scanned
 *   cutoff, and publishes CloudWatch metrics. Results are expired by the bucket's lifecycle: the
 *   archive's per-prefix rule for `athena-results/` (ARCHIVE_PREFIXES), the replica's all-objects rule.
 *   https://docs.aws.amazon.com/athena/latest/ug/workgroups-settings-override.html
 *   https://docs.aws.amazon.com/athena/latest/ug/workgroups-setting-control-limits-cloudwatch.html
 *   (per-query data usage control: BytesScannedCutoffPerQuery, at least 10 MB)
 *   https://docs.aws.amazon.com/athena/latest/APIReference/API_EncryptionConfiguration.html (SSE_KMS + KmsKey)
 *   https://docs.aws.amazon.com/athena/latest/APIReference/API_WorkGroupConfiguration.html
 *
 * Availability: Glue is documented in both China regions
 * (https://docs.amazonaws.cn/en_us/aws/latest/userguide/glue.html); Athena's user guide is
 * published on docs.amazonaws.cn but no China "Region Availability" page for Athena was found, so
 * the features using this stay behind flags that are off by default (README).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { partitionFacts } from "./partition";

/** The prefix of query results in the bucket (with its trailing slash, as ARCHIVE_PREFIXES has it). */
export const ATHENA_RESULTS_PREFIX = "athena-results/";
/** Athena's smallest per-query cutoff, 10 MB (the API refuses less). */
export const MIN_BYTES_SCANNED_CUTOFF = 10_000_000;
export const ATHENA_ENGINE_VERSION = "Athena engine version 3";

export interface ArchiveAthenaArgs {
  /** The bucket the results go to (the archive or the replica). */
  readonly bucketName: pulumi.Input<string>;
  /** The bucket's key: results are SSE_KMS with it. */
  readonly keyArn: pulumi.Input<string>;
  /** Per-query limit on data scanned, in MiB (config `logArchive.athenaBytesScannedCutoffMb`). */
  readonly bytesScannedCutoffMb: number;
  /** Glue database name (lowercase letters, digits, underscores). */
  readonly databaseName: string;
  /** Athena workgroup name. */
  readonly workgroupName: string;
  readonly tags?: Record<string, string>;
}

export interface ArchiveAthena {
  readonly database: aws.glue.CatalogDatabase;
  readonly workgroup: aws.athena.Workgroup;
  readonly databaseName: pulumi.Output<string>;
  readonly workgroupName: pulumi.Output<string>;
  /** `s3://<bucket>/athena-results/`. */
  readonly resultsLocation: pulumi.Output<string>;
}

const GLUE_NAME = /^[a-z0-9_]{1,255}$/;
const WORKGROUP_NAME = /^[a-zA-Z0-9._-]{1,128}$/;

export function bytesScannedCutoff(mb: number): number {
  const bytes = mb * 1024 * 1024;
  if (!Number.isInteger(mb) || bytes < MIN_BYTES_SCANNED_CUTOFF)
    throw new Error(`athenaBytesScannedCutoffMb ${mb} is not allowed; expected an integer of at least 10 (Athena's minimum is 10 MB)`);
  return bytes;
}

/** Creates the database and the workgroup with `{ parent }` (no component of its own). */
export function archiveAthena(name: string, args: ArchiveAthenaArgs, opts: pulumi.CustomResourceOptions): ArchiveAthena {
  if (!GLUE_NAME.test(args.databaseName))
    throw new Error(`Glue database name ${JSON.stringify(args.databaseName)} is not allowed; expected lowercase letters, digits and underscores`);
  if (!WORKGROUP_NAME.test(args.workgroupName))
    throw new Error(`Athena workgroup name ${JSON.stringify(args.workgroupName)} is not allowed; expected 1-128 letters, digits, . _ -`);
  const facts = partitionFacts(opts);
  const database = new aws.glue.CatalogDatabase(
    `${name}-database`,
    { name: args.databaseName, catalogId: facts.accountId, description: "cn-log-backup: tables over the log archive and its S3 Inventory", tags: args.tags },
    opts,
  );
  const resultsLocation = pulumi.interpolate`s3://${args.bucketName}/${ATHENA_RESULTS_PREFIX}`;
  const workgroup = new aws.athena.Workgroup(
    `${name}-workgroup`,
    {
      name: args.workgroupName,
      description: "cn-log-backup: queries over the log archive (results encrypted with the archive key)",
      state: "ENABLED",
      forceDestroy: false,
      configuration: {
        enforceWorkgroupConfiguration: true,
        publishCloudwatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: bytesScannedCutoff(args.bytesScannedCutoffMb),
        engineVersion: { selectedEngineVersion: ATHENA_ENGINE_VERSION },
        resultConfiguration: {
          outputLocation: resultsLocation,
          expectedBucketOwner: facts.accountId,
          encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: args.keyArn },
        },
      },
      tags: args.tags,
    },
    opts,
  );
  return { database, workgroup, databaseName: database.name, workgroupName: workgroup.name, resultsLocation };
}
