/**
 * ArchiveCompleteness (backup stack, `logArchive.completeness`): a daily report proving that every
 * object of the Beijing archive older than the grace period is in the Ningxia replica, unchanged
 * (functions/log-archive/completeness.ts), with alarms on what it finds.
 *
 * Where the comparison runs, and why Ningxia:
 * - S3 Inventory delivers only into a bucket of the source's own Region ("The destination bucket
 *   must be in the same AWS Region as the source bucket":
 *   https://docs.amazonaws.cn/sdkfornet/v3/apidocs/items/S3/TPutBucketInventoryConfigurationRequest.html),
 *   so the archive's inventory is written in Beijing and the replica's in Ningxia.
 * - The archive's replication rule has an empty filter, so the archive's `inventory/` objects
 *   replicate into the replica like any other (infra/log-archive.ts): Ningxia holds both.
 * - Running in Beijing instead would make Athena read the replica across Regions. AWS documents
 *   cross-Region queries with S3 data-transfer charges and cross-account grants, and lists a
 *   China-Regions limitation for them (https://docs.aws.amazon.com/athena/latest/ug/querying-across-regions.html,
 *   "Considerations and limitations"); the replica's key and bucket policies would also have to admit
 *   the primary's role across accounts when backupAccountId is set.
 * - In Ningxia every read is of this stack's bucket with this stack's key, in one account and one
 *   Region. The one catch: the replicated `symlink.txt` names Beijing's data files, so the function
 *   rewrites it to name the replicated copies (after checking each is there) before Athena reads it.
 * The audit-log part (the pipeline's missed and overdue files) lives in the primary stack next to
 * its table; see README.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AthenaClient } from "@aws-sdk/client-athena";
import { S3Client } from "@aws-sdk/client-s3";
import { archiveAthena, ArchiveAthena, ATHENA_RESULTS_PREFIX } from "./archive-athena";
import { INVENTORY_CONFIG_ID, INVENTORY_PREFIX } from "./log-archive/inventory";
import { inventoryTable } from "./inventory-table";
import { PolicyStatement } from "./iam";
import { cloudWatchLogsKeyStatement, customerManagedKey } from "./kms";
import type { InlineLambda } from "./lambda";
import { arn, viaService } from "./partition";
import { type CompletenessReportArgs, scheduledReporter } from "./scheduled-report";
import { COMPLETENESS_METRICS_NAMESPACE, REPORT_PREFIX, createCompletenessHandler, SOURCE_SYMLINK_PREFIX } from "../functions/log-archive/completeness";

export const COMPLETENESS_DATABASE = "cn_log_backup_completeness";
export const COMPLETENESS_WORKGROUP = "cn-log-backup-completeness";
export const SOURCE_TABLE = "archive_inventory";
export const REPLICA_TABLE = "replica_inventory";
/** Lambda timeout (s) and how long one query may run inside it. */
const TIMEOUT_SECONDS = 900;
const QUERY_MAX_WAIT_MS = 200_000;

export interface ArchiveCompletenessArgs extends CompletenessReportArgs {
  /** The replica bucket (Ningxia): both inventories, the reports, the query results. */
  readonly bucketName: pulumi.Input<string>;
  readonly bucketArn: pulumi.Input<string>;
  /** The replica's key: reports and results are encrypted with it. */
  readonly keyArn: pulumi.Input<string>;
  /** Athena's per-query scan cutoff (`logArchive.athenaBytesScannedCutoffMb`). */
  readonly bytesScannedCutoffMb: number;
  /** Problem objects listed in a report (the counts are always complete). */
  readonly detailLimit?: number;
  /** Deletion window of the function's log key. */
  readonly kmsKeyDeletionWindowDays: number;
}

