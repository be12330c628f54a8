/**
 * Amazon S3 Inventory delivering a bucket's daily inventory into the destination bucket: the S3
 * service principal writes the manifest, the checksum, the Hive symlink and the data files under
 * `<prefix>/<source-bucket>/<config-id>/` with aws:SourceAccount, aws:SourceArn = the source bucket
 * and the bucket-owner-full-control ACL, and generates the SSE-KMS data keys with the key the
 * configuration names, with the same source keys.
 * https://docs.amazonaws.cn/en_us/AmazonS3/latest/userguide/configure-inventory.html (destination bucket policy, key policy)
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html#example-bucket-policies-s3-inventory-1
 * https://docs.amazonaws.cn/en_us/AmazonS3/latest/userguide/storage-inventory-location.html (key layout)
 */
import { Contract, ServiceRequest, World, all, bucketOfArn, bucketPolicyOf, keyPolicyByArn, runsOf } from "./contract";

const SETUP = "https://docs.amazonaws.cn/en_us/AmazonS3/latest/userguide/configure-inventory.html";
const LAYOUT = "https://docs.amazonaws.cn/en_us/AmazonS3/latest/userguide/storage-inventory-location.html";

export const s3Inventory: Contract = {
  service: "Amazon S3 Inventory (report delivery)",
  requests(w: World): ServiceRequest[] {
    const out: ServiceRequest[] = [];
    for (const { run, account } of runsOf(w)) {
      for (const inv of all(run, "aws:s3/inventory:Inventory")) {
        const source: string = inv.inputs.bucket;
        const sourceArn = `arn:aws-cn:s3:::${source}`;
        const dest = inv.inputs.destination.bucket;
        const destBucket = bucketOfArn(dest.bucketArn);
        const base = `${dest.prefix ? `${dest.prefix}/` : ""}${source}/${inv.inputs.name}`;
        const from = { "aws:SourceAccount": account, "aws:SourceArn": sourceArn };
        const otherSource = { why: "for another bucket of the account", context: { "aws:SourceArn": "arn:aws-cn:s3:::someone-elses-bucket" } };
        // What S3 presents, as AWS's China S3 guide prints it: "Service": "s3.amazonaws.com".
        const common = { principal: "s3.amazonaws.com", resourceAccount: account, doesNotSend: [], source: SETUP, alsoDenied: [otherSource] };
        const keys = [
          `${base}/2026-12-01T01-00Z/manifest.json`,
          `${base}/2026-12-01T01-00Z/manifest.checksum`,
          `${base}/hive/dt=2026-12-01-01-00/symlink.txt`,
          `${base}/data/8c8f3b2e-0d7a-4c1e-9a55-2f0e6f1d3b7a.parquet`,
        ];
        for (const key of keys) {
          out.push({
            ...common,
            title: `inventory ${inv.name} writes ${key.slice(base.length + 1)}`,
            action: "s3:PutObject",
            resource: `${dest.bucketArn}/${key}`,
            resourcePolicy: bucketPolicyOf(run, destBucket),
            sends: { ...from, "aws:SecureTransport": "true", "s3:x-amz-acl": "bucket-owner-full-control" },
            source: key.includes("/data/") ? LAYOUT : SETUP,
          });
        }
        const keyArn: string | undefined = dest.encryption?.sseKms?.keyId;
        if (keyArn) {
          out.push({
            ...common,
            title: `inventory ${inv.name} encrypts its reports`,
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
