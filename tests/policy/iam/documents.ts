/** IAM documents and the resources carrying them, as the IAM policy tests (tests/policy/iam/) build them. */
import { ACCOUNT, res } from "../helpers";

export const ROLE = "aws:iam/role:Role";
export const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
export const BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";
export const QUEUE_POLICY = "aws:sqs/queuePolicy:QueuePolicy";
export const doc = (...Statement: any[]) => ({ Version: "2012-10-17", Statement });
export const rolePolicy = (d: any, name = "fn-policy") => res(ROLE_POLICY, name, { role: "fn-role", policy: d });
export const lambdaTrust = (condition?: any) =>
  doc({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole", ...(condition ? { Condition: condition } : {}) });
export const sourceAccount = { StringEquals: { "aws:SourceAccount": ACCOUNT } };
