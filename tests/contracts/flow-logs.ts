/**
 * VPC Flow Logs delivered to S3 by the log delivery service (delivery.logs): it checks the bucket
 * (s3:GetBucketAcl, s3:ListBucket), writes objects with the bucket-owner-full-control ACL and,
 * for an SSE-KMS bucket, uses the bucket's key, always with aws:SourceAccount and aws:SourceArn
 * (`arn:aws-cn:logs:<region>:<account>:*`).
 *
 * Object keys: `<prefix>/AWSLogs/<account>/vpcflowlogs/<region>/<yyyy>/<mm>/<dd>/...`; with
 * Hive-compatible partitions `<prefix>/AWSLogs/aws-account-id=<account>/aws-service=vpcflowlogs/
 * aws-region=<region>/year=<yyyy>/month=<mm>/day=<dd>/[hour=<hh>/]...`.
 * https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3.html (Flow log files; Amazon S3 bucket permissions for flow logs; Required key policy for use with SSE-KMS)
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-and-resource-policy.html#AWS-logs-infrastructure-S3
 */
import { Contract, ServiceRequest, T, World, all, arnCn, bucketOfArn, bucketPolicyOf, keyPolicyByArn, principal, runsOf } from "./contract";
import { ofType } from "../../tools/harness";

const DOC = "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3.html";

export const flowLogs: Contract = {
  service: "VPC Flow Logs (log delivery to S3)",
  requests(w: World): ServiceRequest[] {
    const out: ServiceRequest[] = [];
    for (const { run, account, region } of runsOf(w)) {
      const delivery = principal("delivery.logs", region);
      const from = { "aws:SourceAccount": account, "aws:SourceArn": arnCn("logs", region, account, "*") };
      for (const fl of all(run, T.flowLog)) {
        if (fl.inputs.logDestinationType !== "s3") continue;
        const destination: string = fl.inputs.logDestination;
        const bucket = bucketOfArn(destination);
        const prefix = destination.replace(/^arn:aws-cn:s3:::[^/]+\/?/, "");
        const o = fl.inputs.destinationOptions ?? {};
        const ext = o.fileFormat === "parquet" ? "log.parquet" : "log.gz";
        const file = `${account}_vpcflowlogs_${region}_${fl.id}_20261201T0905Z_1a2b3c4d.${ext}`;
        const key = o.hiveCompatiblePartitions
          ? `${prefix}AWSLogs/aws-account-id=${account}/aws-service=vpcflowlogs/aws-region=${region}/year=2026/month=12/day=01/${o.perHourPartition ? "hour=09/" : ""}${file}`
          : `${prefix}AWSLogs/${account}/vpcflowlogs/${region}/2026/12/01/${o.perHourPartition ? "09/" : ""}${file}`;
        const bucketPolicy = bucketPolicyOf(run, bucket);
        const common = { principal: delivery, resourceAccount: account, resourcePolicy: bucketPolicy, doesNotSend: [], source: DOC };
        out.push(
          {
            ...common,
            title: `flow log ${fl.name} checks the bucket ACL`,
            action: "s3:GetBucketAcl",
            resource: `arn:aws-cn:s3:::${bucket}`,
            sends: { ...from, "aws:SecureTransport": "true" },
          },
          {
            ...common,
            title: `flow log ${fl.name} lists the bucket`,
            action: "s3:ListBucket",
            resource: `arn:aws-cn:s3:::${bucket}`,
            sends: { ...from, "aws:SecureTransport": "true" },
          },
          {
            ...common,
            title: `flow log ${fl.name} writes ${key}`,
            action: "s3:PutObject",
            resource: `arn:aws-cn:s3:::${bucket}/${key}`,
            sends: { ...from, "aws:SecureTransport": "true", "s3:x-amz-acl": "bucket-owner-full-control" },
          },
        );
        const bucketRec = ofType(run, T.bucket).find((b) => b.state.bucket === bucket);
        const sse = ofType(run, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").find(
          (e) => e.inputs.bucket === bucketRec?.state.bucket,
        );
        const keyArn: string | undefined = sse?.inputs.rules?.[0]?.applyServerSideEncryptionByDefault?.kmsMasterKeyId;
        if (keyArn) {
          out.push({
            ...common,
            title: `flow log ${fl.name}: the delivery encrypts with the bucket's key`,
            action: "kms:GenerateDataKey",
            resource: keyArn,
            resourcePolicy: keyPolicyByArn(run, keyArn),
            sends: from,
          });
        }
      }
    }
    return out;
  },
};
