/**
 * Service-interaction contracts: every request an AWS service makes on its own behalf against the
 * resources of our stacks (assuming a role, publishing to a topic, using a key, writing an
 * object), written from the AWS page that documents it, never from our code.
 *
 * One catalogue file per service (./scheduler.ts, ./events.ts, ...). Each entry says who calls
 * (principal), what (action), on what (the resource in the exact shape AWS uses, object key layout
 * included), which context keys the service sends and which it does not, and where AWS says so.
 * contracts.test.ts evaluates every entry in both stacks of every variant (tools/variants.ts)
 * with the IAM simulator against the trust, identity, resource and key policies AWS would
 * evaluate: it must be allowed; the same request from another account, and from each listed other
 * source, must be denied.
 */
import { PolicyDoc, rolePolicies } from "../helpers/iam-sim";
import { one, ofType, policyOf, StackRun } from "../../tools/harness";
import type { ResourceRecord } from "../../tools/types";
import { servicePrincipalSuffix } from "../../tools/mocks";

/** The deployment a contract is evaluated in: the pair of stacks of one variant. */
export interface World {
  variant: string;
  primary: StackRun;
  backup: StackRun;
  primaryAccount: string;
  backupAccount: string;
  primaryRegion: string;
  backupRegion: string;
}

/** A variation of a request that AWS must deny. */
export interface Denied {
  why: string;
  principal?: string;
  resource?: string;
  /** Replaces the request's context (keys set to `undefined` are removed). */
  context?: Record<string, string | string[] | undefined>;
}

/** One request a service makes, and the policies AWS evaluates for it. */
export interface ServiceRequest {
  /** What happens, e.g. "EventBridge dead-letters a failed event into the error queue". */
  title: string;
  principal: string;
  action: string;
  resource: string;
  resourceAccount: string;
  /** The context keys the service sends with the request, with their values. */
  sends: Record<string, string | string[]>;
  /** Context keys the service does not send: a policy requiring one of them denies the request. */
  doesNotSend: string[];
  /** The caller's identity policies (a role's, from the stack), if the caller is a role. */
  identityPolicies?: PolicyDoc[];
  /** The resource's policy: trust, bucket, key, queue or topic policy (undefined: none). */
  resourcePolicy?: PolicyDoc;
  /** The AWS page that documents the request and its context keys. */
  source: string;
  /** Variations from another source that must be denied (another account is always tried). */
  alsoDenied?: Denied[];
  /**
   * Why the request carries no account to change (EC2 assuming an instance role): then "the same
   * request from another account" cannot be told apart by any policy, and is not tried.
   */
  noAccountInRequest?: string;
}

/** A service's catalogue: the requests it makes in a world (none when the feature is off). */
export interface Contract {
  service: string;
  requests(w: World): ServiceRequest[];
}

export const OTHER_ACCOUNT = "999988887777";

// ---- reading the stacks -----------------------------------------------------------------------

/** Resources of `type` whose logical name ends with `suffix` (any number). */
export function all(run: StackRun, type: string, suffix = ""): ResourceRecord[] {
  return ofType(run, type).filter((r) => r.name.endsWith(suffix));
}

/** The one resource of `type` named `*suffix`, or undefined when there is none. */
export function maybe(run: StackRun, type: string, suffix: string): ResourceRecord | undefined {
  const found = all(run, type, suffix);
  return found.length === 1 ? found[0] : found.length === 0 ? undefined : one(run, type, suffix);
}

