/**
 * Amazon Athena running the completeness queries of ArchiveCompleteness, and the report writer.
 *
 * Athena has no service role here: it reads the data, writes the results and calls the Data
 * Catalog with the credentials of the caller (the reporter's role), sending aws:CalledVia =
 * athena.amazonaws.com with the S3 and Glue requests it makes on the caller's behalf; S3 then uses
 * the key through kms:ViaService with the bucket ARN as encryption context (S3 Bucket Keys on).
 * https://docs.aws.amazon.com/athena/latest/ug/security-iam-athena.html (access to S3 and the Data Catalog is the caller's)
 * https://docs.aws.amazon.com/athena/latest/ug/managed-policies.html (the S3 actions Athena uses for results)
 * https://docs.aws.amazon.com/athena/latest/ug/fine-grained-access-to-glue-resources.html (catalog, database and table ARNs per action)
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-calledvia (Athena sends aws:CalledVia)
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html (encryption context = bucket ARN)
 * The report and the rewritten symlinks are written by the function itself with PutObject SSE-KMS.
 */
import { Contract, ServiceRequest, T, World, all, identityOf, keyPolicyByArn, runsOf } from "./contract";
import { ofType } from "../../tools/harness";
import { bucketPolicyOf } from "./contract";

const IAM_ATHENA = "https://docs.aws.amazon.com/athena/latest/ug/security-iam-athena.html";
const GLUE = "https://docs.aws.amazon.com/athena/latest/ug/fine-grained-access-to-glue-resources.html";
const RESULTS = "https://docs.aws.amazon.com/athena/latest/ug/managed-policies.html";

