/**
 * What an auditor needs to run the named queries, and nothing more: the statements of the
 * customer-managed policy infra/archive-search.ts creates for auditors' roles or groups.
 *
 * Athena runs a query with the caller's own credentials: it reads the Glue tables and the S3
 * objects, and writes the results, as the caller (forward access sessions); S3 decrypts SSE-KMS
 * objects and encrypts the results with the archive key on the caller's behalf, so the key
 * permissions carry kms:ViaService = S3 in the region.
 * https://docs.aws.amazon.com/athena/latest/ug/security-iam-athena.html,
 * https://docs.aws.amazon.com/athena/latest/ug/encryption.html (SSE-KMS data: kms:Decrypt; SSE-KMS
 * results: kms:GenerateDataKey), https://docs.aws.amazon.com/athena/latest/ug/fine-grained-access-to-glue-resources.html
 * (glue:GetDatabase/GetTable/GetPartitions on catalog, database and table ARNs),
 * https://docs.aws.amazon.com/athena/latest/ug/example-policies-workgroup.html (workgroup-scoped actions).
 *
 * Not included: the console's list calls (athena:ListWorkGroups, ListDataCatalogs, glue:GetDatabases
 * on the whole catalog); they take no resource-level scope (README shows them as an optional add-on).
 */
import * as pulumi from "@pulumi/pulumi";
import { PolicyStatement } from "../iam";

export interface SearchAccess {
  /** The archive bucket's ARN and the prefixes the tables read (`flow-logs/`, ...). */
  readonly bucketArn: pulumi.Input<string>;
  readonly prefixes: readonly string[];
  /** The archive key (SSE-KMS of the data and of the results). */
  readonly keyArn: pulumi.Input<string>;
  /** Another bucket the audit logs live in (auditLogPipeline.archiveBucketName), with its key. */
  readonly auditArchive?: { readonly bucketArn: pulumi.Input<string>; readonly keyArn: pulumi.Input<string>; readonly prefix: string };
  /** Where the workgroup writes results: bucket ARN and prefix (`athena-results/`). */
  readonly results: { readonly bucketArn: pulumi.Input<string>; readonly prefix: string };
  /** `s3.<region>.amazonaws.com.cn`. */
  readonly s3ViaService: pulumi.Input<string>;
  /** Glue ARNs: the catalog, the database and each table. */
  readonly catalogArn: pulumi.Input<string>;
  readonly databaseArn: pulumi.Input<string>;
  readonly tableArns: pulumi.Input<string>[];
  readonly workgroupArn: pulumi.Input<string>;
}

/** Athena calls an auditor makes in the workgroup (start, watch, read, stop; the saved queries). */
export const ATHENA_QUERY_ACTIONS = [
  "athena:StartQueryExecution",
  "athena:StopQueryExecution",
  "athena:GetQueryExecution",
  "athena:GetQueryResults",
  "athena:BatchGetQueryExecution",
  "athena:ListQueryExecutions",
  "athena:GetWorkGroup",
  "athena:GetNamedQuery",
  "athena:BatchGetNamedQuery",
  "athena:ListNamedQueries",
] as const;

/** Glue catalog reads Athena makes as the caller. */
export const GLUE_READ_ACTIONS = ["glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:GetPartition", "glue:GetPartitions"] as const;

export function searchStatements(a: SearchAccess): PolicyStatement[] {
  // Through S3 only, and only for objects of that bucket (S3 Bucket Keys: the context is the bucket ARN).
  const via = (bucketArn: pulumi.Input<string>) => ({
    StringEquals: { "kms:ViaService": a.s3ViaService },
    ArnLike: { "kms:EncryptionContext:aws:s3:arn": [bucketArn, pulumi.interpolate`${bucketArn}/*`] },
  });
  const statements: PolicyStatement[] = [
    {
      Sid: "ListArchivePrefixes",
      Effect: "Allow",
      Action: ["s3:ListBucket", "s3:GetBucketLocation"],
      Resource: [a.bucketArn],
      Condition: { StringLike: { "s3:prefix": [...a.prefixes.map((p) => `${p}*`), `${a.results.prefix}*`] } },
    },
    {
      Sid: "ReadArchivePrefixes",
      Effect: "Allow",
      Action: ["s3:GetObject"],
      Resource: a.prefixes.map((p) => pulumi.interpolate`${a.bucketArn}/${p}*`),
    },
    {
      Sid: "WriteQueryResults",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
      Resource: [pulumi.interpolate`${a.results.bucketArn}/${a.results.prefix}*`],
    },
    { Sid: "DecryptArchiveViaS3", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: [a.keyArn], Condition: via(a.bucketArn) },
    { Sid: "ReadSearchTables", Effect: "Allow", Action: [...GLUE_READ_ACTIONS], Resource: [a.catalogArn, a.databaseArn, ...a.tableArns] },
    { Sid: "QueryInTheWorkgroup", Effect: "Allow", Action: [...ATHENA_QUERY_ACTIONS], Resource: [a.workgroupArn] },
  ];
  if (a.auditArchive) {
    statements.push(
      {
        Sid: "ListAuditArchive",
        Effect: "Allow",
        Action: ["s3:ListBucket", "s3:GetBucketLocation"],
        Resource: [a.auditArchive.bucketArn],
        Condition: { StringLike: { "s3:prefix": [`${a.auditArchive.prefix}*`] } },
      },
      {
        Sid: "ReadAuditArchive",
        Effect: "Allow",
        Action: ["s3:GetObject"],
        Resource: [pulumi.interpolate`${a.auditArchive.bucketArn}/${a.auditArchive.prefix}*`],
      },
      {
        Sid: "DecryptAuditArchiveViaS3",
        Effect: "Allow",
        Action: ["kms:Decrypt"],
        Resource: [a.auditArchive.keyArn],
        Condition: via(a.auditArchive.bucketArn),
      },
    );
  }
  return statements;
}