export const T = {
  role: "aws:iam/role:Role",
  key: "aws:kms/key:Key",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  queue: "aws:sqs/queue:Queue",
  queuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
  topic: "aws:sns/topic:Topic",
  topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
  rule: "aws:cloudwatch/eventRule:EventRule",
  target: "aws:cloudwatch/eventTarget:EventTarget",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  schedule: "aws:scheduler/schedule:Schedule",
  flowLog: "aws:ec2/flowLog:FlowLog",
  trail: "aws:cloudtrail/trail:Trail",
  bucket: "aws:s3/bucket:Bucket",
  vaultPolicy: "aws:backup/vaultPolicy:VaultPolicy",
  reportPlan: "aws:backup/reportPlan:ReportPlan",
  firehose: "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  subscriptionFilter: "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter",
  instanceProfile: "aws:iam/instanceProfile:InstanceProfile",
  lambda: "aws:lambda/function:Function",
  permission: "aws:lambda/permission:Permission",
  table: "aws:glue/catalogTable:CatalogTable",
} as const;

/** A role's trust policy. */
export function trustOf(role: ResourceRecord): PolicyDoc {
  return policyOf(role, "assumeRolePolicy");
}

/** A role's identity policies (inline and RolePolicy documents) from the run. */
export function identityOf(run: StackRun, role: ResourceRecord): PolicyDoc[] {
  return Object.values(rolePolicies(run.resources, role).documents);
}

/** The policy of the key whose ARN is `keyArn`, if the run manages it. */
export function keyPolicyByArn(run: StackRun, keyArn: string): PolicyDoc | undefined {
  const key = ofType(run, T.key).find((k) => k.state.arn === keyArn);
  return key ? policyOf(key) : undefined;
}

/** The policy attached to the queue with `queueArn` (QueuePolicy by queue URL). */
export function queuePolicyByArn(run: StackRun, queueArn: string): PolicyDoc | undefined {
  const queue = ofType(run, T.queue).find((q) => q.state.arn === queueArn);
  if (!queue) return undefined;
  const qp = ofType(run, T.queuePolicy).find((p) => p.inputs.queueUrl === queue.state.url);
  return qp ? policyOf(qp) : undefined;
}

/** The policy attached to the topic with `topicArn`. */
export function topicPolicyByArn(run: StackRun, topicArn: string): PolicyDoc | undefined {
  const tp = ofType(run, T.topicPolicy).find((p) => p.inputs.arn === topicArn);
  return tp ? policyOf(tp) : undefined;
}

/** The bucket policy of the bucket named `bucket`. */
export function bucketPolicyOf(run: StackRun, bucket: string): PolicyDoc | undefined {
  const bp = ofType(run, T.bucketPolicy).find((p) => p.inputs.bucket === bucket);
  return bp ? policyOf(bp) : undefined;
}

/** The KMS key a queue or topic is encrypted with (its `kmsMasterKeyId`), if a customer key. */
export function cmkOf(rec: ResourceRecord): string | undefined {
  const k = rec.inputs.kmsMasterKeyId;
  return typeof k === "string" && k.includes(":key/") ? k : undefined;
}

/** Both runs of the world, with the account and region each runs in. */
export function runsOf(w: World): { run: StackRun; account: string; region: string }[] {
  return [
    { run: w.primary, account: w.primaryAccount, region: w.primaryRegion },
    { run: w.backup, account: w.backupAccount, region: w.backupRegion },
  ];
}

/**
 * A service principal as AWS names it in `region`, after the provider's China table that
 * tools/mocks.ts reproduces (its sources are written down there); CloudWatch Logs' principal is
 * regional (`logs.<region>.amazonaws.com.cn`, see infra/partition.ts).
 */
export function principal(service: string, region: string): string {
  const suffix = servicePrincipalSuffix(service, region);
  return service === "logs" ? `${service}.${region}.${suffix}` : `${service}.${suffix}`;
}

/** `arn:aws-cn:<service>:<region>:<account>:<resource>`. */
export function arnCn(service: string, region: string, account: string, resource: string): string {
  return `arn:aws-cn:${service}:${region}:${account}:${resource}`;
}

/** An S3 bucket name from a bucket ARN or an `arn:aws-cn:s3:::bucket/prefix` destination. */
export function bucketOfArn(s3: string): string {
  return s3.replace(/^arn:aws-cn:s3:::/, "").split("/")[0];
}
