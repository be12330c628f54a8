/**
 * Every S3 bucket's default encryption is SSE-KMS with a customer-managed key and S3 Bucket Keys on.
 * A stack policy: in provider v7 the setting is a separate resource pointing at the bucket (lib/s3-bucket.ts).
 */
import { PolicyResource } from "@pulumi/policy";
import { fsbp } from "../lib/controls";
import {
  allowListSchema,
  BUCKET_TYPES,
  CMK_TYPES,
  dependsOnType,
  describe,
  isAwsManagedKeyRef,
  MANDATORY,
  onAllowList,
  read,
  T,
  validateStackOf,
} from "../lib/kit";
import { PackStackPolicy } from "../lib/meta";
import { attachedTo, bucketsOf, physicalName } from "../lib/s3-bucket";

export interface S3EncryptionConfig {
  /** Buckets (logical or physical names) where AWS requires SSE-S3, e.g. server access log targets. */
  sseS3AllowedBuckets?: string[];
}

/** Judges one encryption rule list; returns the problems found (empty = compliant). */
function judgeRules(rules: unknown, owner: PolicyResource, rulesProperty: string, sseS3Allowed: boolean): string[] {
  const list = Array.isArray(rules) ? rules : rules ? [rules] : [];
  if (list.length === 0) {
    return ["has no encryption rule"];
  }
  const problems: string[] = [];
  for (let i = 0; i < list.length; i++) {
    const rule = list[i];
    const byDefault = rule.applyServerSideEncryptionByDefault;
    const algorithm = byDefault?.sseAlgorithm;
    if (algorithm === "AES256") {
      if (!sseS3Allowed) {
        problems.push(`uses SSE-S3 (AES256) instead of SSE-KMS with a customer-managed key`);
      }
      continue;
    }
    if (algorithm !== "aws:kms" && algorithm !== "aws:kms:dsse") {
      problems.push(`has sseAlgorithm ${JSON.stringify(algorithm)}; expected "aws:kms"`);
      continue;
    }
    const key = read(() => byDefault.kmsMasterKeyId);
    if (key.known) {
      if (key.value === undefined || key.value === null || key.value === "") {
        problems.push(`uses SSE-KMS without kmsMasterKeyId, i.e. the AWS managed key aws/s3`);
      } else if (isAwsManagedKeyRef(String(key.value))) {
        problems.push(`uses the AWS managed key ${key.value}`);
      }
    } else if (!dependsOnType(owner, rulesProperty, CMK_TYPES)) {
      problems.push(`has a kmsMasterKeyId that is unknown during preview and does not come from a KMS key in this stack`);
    }
    if (algorithm === "aws:kms" && rule.bucketKeyEnabled !== true) {
      problems.push(`does not turn bucketKeyEnabled on`);
    }
  }
  return problems;
}

export const s3BucketEncryptedWithCmk: PackStackPolicy = {
  name: "s3-bucket-encrypted-with-cmk",
  description:
    "Every S3 bucket has default encryption SSE-KMS with a customer-managed key and S3 Bucket Keys on (SSE-S3 only for allow-listed buckets where AWS requires it).",
  remediationSteps:
    "Add an aws.s3.BucketServerSideEncryptionConfiguration with `bucket: <bucket>.id` and one rule " +
    '{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: <aws.kms.Key>.arn }, bucketKeyEnabled: true }. ' +
    "Only where AWS requires SSE-S3 (e.g. a server access logging target), add the bucket to this policy's `sseS3AllowedBuckets`.",
  enforcementLevel: MANDATORY,
  severity: "high",
  topics: ["encryption"],
  framework: fsbp("S3.17", "S3 general purpose buckets should be encrypted at rest with AWS KMS keys"),
  configSchema: {
    properties: {
      sseS3AllowedBuckets: allowListSchema("Buckets (logical or physical names) that may use SSE-S3 because AWS requires it."),
    },
  },
  validateStack: validateStackOf(BUCKET_TYPES, (args, report) => {
    const cfg = args.getConfig<S3EncryptionConfig>();
    for (const bucket of bucketsOf(args.resources)) {
      const sseS3Allowed = onAllowList(cfg.sseS3AllowedBuckets, bucket.name, physicalName(bucket));
      const configs = attachedTo(bucket, args.resources, [T.bucketSse, T.bucketSseV2]);
      const inline = read(() => bucket.props.serverSideEncryptionConfiguration);
      const inlineRules =
        inline.known && inline.value
          ? (bucket.props.serverSideEncryptionConfiguration.rule ?? bucket.props.serverSideEncryptionConfiguration.rules)
          : undefined;
      if (configs.length === 0 && !inlineRules) {
        report(
          `${describe(bucket)} has no server-side encryption configuration: add an aws.s3.BucketServerSideEncryptionConfiguration pointing at it with sseAlgorithm "aws:kms", a customer-managed kmsMasterKeyId and bucketKeyEnabled: true.`,
          bucket.urn,
        );
        continue;
      }
      for (const c of configs) {
        for (const p of judgeRules(c.props.rules, c, "rules", sseS3Allowed)) {
          report(`${describe(bucket)}: its encryption configuration ${describe(c)} ${p}.`, c.urn);
        }
      }
      if (configs.length === 0 && inlineRules) {
        for (const p of judgeRules(inlineRules, bucket, "serverSideEncryptionConfiguration", sseS3Allowed)) {
          report(`${describe(bucket)}: its inline encryption configuration ${p}.`, bucket.urn);
        }
      }
    }
  }),
};
