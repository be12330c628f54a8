/**
 * Amazon CloudWatch Logs acting on our resources:
 * - encrypting a log group with its KMS key: the regional principal logs.<region>.amazonaws.com.cn
 *   with the encryption context aws:logs:arn = the log group's ARN (no source keys documented).
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 * - a subscription filter to Firehose: CloudWatch Logs assumes the filter's role with
 *   aws:SourceArn `arn:aws-cn:logs:<region>:<account>:...` and aws:SourceAccount.
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html#FirehoseExample
 * - an export task to S3: s3:GetBucketAcl and s3:PutObject under the task's prefix (first a test
 *   object `aws-logs-write-test`), the bucket key for SSE-KMS, with aws:SourceAccount and
 *   aws:SourceArn = the log group's ARN.
 *   https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/S3ExportTasks.html
 */
import { Contract, ServiceRequest, T, World, all, arnCn, bucketPolicyOf, identityOf, keyPolicyByArn, principal, runsOf, trustOf } from "./contract";
import { ofType } from "../../tools/harness";

const KMS = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html";
const SUBSCRIPTION = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/SubscriptionFilters.html#FirehoseExample";
const EXPORT = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/S3ExportTasks.html";

export const logs: Contract = {
  service: "Amazon CloudWatch Logs",
  requests(w: World): ServiceRequest[] {
    const out: ServiceRequest[] = [];
    for (const { run, account, region } of runsOf(w)) {
      const lp = principal("logs", region);
      for (const lg of all(run, T.logGroup)) {
        const keyArn: string | undefined = lg.inputs.kmsKeyId;
        if (!keyArn) continue;
        const lgArn = arnCn("logs", region, account, `log-group:${lg.inputs.name ?? lg.state.name}`);
        for (const action of ["kms:GenerateDataKey", "kms:Decrypt"]) {
          out.push({
            title: `CloudWatch Logs: ${action} for log group ${lg.name}`,
            principal: lp,
            action,
            resource: keyArn,
            resourceAccount: account,
            sends: { "kms:EncryptionContext:aws:logs:arn": lgArn },
            doesNotSend: ["aws:SourceAccount", "aws:SourceArn"],
            resourcePolicy: keyPolicyByArn(run, keyArn),
            source: KMS,
          });
        }
      }
      const someGroup = arnCn("logs", region, account, "log-group:/aws/rds/cluster/orders/audit:*");
      for (const filter of all(run, T.subscriptionFilter)) {
        const roleArn: string | undefined = filter.inputs.roleArn;
        const role = roleArn ? ofType(run, T.role).find((r) => r.state.arn === roleArn) : undefined;
        if (!role) continue;
        out.push({
          title: `subscription filter ${filter.name}: CloudWatch Logs assumes its role`,
          principal: lp,
          action: "sts:AssumeRole",
          resource: role.state.arn,
          resourceAccount: account,
          sends: { "aws:SourceAccount": account, "aws:SourceArn": someGroup },
          doesNotSend: [],
          resourcePolicy: trustOf(role),
          source: SUBSCRIPTION,
        });
        out.push({
          title: `subscription filter ${filter.name}: the role puts records into ${filter.inputs.destinationArn}`,
          principal: role.state.arn,
          action: "firehose:PutRecordBatch",
          resource: filter.inputs.destinationArn,
          resourceAccount: account,
          sends: { "aws:PrincipalArn": role.state.arn, "aws:PrincipalAccount": account, "aws:SecureTransport": "true" },
          doesNotSend: [],
          identityPolicies: identityOf(run, role),
          source: SUBSCRIPTION,
        });
        break; // one filter per role is enough: they share the role and its policy
      }
      // Export tasks: the exporter function starts them into the archive's exports/ prefix.
      const exporter = ofType(run, T.lambda).find((f) => f.name.endsWith("log-archive-exporter"));
      const bucket: string | undefined = exporter?.inputs.environment?.variables?.archiveBucketName;
      if (exporter && bucket) {
        const from = { "aws:SourceAccount": account, "aws:SourceArn": someGroup };
        const bucketPolicy = bucketPolicyOf(run, bucket);
        const common = { principal: lp, resourceAccount: account, doesNotSend: [], source: EXPORT, resourcePolicy: bucketPolicy };
        out.push(
          { ...common, title: "export task checks the bucket ACL", action: "s3:GetBucketAcl", resource: `arn:aws-cn:s3:::${bucket}`, sends: from },
          {
            ...common,
            title: "export task writes its test object",
            action: "s3:PutObject",
            resource: `arn:aws-cn:s3:::${bucket}/exports/cloudwatch-logs/aws-logs-write-test`,
            sends: { ...from, "s3:x-amz-acl": "bucket-owner-full-control" },
          },
        );
        const keyRec = ofType(run, T.key).find((k) => k.name.endsWith("log-archive-archive-key"));
        if (keyRec) {
          out.push({
            ...common,
            title: "export task encrypts with the bucket key",
            action: "kms:GenerateDataKey",
            resource: keyRec.state.arn,
            resourcePolicy: keyPolicyByArn(run, keyRec.state.arn),
            sends: from,
          });
        }
      }
    }
    return out;
  },
};
