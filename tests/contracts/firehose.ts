/**
 * Amazon Data Firehose delivering to S3: it assumes the stream's role (sts:ExternalId = the
 * account id is the documented guard), then with the role writes objects under the stream's
 * prefix and encrypts them with the bucket key through S3 (encryption context aws:s3:arn = the
 * bucket's ARN with S3 Bucket Keys).
 * https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-s3
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html#bucket-key-encryption-context (context with bucket keys)
 */
import { Contract, ServiceRequest, T, World, all, bucketOfArn, bucketPolicyOf, identityOf, keyPolicyByArn, principal, runsOf, trustOf } from "./contract";
import { ofType } from "../../tools/harness";

const DOC = "https://docs.aws.amazon.com/firehose/latest/dev/controlling-access.html#using-iam-s3";

export const firehose: Contract = {
  service: "Amazon Data Firehose (S3 destination)",
  requests(w: World): ServiceRequest[] {
    const out: ServiceRequest[] = [];
    for (const { run, account, region } of runsOf(w)) {
      for (const stream of all(run, T.firehose)) {
        const s3 = stream.inputs.extendedS3Configuration;
        const role = ofType(run, T.role).find((r) => r.state.arn === s3.roleArn);
        if (!role) throw new Error(`firehose contract: no role ${s3.roleArn}`);
        out.push({
          title: `stream ${stream.name} assumes its role`,
          principal: principal("firehose", region),
          action: "sts:AssumeRole",
          resource: role.state.arn,
          resourceAccount: account,
          sends: { "sts:ExternalId": account },
          doesNotSend: [],
          resourcePolicy: trustOf(role),
          source: DOC,
        });
        const bucket = bucketOfArn(s3.bucketArn);
        const key = `${String(s3.prefix)
          .replace(/!\{timestamp:yyyy\}/, "2026")
          .replace(/!\{timestamp:MM\}/, "12")
          .replace(/!\{timestamp:dd\}/, "01")
          .replace(/!\{timestamp:HH\}/, "09")}${stream.state.name}-1-2026-12-01-09-05-00-0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d.gz`;
        const asRole = { principal: role.state.arn, resourceAccount: account, identityPolicies: identityOf(run, role), doesNotSend: [], source: DOC };
        const ctx = { "aws:PrincipalArn": role.state.arn, "aws:PrincipalAccount": account, "aws:SecureTransport": "true" };
        out.push({
          ...asRole,
          title: `stream ${stream.name} writes ${key}`,
          action: "s3:PutObject",
          resource: `arn:aws-cn:s3:::${bucket}/${key}`,
          sends: ctx,
          resourcePolicy: bucketPolicyOf(run, bucket),
        });
        if (s3.kmsKeyArn) {
          out.push({
            ...asRole,
            title: `stream ${stream.name}: S3 encrypts the object with the bucket key`,
            action: "kms:GenerateDataKey",
            resource: s3.kmsKeyArn,
            sends: {
              ...ctx,
              "kms:ViaService": `s3.${region}.amazonaws.com.cn`,
              "kms:CallerAccount": account,
              "kms:EncryptionContext:aws:s3:arn": s3.bucketArn,
            },
            resourcePolicy: keyPolicyByArn(run, s3.kmsKeyArn),
          });
        }
      }
    }
    return out;
  },
};