/** The function's permissions: read both inventories, write reports, run its workgroup's queries. */
export function completenessStatements(a: {
  bucketArn: pulumi.Input<string>;
  keyArn: pulumi.Input<string>;
  region: string;
  workgroupArn: pulumi.Input<string>;
  glueArns: pulumi.Input<string>[];
  parent: pulumi.Resource;
}): PolicyStatement[] {
  const obj = (p: string) => pulumi.interpolate`${a.bucketArn}/${p}*`;
  return [
    {
      Sid: "ListInventoriesAndResults",
      Effect: "Allow",
      Action: ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"],
      Resource: [a.bucketArn],
    },
    // Both inventories (symlinks, data files) and the rewritten symlinks; Athena reads with these.
    { Sid: "ReadInventories", Effect: "Allow", Action: ["s3:GetObject"], Resource: [obj(`${INVENTORY_PREFIX}/`), obj(SOURCE_SYMLINK_PREFIX)] },
    { Sid: "WriteReports", Effect: "Allow", Action: ["s3:PutObject"], Resource: [obj(REPORT_PREFIX)] },
    // Athena writes the results as the caller (https://docs.aws.amazon.com/athena/latest/ug/managed-policies.html).
    {
      Sid: "QueryResults",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
      Resource: [obj(ATHENA_RESULTS_PREFIX)],
    },
    {
      Sid: "ReplicaKeyViaS3",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: [a.keyArn],
      Condition: { StringEquals: { "kms:ViaService": viaService("s3", a.region, { parent: a.parent }) } },
    },
    {
      Sid: "RunComparison",
      Effect: "Allow",
      Action: ["athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults", "athena:StopQueryExecution"],
      Resource: [a.workgroupArn],
    },
    // Athena's DDL (ALTER TABLE ADD PARTITION) and reads go to the Data Catalog as the caller.
    {
      Sid: "CatalogPartitions",
      Effect: "Allow",
      Action: [
        "glue:GetDatabase",
        "glue:GetTable",
        "glue:GetPartition",
        "glue:GetPartitions",
        "glue:BatchGetPartition",
        "glue:CreatePartition",
        "glue:BatchCreatePartition",
      ],
      Resource: a.glueArns,
    },
  ];
}

export class ArchiveCompleteness extends pulumi.ComponentResource {
  readonly athena: ArchiveAthena;
  readonly sourceTable: aws.glue.CatalogTable;
  readonly replicaTable: aws.glue.CatalogTable;
  readonly reporter: InlineLambda;
  readonly failureQueue: aws.sqs.Queue;
  readonly alarms: aws.cloudwatch.MetricAlarm[];

