/**
 * Amazon Athena and AWS Glue reading the archive (logArchive.archiveSearch). Athena runs a query
 * with the caller's own credentials (forward access sessions: the S3 and Glue requests are the
 * caller's, with aws:CalledVia = athena.amazonaws.com), so the caller here is an auditor's role
 * with the policy the stack creates: it starts the query in the workgroup, Athena reads the
 * table (and its partitions) from Glue, lists and reads the table's prefix, S3 decrypts the
 * objects with the archive key (kms:ViaService = S3 in the region, encryption context the bucket:
 * bucket keys), and writes the results under athena-results/ encrypted with the same key.
 * https://docs.aws.amazon.com/athena/latest/ug/security-iam-athena.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_forward_access_sessions.html
 * https://docs.aws.amazon.com/athena/latest/ug/fine-grained-access-to-glue-resources.html
 * https://docs.aws.amazon.com/athena/latest/ug/encryption.html
 */
import { Contract, Denied, ServiceRequest, T, World, all, arnCn, bucketPolicyOf, keyPolicyByArn } from "./contract";
import { ofType, policyOf } from "../../tools/harness";

const ATHENA_IAM = "https://docs.aws.amazon.com/athena/latest/ug/security-iam-athena.html";
const GLUE = "https://docs.aws.amazon.com/athena/latest/ug/fine-grained-access-to-glue-resources.html";
const FAS = "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_forward_access_sessions.html";
const KMS = "https://docs.aws.amazon.com/athena/latest/ug/encryption.html";

/** An object under each table location, in the layout its writer uses. */
function sampleKey(location: string, account: string, region: string): string {
  if (location.includes("/flow-logs/"))
    return `year=2026/month=12/day=01/hour=09/${account}_vpcflowlogs_${region}_fl-0123456789abcdef0_20261201T0900Z_4a5b6c7d.log.parquet`;
  if (location.includes("/CloudTrail/")) return `${region}/2026/12/01/${account}_CloudTrail_${region}_20261201T0210Z_Mu0KsOhtH1ar15ZZ.json.gz`;
  if (location.includes("/audit-logs/")) return "orders-1/audit/audit.log.0.2026-12-01-10-00.1";
  if (location.includes("/cloudwatch/logs/")) return "year=2026/month=12/day=01/hour=09/log-archive-cloudwatch-1-2026-12-01-09-00-00-0a1b2c3d.gz";
  return "aws_rds_cluster_orders_audit/2026/12/01/07/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/orders-1/000000.gz";
}