export const athena: Contract = {
  service: "Amazon Athena (completeness queries) and the report writers",
  requests(w: World): ServiceRequest[] {
    const out: ServiceRequest[] = [];
    for (const { run, account, region } of runsOf(w)) {
      for (const wg of all(run, "aws:athena/workgroup:Workgroup", "archive-completeness-workgroup")) {
        const role = ofType(run, T.role).find((r) => r.name.includes("archive-completeness-reporter"));
        if (!role) throw new Error("athena contract: no reporter role");
        const fn = ofType(run, T.lambda).find((f) => f.name.includes("archive-completeness-reporter"))!;
        const env = fn.inputs.environment.variables;
        const bucket: string = env.bucketName;
        const bucketArn = `arn:aws-cn:s3:::${bucket}`;
        const keyArn: string = wg.inputs.configuration.resultConfiguration.encryptionConfiguration.kmsKeyArn;
        const db: string = env.databaseName;
        const asRole = { principal: role.state.arn, resourceAccount: account, identityPolicies: identityOf(run, role), doesNotSend: [] as string[] };
        const roleContext = { "aws:PrincipalArn": role.state.arn, "aws:PrincipalAccount": account, "aws:SecureTransport": "true" };
        const viaAthena = { ...roleContext, "aws:CalledVia": "athena.amazonaws.com" };
        const s3 = (title: string, action: string, key: string, source: string, via = true): ServiceRequest => ({
          ...asRole,
          title,
          action,
          resource: key ? `${bucketArn}/${key}` : bucketArn,
          sends: via ? viaAthena : roleContext,
          resourcePolicy: bucketPolicyOf(run, bucket),
          source,
        });
        const dt = "2026-12-01-01-00";
        out.push(
          s3("Athena lists the replica's inventory folders as the reporter", "s3:ListBucket", "", IAM_ATHENA),
          s3(
            "Athena reads the archive's replicated inventory data file",
            "s3:GetObject",
            `inventory/cn-log-backup-archive-0123456/completeness/data/8c8f3b2e.parquet`,
            IAM_ATHENA,
          ),
          s3("Athena reads the replica's own inventory symlink", "s3:GetObject", `inventory/${bucket}/completeness/hive/dt=${dt}/symlink.txt`, IAM_ATHENA),
          s3("Athena reads the rewritten symlink", "s3:GetObject", `reports/completeness/source-inventory/dt=${dt}/symlink.txt`, IAM_ATHENA),
          s3("Athena writes a query's results under athena-results/", "s3:PutObject", "athena-results/6d3c1a9e-0f3b-4a57-9e1c-1f6f2b0c7d11.csv", RESULTS),
          s3(
            "Athena writes a query's metadata under athena-results/",
            "s3:PutObject",
            "athena-results/6d3c1a9e-0f3b-4a57-9e1c-1f6f2b0c7d11.csv.metadata",
            RESULTS,
          ),
          s3(
            "the reporter writes the dated report",
            "s3:PutObject",
            "reports/completeness/2026-12-01.json",
            "https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html",
            false,
          ),
          s3(
            "the reporter writes the rewritten symlink",
            "s3:PutObject",
            `reports/completeness/source-inventory/dt=${dt}/symlink.txt`,
            "https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html",
            false,
          ),
          s3(
            "the reporter checks an inventory file has replicated (HeadObject)",
            "s3:GetObject",
            "inventory/cn-log-backup-archive-0123456/completeness/data/8c8f3b2e.parquet",
            "https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html",
            false,
          ),
        );
        for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
          out.push({
            ...asRole,
            title: `S3 uses the replica key (${action}) for the reporter's and Athena's objects`,
            action,
            resource: keyArn,
            sends: {
              ...roleContext,
              "kms:ViaService": `s3.${region}.amazonaws.com.cn`,
              "kms:CallerAccount": account,
              "kms:EncryptionContext:aws:s3:arn": bucketArn,
            },
            resourcePolicy: keyPolicyByArn(run, keyArn),
            source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html",
          });
        }
        for (const action of ["athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults", "athena:StopQueryExecution"]) {
          out.push({
            ...asRole,
            title: `the reporter calls ${action} in its workgroup`,
            action,
            resource: wg.state.arn,
            sends: roleContext,
            source: IAM_ATHENA,
          });
        }
        const glue = (r: string) => `arn:aws-cn:glue:${region}:${account}:${r}`;
        for (const table of [env.sourceTable, env.replicaTable]) {
          for (const action of ["glue:GetTable", "glue:BatchCreatePartition", "glue:GetPartitions"]) {
            for (const resource of [glue("catalog"), glue(`database/${db}`), glue(`table/${db}/${table}`)]) {
              out.push({
                ...asRole,
                title: `Athena calls ${action} for ${table} (${resource.split(":").pop()})`,
                action,
                resource,
                sends: viaAthena,
                source: GLUE,
              });
            }
          }
        }
      }
      // The audit-log sibling report (primary stack): Scan of the pipeline's table, PutObject SSE-KMS.
      for (const fn of ofType(run, T.lambda).filter((f) => f.name.includes("audit-log-completeness-reporter"))) {
        const role = ofType(run, T.role).find((r) => r.name.includes("audit-log-completeness-reporter"))!;
        const env = fn.inputs.environment.variables;
        const table = ofType(run, "aws:dynamodb/table:Table").find((t) => t.state.name === env.tableName || t.state.id === env.tableName)!;
        const asRole = { principal: role.state.arn, resourceAccount: account, identityPolicies: identityOf(run, role), doesNotSend: [] as string[] };
        const ctx = { "aws:PrincipalArn": role.state.arn, "aws:PrincipalAccount": account, "aws:SecureTransport": "true" };
        const tableKey: string = table.inputs.serverSideEncryption.kmsKeyArn;
        out.push(
          {
            ...asRole,
            title: "the audit report scans the pipeline's table",
            action: "dynamodb:Scan",
            resource: table.state.arn,
            sends: ctx,
            source: "https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html",
          },
          {
            ...asRole,
            title: "DynamoDB decrypts the table for the audit report",
            action: "kms:Decrypt",
            resource: tableKey,
            sends: { ...ctx, "kms:ViaService": `dynamodb.${region}.amazonaws.com.cn`, "kms:CallerAccount": account },
            resourcePolicy: keyPolicyByArn(run, tableKey),
            source: "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.usagenotes.html",
          },
          {
            ...asRole,
            title: "the audit report is written to reports/completeness/audit-logs/",
            action: "s3:PutObject",
            resource: `arn:aws-cn:s3:::${env.archiveBucketName}/reports/completeness/audit-logs/2026-12-01.json`,
            sends: ctx,
            resourcePolicy: bucketPolicyOf(run, env.archiveBucketName),
            source: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html",
          },
        );
        // A brought archive key (auditLogPipeline.archiveKmsKeyArn) is not ours to judge: its policy lives elsewhere.
        const archiveKeyPolicy = keyPolicyByArn(run, env.archiveKeyArn);
        if (archiveKeyPolicy)
          out.push({
            ...asRole,
            title: "S3 encrypts the audit report with the archive key",
            action: "kms:GenerateDataKey",
            resource: env.archiveKeyArn,
            sends: {
              ...ctx,
              "kms:ViaService": `s3.${region}.amazonaws.com.cn`,
              "kms:CallerAccount": account,
              "kms:EncryptionContext:aws:s3:arn": `arn:aws-cn:s3:::${env.archiveBucketName}`,
            },
            resourcePolicy: archiveKeyPolicy,
            source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html",
          });
      }
    }
    return out;
  },
};
