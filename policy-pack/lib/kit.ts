/**
 * Small building blocks shared by the policies: type filtering, reading values that may be unknown
 * during preview, following property dependencies, and policy config with JSON schemas.
 *
 * Nothing here imports @pulumi/aws: the pack matches resources by their type token, which keeps it
 * light enough to load in every `pulumi preview`.
 */
import {
  EnforcementLevel,
  PolicyConfigSchema,
  PolicyResource,
  ReportViolation,
  ResourceValidation,
  ResourceValidationArgs,
  StackValidation,
  StackValidationArgs,
  UnknownValueError,
} from "@pulumi/policy";

/** The Pulumi type tokens the pack reads. */
export const T = {
  bucket: "aws:s3/bucket:Bucket",
  bucketV2: "aws:s3/bucketV2:BucketV2",
  bucketSse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  bucketSseV2: "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
  bucketVersioning: "aws:s3/bucketVersioning:BucketVersioning",
  bucketVersioningV2: "aws:s3/bucketVersioningV2:BucketVersioningV2",
  bucketPublicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  bucketReplication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
  bucketLifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  bucketLifecycleV2: "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
  bucketObjectLock: "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
  bucketObjectLockV2: "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2",
  kmsKey: "aws:kms/key:Key",
  kmsReplicaKey: "aws:kms/replicaKey:ReplicaKey",
  kmsExternalKey: "aws:kms/externalKey:ExternalKey",
  kmsAlias: "aws:kms/alias:Alias",
  kmsKeyPolicy: "aws:kms/keyPolicy:KeyPolicy",
  dynamoTable: "aws:dynamodb/table:Table",
  sqsQueue: "aws:sqs/queue:Queue",
  sqsQueuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
  snsTopic: "aws:sns/topic:Topic",
  snsTopicPolicy: "aws:sns/topicPolicy:TopicPolicy",
  snsTopicSubscription: "aws:sns/topicSubscription:TopicSubscription",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  logResourcePolicy: "aws:cloudwatch/logResourcePolicy:LogResourcePolicy",
  logDestinationPolicy: "aws:cloudwatch/logDestinationPolicy:LogDestinationPolicy",
  eventBusPolicy: "aws:cloudwatch/eventBusPolicy:EventBusPolicy",
  firehose: "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream",
  rdsInstance: "aws:rds/instance:Instance",
  rdsCluster: "aws:rds/cluster:Cluster",
  rdsClusterInstance: "aws:rds/clusterInstance:ClusterInstance",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
  securityGroupIngressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  subnet: "aws:ec2/subnet:Subnet",
  secret: "aws:secretsmanager/secret:Secret",
  ec2Instance: "aws:ec2/instance:Instance",
  ec2LaunchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  ebsVolume: "aws:ebs/volume:Volume",
  backupVault: "aws:backup/vault:Vault",
  backupVaultPolicy: "aws:backup/vaultPolicy:VaultPolicy",
  backupPlan: "aws:backup/plan:Plan",
  backupVaultLock: "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
  cloudTrail: "aws:cloudtrail/trail:Trail",
  lambdaPermission: "aws:lambda/permission:Permission",
  secretPolicy: "aws:secretsmanager/secretPolicy:SecretPolicy",
  iamRole: "aws:iam/role:Role",
  iamRolePolicy: "aws:iam/rolePolicy:RolePolicy",
  iamPolicy: "aws:iam/policy:Policy",
  iamUserPolicy: "aws:iam/userPolicy:UserPolicy",
  iamGroupPolicy: "aws:iam/groupPolicy:GroupPolicy",
  iamRolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  iamUserPolicyAttachment: "aws:iam/userPolicyAttachment:UserPolicyAttachment",
  iamGroupPolicyAttachment: "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
  iamPolicyAttachment: "aws:iam/policyAttachment:PolicyAttachment",
  iamRolePoliciesExclusive: "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
  awsProvider: "pulumi:providers:aws",
  stackReference: "pulumi:pulumi:StackReference",
} as const;

export const BUCKET_TYPES: readonly string[] = [T.bucket, T.bucketV2];
/** Resources whose outputs are customer-managed KMS keys (or aliases of them). */
export const CMK_TYPES: readonly string[] = [T.kmsKey, T.kmsReplicaKey, T.kmsExternalKey, T.kmsAlias];

/**
 * Metadata the offline runner reads to count the resources a policy examined: a validation
 * function carries `examines(type)`. The engine ignores it.
 */
export interface Examines {
  examines: (type: string) => boolean;
}

/** Whether an error is the engine's "this value is unknown during preview" error. */
export function isUnknownError(e: unknown): e is UnknownValueError {
  return e instanceof UnknownValueError || (e as any)?.constructor?.name === "UnknownValueError";
}

/** A value read through the unknown-checking proxy: known (possibly absent) or unknown. */
export type Known<V> = { known: true; value: V } | { known: false };