export const athenaSearch: Contract = {
  service: "Amazon Athena / AWS Glue (archive search, as the auditor)",
  requests(w: World): ServiceRequest[] {
    const run = w.primary;
    const policy = all(run, "aws:iam/policy:Policy", "archive-search-auditor-policy")[0];
    if (!policy) return [];
    const query = all(run, "aws:athena/namedQuery:NamedQuery")[0];
    if (!query) throw new Error("athena contract: an auditor policy but no named query");
    const [account, region] = [w.primaryAccount, w.primaryRegion];
    const workgroupArn = arnCn("athena", region, account, `workgroup/${query.inputs.workgroup}`);
    const db: string = query.inputs.database;
    const principal = `arn:aws-cn:iam::${account}:role/auditor`;
    const ctx = { "aws:PrincipalArn": principal, "aws:PrincipalAccount": account, "aws:SecureTransport": "true" };
    const viaAthena = { ...ctx, "aws:CalledVia": ["athena.amazonaws.com"], "aws:ViaAWSService": "true" };
    const asAuditor = { principal, identityPolicies: [policyOf(policy)], doesNotSend: [] as string[], resourceAccount: account };
    const out: ServiceRequest[] = [];
    const otherWorkgroup: Denied = { why: "in another workgroup", resource: arnCn("athena", region, account, "workgroup/primary") };
    for (const action of ["athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults", "athena:GetNamedQuery"]) {
      out.push({
        ...asAuditor,
        title: `the auditor calls ${action} in the workgroup`,
        action,
        resource: workgroupArn,
        sends: ctx,
        source: ATHENA_IAM,
        alsoDenied: [otherWorkgroup],
      });
    }

    const glue = (resource: string) => arnCn("glue", region, account, resource);
    const otherDb: Denied = { why: "on another database's table", resource: glue("table/finance/payroll") };
    for (const table of all(run, T.table)) {
      const name: string = table.inputs.name;
      for (const action of ["glue:GetTable", "glue:GetPartitions"]) {
        for (const resource of [glue("catalog"), glue(`database/${db}`), glue(`table/${db}/${name}`)]) {
          out.push({
            ...asAuditor,
            title: `Athena reads ${name} from Glue as the auditor (${action} on ${resource.split(":").pop()})`,
            action,
            resource,
            sends: viaAthena,
            source: GLUE,
            alsoDenied: [otherDb],
          });
        }
      }
      const location: string = table.inputs.storageDescriptor.location;
      const [bucket, ...rest] = location.replace(/^s3:\/\//, "").split("/");
      const prefix = rest.join("/");
      const bucketArn = `arn:aws-cn:s3:::${bucket}`;
      const bucketPolicy = bucketPolicyOf(run, bucket);
      out.push({
        ...asAuditor,
        title: `Athena lists ${prefix}`,
        action: "s3:ListBucket",
        resource: bucketArn,
        resourcePolicy: bucketPolicy,
        sends: { ...viaAthena, "s3:prefix": prefix },
        source: FAS,
        alsoDenied: [{ why: "for the export cursor under state/", context: { "s3:prefix": "state/" } }],
      });
      out.push({
        ...asAuditor,
        title: `Athena reads an object of ${name}`,
        action: "s3:GetObject",
        resource: `${bucketArn}/${prefix}${sampleKey(location, account, region)}`,
        resourcePolicy: bucketPolicy,
        sends: viaAthena,
        source: FAS,
        alsoDenied: [{ why: "for the export cursor under state/", resource: `${bucketArn}/state/log-archive/export-cursor.json` }],
      });
    }

    // Decrypting through S3, and writing results, with the archive key.
    const archiveBucket = ofType(run, T.bucket).find((b) => b.name.endsWith("log-archive-archive"));
    const keyArn: string | undefined = ofType(run, T.key).find((k) => k.name.endsWith("log-archive-archive-key"))?.state.arn;
    if (archiveBucket && keyArn) {
      const bucketArn: string = archiveBucket.state.arn;
      const direct: Denied = {
        why: "outside S3 (a direct KMS call)",
        context: { "kms:ViaService": undefined, "aws:CalledVia": undefined, "aws:ViaAWSService": undefined },
      };
      const otherBucket: Denied = {
        why: "for another bucket's objects",
        context: { "kms:EncryptionContext:aws:s3:arn": "arn:aws-cn:s3:::someone-elses-bucket" },
      };
      for (const action of ["kms:Decrypt", "kms:GenerateDataKey"]) {
        out.push({
          ...asAuditor,
          title: `S3 uses the archive key for the auditor (${action})`,
          action,
          resource: keyArn,
          resourcePolicy: keyPolicyByArn(run, keyArn),
          sends: {
            ...viaAthena,
            "kms:ViaService": `s3.${region}.amazonaws.com.cn`,
            "kms:CallerAccount": account,
            "kms:EncryptionContext:aws:s3:arn": bucketArn,
          },
          source: KMS,
          alsoDenied: [direct, otherBucket],
        });
      }
      out.push({
        ...asAuditor,
        title: "Athena writes the query results under athena-results/",
        action: "s3:PutObject",
        resource: `${bucketArn}/athena-results/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0.csv`,
        resourcePolicy: bucketPolicyOf(run, archiveBucket.state.bucket),
        sends: { ...viaAthena, "s3:x-amz-server-side-encryption": "aws:kms" },
        source: ATHENA_IAM,
        alsoDenied: [{ why: "into a log prefix", resource: `${bucketArn}/cloudtrail/AWSLogs/${account}/CloudTrail/${region}/2026/12/01/forged.json.gz` }],
      });
    }
    return out;
  },
};
