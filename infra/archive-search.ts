/**
 * Archive search (issue 17 item 2): Glue tables over the archive's log prefixes (partition
 * projection where the layout allows it), the auditors' named queries in the Athena workgroup, and
 * the least-privilege policy an auditor's role or group needs to run them. The Glue database and
 * the workgroup are inputs (infra/archive-athena.ts makes them); the table specs, the SQL and the
 * policy statements are plain data in ./archive-search/.
 *
 * Availability: AWS's China page for Glue lists Beijing and Ningxia
 * (https://docs.amazonaws.cn/en_us/aws/latest/userguide/glue.html); for Athena no China
 * "Getting Started" service page was found, only the China edition of the Athena guide, which
 * documents partition projection (https://docs.amazonaws.cn/en_us/athena/latest/ug/partition-projection.html)
 * under the banner that features "might vary by Region". So logArchive.archiveSearch is off by default.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument } from "./iam";
import { arn, s3Arn, viaService } from "./partition";
import { NAMED_QUERIES } from "./archive-search/queries";
import { searchStatements } from "./archive-search/policy";
import {
  SEARCH_PREFIXES,
  TABLE_NAMES,
  TableSpec,
  auditLogsTable,
  cloudTrailTable,
  exportsTable,
  firehoseTable,
  flowLogsTable,
  tableParameters,
} from "./archive-search/tables";

export interface ArchiveSearchLayout {
  /** The flow-log fields the program's Flow Logs record (infra/log-archive.ts FLOW_LOG_FIELDS). */
  readonly flowLogFields: readonly string[];
  /** Regions the trail records; undefined: no trail, no CloudTrail table. */
  readonly trailRegions?: readonly string[];
  /** How CloudWatch Logs reach the archive (logArchive.cloudWatchLogsMode, firehoseDecompression). */
  readonly cloudWatchLogs: "firehose" | "firehoseDecompressed" | "exportTask";
  /** Where AuditLogPipeline writes (`audit-logs/` of this bucket); undefined: no pipeline, no table. */
  readonly auditLogs?: {
    readonly bucketName: pulumi.Input<string>;
    readonly keyArn: pulumi.Input<string>;
    /** True when that is not the archive bucket (auditLogPipeline.archiveBucketName). */
    readonly otherBucket: boolean;
  };
}

export interface ArchiveSearchArgs {
  /** The Glue database the tables go into, and the Athena workgroup of the named queries. */
  readonly databaseName: pulumi.Input<string>;
  readonly workgroupName: pulumi.Input<string>;
  /** The archive bucket and its key. */
  readonly bucketName: pulumi.Input<string>;
  readonly keyArn: pulumi.Input<string>;
  /** Where the workgroup writes results in the archive bucket (`athena-results/`). */
  readonly resultsPrefix: string;
  /** The archive's region and account (flow-log and CloudTrail key layouts carry them). */
  readonly region: string;
  readonly accountId: pulumi.Input<string>;
  readonly layout: ArchiveSearchLayout;
  /** Stack name: the auditor policy's name is unique per stack. */
  readonly stack: string;
  readonly tags?: Record<string, string>;
}

export interface ArchiveSearch {
  readonly tables: aws.glue.CatalogTable[];
  readonly namedQueries: aws.athena.NamedQuery[];
  readonly auditorPolicy: aws.iam.Policy;
}

/** The table specs this layout has, each computed once the bucket name and account are known. */
export function searchTables(a: ArchiveSearchArgs): { name: string; table: string; spec: pulumi.Output<TableSpec>; prefix: string; audit: boolean }[] {
  const at = (f: (bucket: string, account: string) => TableSpec) => pulumi.all([a.bucketName, a.accountId]).apply(([b, acct]) => f(b, acct));
  const out = [
    {
      name: "vpc-flow-logs",
      table: TABLE_NAMES.flowLogs as string,
      spec: at((bucket, account) => flowLogsTable({ bucket, account, region: a.region, fields: a.layout.flowLogFields })),
      prefix: SEARCH_PREFIXES.flowLogs as string,
      audit: false,
    },
  ];
  const regions = a.layout.trailRegions;
  if (regions)
    out.push({
      name: "cloudtrail",
      table: TABLE_NAMES.cloudTrail,
      spec: at((bucket, account) => cloudTrailTable({ bucket, account, regions })),
      prefix: SEARCH_PREFIXES.cloudTrail,
      audit: false,
    });
  const audit = a.layout.auditLogs;
  if (audit)
    out.push({
      name: "aurora-audit-logs",
      table: TABLE_NAMES.auditLogs,
      spec: pulumi.output(audit.bucketName).apply((bucket) => auditLogsTable({ bucket })),
      prefix: SEARCH_PREFIXES.auditLogs,
      audit: true,
    });
  if (a.layout.cloudWatchLogs === "exportTask") {
    out.push({
      name: "cloudwatch-logs-exports",
      table: TABLE_NAMES.exports,
      spec: at((bucket) => exportsTable({ bucket })),
      prefix: SEARCH_PREFIXES.exports,
      audit: false,
    });
  } else {
    const decompressed = a.layout.cloudWatchLogs === "firehoseDecompressed";
    out.push({
      name: "cloudwatch-logs-firehose",
      table: TABLE_NAMES.firehose,
      spec: at((bucket) => firehoseTable({ bucket, decompressed })),
      prefix: SEARCH_PREFIXES.firehose,
      audit: false,
    });
  }
  return out;
}