/** Reads a value, turning the engine's unknown error into `{ known: false }`. */
export function read<V>(get: () => V): Known<V> {
  try {
    return { known: true, value: get() };
  } catch (e) {
    if (isUnknownError(e)) {
      return { known: false };
    }
    throw e;
  }
}

/**
 * Whether a property is set. An unknown value counts as set: during preview a value is unknown only
 * because it comes from a resource this deployment creates, so something will be there.
 */
export function isSet(get: () => unknown): boolean {
  const r = read(get);
  return !r.known || (r.value !== undefined && r.value !== null && r.value !== "");
}

/** A resource-level validation limited to the given types (others are reported not applicable). */
export function validateTypes(
  types: readonly string[],
  validate: (props: Record<string, any>, args: ResourceValidationArgs, report: ReportViolation) => void | Promise<void>,
): ResourceValidation & Examines {
  const fn = ((args: ResourceValidationArgs, report: ReportViolation) => {
    if (!types.includes(args.type)) {
      args.notApplicable(`applies only to ${types.join(", ")}`);
    }
    return validate(args.props, args, report);
  }) as ResourceValidation & Examines & { __pulumiType?: string };
  fn.examines = (type: string) => types.includes(type);
  if (types.length === 1) {
    // The engine's fast path: it skips resources of other types without calling us.
    fn.__pulumiType = types[0];
  }
  return fn;
}

/** A resource-level validation for every resource matching a predicate. */
export function validateMatching(
  matches: (type: string) => boolean,
  validate: (props: Record<string, any>, args: ResourceValidationArgs, report: ReportViolation) => void | Promise<void>,
): ResourceValidation & Examines {
  const fn = ((args: ResourceValidationArgs, report: ReportViolation) => {
    if (!matches(args.type)) {
      args.notApplicable("resource type not in scope");
    }
    return validate(args.props, args, report);
  }) as ResourceValidation & Examines;
  fn.examines = matches;
  return fn;
}

/** A stack-level validation that examines resources of the given types. */
export function validateStackOf(
  types: readonly string[],
  validate: (args: StackValidationArgs, report: ReportViolation) => void | Promise<void>,
): StackValidation & Examines {
  const fn = ((args: StackValidationArgs, report: ReportViolation) => validate(args, report)) as StackValidation & Examines;
  fn.examines = (type: string) => types.includes(type);
  return fn;
}

/** The resources a property of `r` depends on (empty when it depends on none or is not recorded). */
export function dependenciesOf(r: PolicyResource, property: string): PolicyResource[] {
  return r.propertyDependencies?.[property] ?? [];
}

/** Whether `r`'s property depends on a resource of one of the given types. */
export function dependsOnType(r: PolicyResource, property: string, types: readonly string[]): boolean {
  return dependenciesOf(r, property).some((d) => types.includes(d.type));
}

/** A short human name for a resource in messages: `type name`. */
export function describe(r: { type: string; name: string }): string {
  const short = r.type.split(":").pop();
  return `${short} "${r.name}"`;
}

/** An allow-list config property: exact names (logical resource names or physical names). */
export function allowListSchema(description: string): PolicyConfigSchema["properties"][string] {
  return {
    type: "array",
    items: { type: "string", minLength: 1 },
    uniqueItems: true,
    default: [],
    description,
  };
}

/** Whether a resource is on an allow-list, by its logical name or one of its physical names. */
export function onAllowList(list: readonly string[] | undefined, logicalName: string, ...physicalNames: unknown[]): boolean {
  if (!list || list.length === 0) {
    return false;
  }
  if (list.includes(logicalName)) {
    return true;
  }
  return physicalNames.some((n) => typeof n === "string" && list.includes(n));
}

/** Reads a physical name without failing on unknowns (unknown names never match an allow-list). */
export function knownString(get: () => unknown): string | undefined {
  const r = read(get);
  return r.known && typeof r.value === "string" ? r.value : undefined;
}

/** Default enforcement levels: mandatory where a violation puts data at risk, advisory otherwise. */
export const MANDATORY: EnforcementLevel = "mandatory";
export const ADVISORY: EnforcementLevel = "advisory";

/** Whether a KMS key reference names an AWS managed key (alias/aws/...), which is not customer-managed. */
export function isAwsManagedKeyRef(ref: string): boolean {
  return /(^|:)alias\/aws\//.test(ref);
}

/**
 * Whether a KMS key reference is a customer-managed key. Returns a problem, or undefined when it is.
 * During preview an unknown reference comes from a resource this deployment creates; AWS managed
 * keys cannot be created, so an unknown key reference is customer-managed.
 */
export function customerManagedKeyProblem(get: () => unknown, field: string): string | undefined {
  const r = read(get);
  if (!r.known) {
    return undefined;
  }
  if (r.value === undefined || r.value === null || r.value === "") {
    return `${field} is not set (the AWS managed key would be used)`;
  }
  if (typeof r.value === "string" && isAwsManagedKeyRef(r.value)) {
    return `${field} names the AWS managed key ${r.value}`;
  }
  return undefined;
}
