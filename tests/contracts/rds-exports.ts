/**
 * Amazon RDS snapshot export to S3: the caller of StartExportTask lets RDS create a grant on the
 * export key (kms:CreateGrant through rds.<region>, for an AWS resource), RDS assumes the export
 * role (export.rds, aws:SourceAccount) and writes under `<S3Prefix><ExportTaskIdentifier>/...`.
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ExportSnapshot.html (Setting up access to an S3 bucket; KMS key)
 * https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/export-snapshot-permissions.html
 * https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grant-is-for-aws-resource
 */
import { Contract, ServiceRequest, T, World, bucketPolicyOf, identityOf, keyPolicyByArn, maybe, principal, trustOf } from "./contract";
import { ofType } from "../../tools/harness";

const DOC = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ExportSnapshot.html";

export const rdsExports: Contract = {
  service: "Amazon RDS (snapshot export to S3)",
  requests(w: World): ServiceRequest[] {
    const out: ServiceRequest[] = [];
    const run = w.primary;
    const exportRole = maybe(run, T.role, "backup-events-export-role");
    const starter = maybe(run, T.role, "backup-events-snapshot-export-role");
    const fn = ofType(run, T.lambda).find((f) => f.name.endsWith("backup-events-snapshot-export"));
    if (!exportRole || !starter || !fn) return out;
    const env = fn.inputs.environment.variables;
    const bucket: string = env.bucketName;
    const keyArn: string = env.kmsKeyArn;
    const region = w.primaryRegion;
    const account = w.primaryAccount;
    out.push({
      title: "RDS assumes the export role",
      principal: principal("export.rds", region),
      action: "sts:AssumeRole",
      resource: exportRole.state.arn,
      resourceAccount: account,
      sends: { "aws:SourceAccount": account },
      doesNotSend: [],
      resourcePolicy: trustOf(exportRole),
      source: DOC,
    });
    const roleCtx = (arn: string) => ({ "aws:PrincipalArn": arn, "aws:PrincipalAccount": account, "aws:SecureTransport": "true" });
    const key = `${env.prefix}cn-log-backup-awsbackup-job-4ece7121/orders/orders.customers/1/part-00000-0a1b2c3d.gz.parquet`;
    out.push({
      title: `the export role writes ${key}`,
      principal: exportRole.state.arn,
      action: "s3:PutObject",
      resource: `arn:aws-cn:s3:::${bucket}/${key}`,
      resourceAccount: account,
      sends: roleCtx(exportRole.state.arn),
      doesNotSend: [],
      identityPolicies: identityOf(run, exportRole),
      resourcePolicy: bucketPolicyOf(run, bucket),
      source: DOC,
    });
    const keyPolicy = keyPolicyByArn(run, keyArn);
    out.push({
      title: "StartExportTask lets RDS create a grant on the export key",
      principal: starter.state.arn,
      action: "kms:CreateGrant",
      resource: keyArn,
      resourceAccount: account,
      sends: {
        ...roleCtx(starter.state.arn),
        "kms:ViaService": `rds.${region}.amazonaws.com.cn`,
        "kms:CallerAccount": account,
        "kms:GrantIsForAWSResource": "true",
      },
      doesNotSend: [],
      identityPolicies: identityOf(run, starter),
      resourcePolicy: keyPolicy,
      source: DOC,
      alsoDenied: [
        { why: "a grant created directly, not by RDS for an AWS resource", context: { "kms:ViaService": undefined, "kms:GrantIsForAWSResource": "false" } },
      ],
    });
    return out;
  },
};