/** The tables, named queries and auditor policy, as resources of `opts.parent`. */
export function archiveSearch(name: string, a: ArchiveSearchArgs, opts: { parent: pulumi.Resource }): ArchiveSearch {
  const lookup = { parent: opts.parent };
  const tables: aws.glue.CatalogTable[] = [];
  const tableArns: pulumi.Output<string>[] = [];
  const specs = searchTables(a);
  for (const t of specs) {
    const spec = t.spec;
    const table = new aws.glue.CatalogTable(
      `${name}-table-${t.name}`,
      {
        databaseName: a.databaseName,
        name: t.table,
        description: spec.description,
        tableType: "EXTERNAL_TABLE",
        parameters: spec.apply(tableParameters),
        partitionKeys: spec.partitionKeys.apply((keys) => keys.map((k) => ({ name: k.name, type: k.type }))),
        storageDescriptor: spec.apply((s) => ({
          location: s.location,
          inputFormat: s.inputFormat,
          outputFormat: s.outputFormat,
          serDeInfo: { serializationLibrary: s.serde.library, parameters: s.serde.parameters ? { ...s.serde.parameters } : undefined },
          columns: s.columns.map((c) => ({ name: c.name, type: c.type })),
        })),
      },
      opts,
    );
    tables.push(table);
    tableArns.push(arn({ service: "glue", resource: pulumi.interpolate`table/${a.databaseName}/${t.table}` }, lookup));
  }

  // The queries whose table this layout has (table names do not depend on the bucket).
  const have = new Set<string>(specs.map((t) => t.table));
  const namedQueries = NAMED_QUERIES.filter((q) => have.has(q.table)).map(
    (q) =>
      new aws.athena.NamedQuery(
        `${name}-query-${q.id}`,
        { name: q.name, description: q.description, database: a.databaseName, workgroup: a.workgroupName, query: q.sql },
        opts,
      ),
  );

  const audit = a.layout.auditLogs;
  const auditElsewhere = audit?.otherBucket === true;
  const archivePrefixes = specs.filter((t) => !(t.audit && auditElsewhere)).map((t) => t.prefix);
  const auditorPolicy = new aws.iam.Policy(
    `${name}-auditor-policy`,
    {
      name: `cn-log-backup-archive-search-${a.stack}`,
      description: "cn-log-backup: run the archive-search named queries in the workgroup (read the log prefixes, results under athena-results/)",
      policy: policyDocument(
        searchStatements({
          bucketArn: s3Arn(a.bucketName, undefined, lookup),
          prefixes: archivePrefixes,
          keyArn: a.keyArn,
          auditArchive:
            audit && auditElsewhere
              ? { bucketArn: s3Arn(audit.bucketName, undefined, lookup), keyArn: audit.keyArn, prefix: SEARCH_PREFIXES.auditLogs }
              : undefined,
          results: { bucketArn: s3Arn(a.bucketName, undefined, lookup), prefix: a.resultsPrefix },
          s3ViaService: viaService("s3", a.region, lookup),
          catalogArn: arn({ service: "glue", resource: "catalog" }, lookup),
          databaseArn: arn({ service: "glue", resource: pulumi.interpolate`database/${a.databaseName}` }, lookup),
          tableArns,
          workgroupArn: arn({ service: "athena", resource: pulumi.interpolate`workgroup/${a.workgroupName}` }, lookup),
        }),
      ),
      tags: a.tags,
    },
    opts,
  );
  return { tables, namedQueries, auditorPolicy };
}
