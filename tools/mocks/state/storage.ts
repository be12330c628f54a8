/** Resource state the provider returns for S3 buckets, DynamoDB tables, SQS queues and SNS topics: names, ARNs and URLs as AWS gives them in aws-cn. */
import { DNS_SUFFIX, PARTITION } from "../aws-cn";
import type { StateRules } from "./context";

export const storageState: StateRules = {
  "aws:s3/bucket:Bucket": ({ name, inputs, region, suffix }) => {
    const bucket = (inputs.bucket as string | undefined) ?? `${name}-${suffix}`.toLowerCase().slice(0, 63);
    return {
      id: bucket,
      state: {
        bucket,
        arn: `arn:${PARTITION}:s3:::${bucket}`,
        bucketDomainName: `${bucket}.s3.${DNS_SUFFIX}`,
        bucketRegionalDomainName: `${bucket}.s3.${region}.${DNS_SUFFIX}`,
        region,
        hostedZoneId: region === "cn-north-1" ? "Z5CN8UMXT92WN" : "Z282HJ1KT0DH03",
      },
      knownInPreview: inputs.bucket ? { bucket } : {},
      idUnknownInPreview: !inputs.bucket,
    };
  },
  "aws:sqs/queue:Queue": ({ name, inputs, region, acct, suffix, arnOf }) => {
    const n = (inputs.name as string | undefined) ?? `${name}-${suffix}${inputs.fifoQueue ? ".fifo" : ""}`;
    const url = `https://sqs.${region}.${DNS_SUFFIX}/${acct}/${n}`;
    return { id: url, state: { name: n, url, arn: arnOf("sqs", n) }, knownInPreview: {}, idUnknownInPreview: true };
  },
  "aws:sns/topic:Topic": ({ autoname, arnOf }) => {
    const n = autoname(256);
    const arn = arnOf("sns", n);
    return { id: arn, state: { name: n, arn }, knownInPreview: {}, idUnknownInPreview: true };
  },
  "aws:dynamodb/table:Table": ({ inputs, autoname, arnOf }) => {
    const n = autoname(255);
    const arn = arnOf("dynamodb", `table/${n}`);
    return {
      id: n,
      state: { name: n, arn, streamArn: inputs.streamEnabled ? `${arn}/stream/2026-11-22T00:00:00.000` : undefined, streamLabel: "2026-11-22T00:00:00.000" },
      knownInPreview: {},
    };
  },
};
