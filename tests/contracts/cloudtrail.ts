/**
 * AWS CloudTrail delivering a trail's log and digest files to S3 and encrypting them with the
 * trail's KMS key: aws:SourceArn = the trail's ARN (home region), aws:SourceAccount, the
 * bucket-owner-full-control ACL, and the encryption context aws:cloudtrail:arn = the trail ARN.
 * A multi-region trail delivers every region's files under `AWSLogs/<account>/CloudTrail/<region>/`.
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
 * https://docs.aws.amazon.com/awscloudtrail/latest/userguide/get-and-view-cloudtrail-log-files.html (file name format)
 */
import { Contract, ServiceRequest, T, World, all, arnCn, bucketPolicyOf, keyPolicyByArn, principal, runsOf } from "./contract";

const BUCKET = "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html";
const KEY = "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html";

export const cloudtrail: Contract = {
  service: "AWS CloudTrail (trail delivery)",
  requests(w: World): ServiceRequest[] {
    const out: ServiceRequest[] = [];
    for (const { run, account, region } of runsOf(w)) {
      const ct = principal("cloudtrail", region);
      for (const trail of all(run, T.trail)) {
        const trailArn = arnCn("cloudtrail", region, account, `trail/${trail.inputs.name}`);
        const from = { "aws:SourceArn": trailArn, "aws:SourceAccount": account };
        const bucket: string = trail.inputs.s3BucketName;
        const prefix = trail.inputs.s3KeyPrefix ? `${trail.inputs.s3KeyPrefix}/` : "";
        const regions = trail.inputs.isMultiRegionTrail ? [w.primaryRegion, w.backupRegion] : [region];
        const bucketPolicy = bucketPolicyOf(run, bucket);
        const common = { principal: ct, resourceAccount: account, doesNotSend: [], source: BUCKET };
        out.push({
          ...common,
          title: `trail ${trail.name} checks the bucket ACL`,
          action: "s3:GetBucketAcl",
          resource: `arn:aws-cn:s3:::${bucket}`,
          resourcePolicy: bucketPolicy,
          sends: from,
        });
        for (const r of regions) {
          for (const kind of ["CloudTrail", "CloudTrail-Digest"]) {
            const file =
              kind === "CloudTrail"
                ? `${account}_CloudTrail_${r}_20261201T0905Z_AbCdEfGh12345678.json.gz`
                : `${account}_CloudTrail-Digest_${r}_${trail.inputs.name}_${region}_20261201T090000Z.json.gz`;
            const key = `${prefix}AWSLogs/${account}/${kind}/${r}/2026/12/01/${file}`;
            out.push({
              ...common,
              title: `trail ${trail.name} writes ${key}`,
              action: "s3:PutObject",
              resource: `arn:aws-cn:s3:::${bucket}/${key}`,
              resourcePolicy: bucketPolicy,
              sends: { ...from, "s3:x-amz-acl": "bucket-owner-full-control" },
              alsoDenied: [
                { why: "for another trail of the account", context: { "aws:SourceArn": arnCn("cloudtrail", region, account, "trail/someone-elses") } },
              ],
            });
          }
        }
        const keyArn: string | undefined = trail.inputs.kmsKeyId;
        if (keyArn) {
          const keyPolicy = keyPolicyByArn(run, keyArn);
          out.push(
            {
              ...common,
              title: `trail ${trail.name} encrypts its log files`,
              action: "kms:GenerateDataKey",
              resource: keyArn,
              resourcePolicy: keyPolicy,
              sends: { ...from, "kms:EncryptionContext:aws:cloudtrail:arn": trailArn },
              source: KEY,
              alsoDenied: [
                {
                  why: "for another trail of the account",
                  context: {
                    "aws:SourceArn": arnCn("cloudtrail", region, account, "trail/someone-elses"),
                    "kms:EncryptionContext:aws:cloudtrail:arn": arnCn("cloudtrail", region, account, "trail/someone-elses"),
                  },
                },
              ],
            },
            {
              ...common,
              title: `trail ${trail.name} describes its key`,
              action: "kms:DescribeKey",
              resource: keyArn,
              resourcePolicy: keyPolicy,
              sends: from,
              source: KEY,
            },
          );
        }
      }
    }
    return out;
  },
};