  constructor(name: string, args: ArchiveCompletenessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("cn-log-backup:index:ArchiveCompleteness", name, {}, opts);
    const parent = { parent: this };
    const tags = args.tags;
    this.athena = archiveAthena(
      name,
      {
        bucketName: args.bucketName,
        keyArn: args.keyArn,
        bytesScannedCutoffMb: args.bytesScannedCutoffMb,
        databaseName: COMPLETENESS_DATABASE,
        workgroupName: COMPLETENESS_WORKGROUP,
        tags,
      },
      parent,
    );
    const db = this.athena.databaseName;
    this.sourceTable = inventoryTable(
      `${name}-archive-inventory`,
      {
        databaseName: db,
        tableName: SOURCE_TABLE,
        location: pulumi.interpolate`s3://${args.bucketName}/${SOURCE_SYMLINK_PREFIX}`,
        description: "The archive's S3 Inventory as replicated here (symlinks rewritten to the replicated data files)",
      },
      parent,
    );
    this.replicaTable = inventoryTable(
      `${name}-replica-inventory`,
      {
        databaseName: db,
        tableName: REPLICA_TABLE,
        location: pulumi.interpolate`s3://${args.bucketName}/${INVENTORY_PREFIX}/${args.bucketName}/${INVENTORY_CONFIG_ID}/hive/`,
        description: "The replica's own S3 Inventory",
      },
      parent,
    );

    const logsKey = customerManagedKey(
      `${name}-logs-key`,
      {
        description: "cn-log-backup: encrypts the completeness function's log group",
        deletionWindowInDays: args.kmsKeyDeletionWindowDays,
        alias: "cn-log-backup/completeness-logs",
        statements: [cloudWatchLogsKeyStatement(args.region)],
        tags,
      },
      parent,
    );
    const glueArns = [
      arn({ service: "glue", resource: "catalog" }, parent),
      arn({ service: "glue", resource: pulumi.interpolate`database/${db}` }, parent),
      arn({ service: "glue", resource: pulumi.interpolate`table/${db}/${SOURCE_TABLE}` }, parent),
      arn({ service: "glue", resource: pulumi.interpolate`table/${db}/${REPLICA_TABLE}` }, parent),
    ];
    const reporting = scheduledReporter(
      name,
      args,
      {
        description: "cn-log-backup: compares the archive's and the replica's S3 Inventory in Athena, writes reports/completeness/",
        // Clients once per container; the environment as it started, read on the first event.
        callbackFactory: () => createCompletenessHandler({ s3: new S3Client({}), athena: new AthenaClient({}) }, { ...process.env }),
        statements: completenessStatements({
          bucketArn: args.bucketArn,
          keyArn: args.keyArn,
          region: args.region,
          workgroupArn: this.athena.workgroup.arn,
          glueArns,
          parent: this,
        }),
        // Named as the Args fields and settings they carry; functions/log-archive/completeness.ts settingsFromEnv reads them.
        environment: {
          bucketName: args.bucketName,
          keyArn: args.keyArn,
          inventoryPrefix: INVENTORY_PREFIX,
          inventoryConfigId: INVENTORY_CONFIG_ID,
          sourceTable: SOURCE_TABLE,
          replicaTable: REPLICA_TABLE,
          graceHours: String(args.graceHours),
          detailLimit: String(args.detailLimit ?? 1000),
          workgroupName: this.athena.workgroupName,
          databaseName: db,
          maxWaitMs: String(QUERY_MAX_WAIT_MS),
          pollIntervalMs: "2000",
        },
        timeout: TIMEOUT_SECONDS,
        logKeyArn: logsKey.arn,
        scheduleDescription: "cn-log-backup: daily completeness report of the replica",
        alarmDescription: "Completeness: the report could not be made (function errors or dead-lettered runs): nothing was proven",
      },
      parent,
    );
    this.reporter = reporting.reporter;
    this.failureQueue = reporting.failureQueue;

    const actions = args.alarmActions;
    const alarm = (n: string, a: Omit<aws.cloudwatch.MetricAlarmArgs, "alarmActions" | "okActions" | "tags">) =>
      new aws.cloudwatch.MetricAlarm(`${name}-${n}`, { ...a, alarmActions: actions, okActions: actions, tags }, parent);
    const reportMetric = (metricName: string, description: string) =>
      alarm(
        metricName.replace(/[A-Z]/g, (c, i) => (i ? "-" : "") + c.toLowerCase()),
        {
          alarmDescription: description,
          namespace: COMPLETENESS_METRICS_NAMESPACE,
          metricName,
          dimensions: { Bucket: args.bucketName },
          statistic: "Maximum",
          // One report a day: the alarm holds until the next one.
          period: 86400,
          evaluationPeriods: 1,
          threshold: 0,
          comparisonOperator: "GreaterThanThreshold",
          treatMissingData: "notBreaching",
        },
      );
    this.alarms = [
      reportMetric(
        "ObjectsMissingInReplica",
        "Completeness: objects of the archive older than the grace period are missing in the replica or differ (reports/completeness/)",
      ),
      reportMetric("ReplicationFailedObjects", "Completeness: objects of the archive have replication status FAILED (reports/completeness/)"),
      reporting.alarm,
    ];
    this.registerOutputs({ databaseName: db, workgroupName: this.athena.workgroupName, functionName: this.reporter.name });
  }
}
