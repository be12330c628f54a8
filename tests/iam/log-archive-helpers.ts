/**
 * What the LogArchive IAM simulations share (tests/iam/log-archive-replication.test.ts,
 * log-archive-delivery.test.ts): the simulator's core entry point, LogArchive's ARNs and lookups of
 * the recorded roles, keys, buckets and their policies. China service principals are rewritten
 * as tests/helpers/iam-sim-core.ts does (`x.amazonaws.com.cn` and `x.amazonaws.com` stay two
 * principals), and every request is validated against the catalogue after the file's tests.
 *
 * The simulator's validating entry point drops `kms:EncryptionContext:<key>` context keys (its
 * variable-key matcher only knows `/` variables), so requests go to its core engine
 * (iam-sim-core's `authorizeCore`), with every context key given explicitly.
 */
import { ACCOUNT_ID, one, policyOf } from "../helpers/pulumi";
import type { StackRun } from "../../tools/harness";
import { authorizeCore, validate } from "../helpers/iam-sim-core";
import type { Decision } from "../helpers/iam-sim";

export interface Req {
  principal: string;
  action: string;
  resource: string;
  /** Account that owns the resource. */
  resourceAccount?: string;
  identity?: object[];
  resourcePolicy?: object;
  context?: Record<string, string | string[]>;
}

/** Every request `simulate` answered, for `validateSimulatedRequests`. */
const asked: Parameters<typeof validate>[0][] = [];

/**
 * Checks, after a file's tests, that the simulator's catalogue knows every action asked and accepts
 * its resource (tests/helpers/iam-sim-core.ts `validate`), so a typo cannot read as "denied".
 * `simulate` stays synchronous for its callers; call this from `afterAll`.
 */
export async function validateSimulatedRequests(): Promise<void> {
  for (const r of asked.splice(0)) await validate(r);
}

/** The core engine's decision (tests/helpers/iam-sim-core.ts), `aws:SecureTransport` true unless given. */
export function simulate(r: Req): Decision {
  const resourceAccount = r.resourceAccount ?? ACCOUNT_ID;
  asked.push({ principal: r.principal, action: r.action, resource: r.resource, resourceAccount });
  return authorizeCore({
    principal: r.principal,
    action: r.action,
    resource: r.resource,
    resourceAccount,
    context: { "aws:SecureTransport": "true", ...(r.context ?? {}) },
    identityPolicies: r.identity,
    resourcePolicy: r.resourcePolicy,
  });
}

export const OTHER_KEY = `arn:aws-cn:kms:cn-north-1:${ACCOUNT_ID}:key/00000000-0000-0000-0000-000000000000`;
export const OTHER_BUCKET = "arn:aws-cn:s3:::someone-elses-bucket";
export const S3_BJ = "s3.cn-north-1.amazonaws.com.cn";
export const S3_NX = "s3.cn-northwest-1.amazonaws.com.cn";
export const LOGS_SOURCE = `arn:aws-cn:logs:cn-north-1:${ACCOUNT_ID}:log-group:/aws/rds/cluster/x/audit:*`;

export const res = (run: StackRun, type: string, name: string) => one(run, type, name);
export const roleArn = (run: StackRun, name: string) => res(run, "aws:iam/role:Role", name).state.arn as string;
export const inline = (run: StackRun, name: string) => policyOf(res(run, "aws:iam/rolePolicy:RolePolicy", name));
export const keyPolicy = (run: StackRun, name: string) => policyOf(res(run, "aws:kms/key:Key", name));
export const keyArn = (run: StackRun, name: string) => res(run, "aws:kms/key:Key", name).state.arn as string;
export const bucketArn = (run: StackRun, name: string) => res(run, "aws:s3/bucket:Bucket", name).state.arn as string;
export const bucketPolicy = (run: StackRun, name: string) => policyOf(res(run, "aws:s3/bucketPolicy:BucketPolicy", name));
