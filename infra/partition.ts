/**
 * The only place this program makes ARNs and service principals.
 *
 * AWS China is its own partition (`aws-cn`, DNS suffix `amazonaws.com.cn`): an `arn:aws:` ARN or a
 * hand-written `*.amazonaws.com` principal that works in other regions is wrong there. Everything
 * here asks the provider (`aws.getPartition`, `aws.getServicePrincipal`, `aws.getCallerIdentity`,
 * `aws.getRegion`), so the same code is right in `aws-cn` and anywhere else.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Which provider (and so which region/account) a lookup is for; default: the stack's. */
export interface LookupOptions {
  provider?: pulumi.ProviderResource;
  parent?: pulumi.Resource;
}

/** Facts about where resources go: partition, DNS suffix, region and account. */
export interface PartitionFacts {
  /** `aws-cn` in China. */
  partition: string;
  /** `amazonaws.com.cn` in China. */
  dnsSuffix: string;
  /** `cn.com.amazonaws` in China (used in VPC endpoint service names). */
  reverseDnsPrefix: string;
  region: string;
  accountId: string;
}

function invokeOpts(opts?: LookupOptions): pulumi.InvokeOutputOptions {
  return { provider: opts?.provider, parent: opts?.parent };
}

/** The partition, DNS suffix, region and account the provider deploys into. */
/**
 * Lookups answered once per provider: the partition, region, caller identity and service
 * principals cannot differ between two calls through the same provider, and every `arn()` and
 * `servicePrincipal()` asked for them again (246 of the primary and backup stacks' 354 invokes,
 * each a round trip to the provider plugin in `pulumi preview`). The provider is the one the invoke
 * would use (explicit, else inherited from the parent, as runtime/invoke.js resolves it); the
 * cache is per resource monitor, so separate program runs in one process (the offline harness)
 * never share answers.
 */
const lookups = new WeakMap<object, Map<pulumi.ProviderResource | undefined, Map<string, pulumi.Output<unknown>>>>();

function oncePerProvider<T>(key: string, opts: LookupOptions | undefined, lookup: () => pulumi.Output<T>): pulumi.Output<T> {
  const monitor = pulumi.runtime.getMonitor() as object | undefined;
  if (!monitor) return lookup();
  const provider = opts?.provider ?? opts?.parent?.getProvider("aws::");
  let perMonitor = lookups.get(monitor);
  if (!perMonitor) lookups.set(monitor, (perMonitor = new Map()));
  let perProvider = perMonitor.get(provider);
  if (!perProvider) perMonitor.set(provider, (perProvider = new Map()));
  let found = perProvider.get(key) as pulumi.Output<T> | undefined;
  if (!found) perProvider.set(key, (found = lookup()));
  return found;
}

/** aws.getServicePrincipal, once per provider, service and (known) region. */
function servicePrincipalLookup(service: string, opts?: LookupOptions & { region?: pulumi.Input<string> }): pulumi.Output<aws.GetServicePrincipalResult> {
  const lookup = () => aws.getServicePrincipalOutput({ serviceName: service, region: opts?.region }, invokeOpts(opts));
  const region = opts?.region;
  if (region !== undefined && typeof region !== "string") return lookup();
  return oncePerProvider(`servicePrincipal ${service} ${region ?? ""}`, opts, lookup);
}

export function partitionFacts(opts?: LookupOptions): pulumi.Output<PartitionFacts> {
  return oncePerProvider("partitionFacts", opts, () => lookupPartitionFacts(opts));
}

function lookupPartitionFacts(opts?: LookupOptions): pulumi.Output<PartitionFacts> {
  const o = invokeOpts(opts);
  const partition = aws.getPartitionOutput({}, o);
  const region = aws.getRegionOutput({}, o);
  const identity = aws.getCallerIdentityOutput({}, o);
  return pulumi.all([partition, region, identity]).apply(([p, r, i]) => ({
    partition: p.partition,
    dnsSuffix: p.dnsSuffix,
    reverseDnsPrefix: p.reverseDnsPrefix,
    region: r.region,
    accountId: i.accountId,
  }));
}

/**
 * Services whose principal is regional (`<service>.<region>.<suffix>`). CloudWatch Logs documents
 * `logs.<region>.amazonaws.com(.cn)` for KMS key policies and subscription-role trust; the
 * provider's `name` is the global form, its `id` the regional one.
 */
const REGIONAL_PRINCIPALS = new Set(["logs"]);

/**
 * Where AWS's own documentation for the China regions names a service principal in another form
 * than the provider's table, the documentation wins (both are hand-kept; the documentation is
 * AWS's). S3: the pinned provider (terraform-provider-aws 6.x after
 * https://github.com/hashicorp/terraform-provider-aws/pull/47141) answers `s3.amazonaws.com.cn` in
 * aws-cn; the AWS China S3 User Guide's replication trust policy names `"Service": "s3.amazonaws.com"`
 * (https://docs.amazonaws.cn/en_us/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html).
 */
const DOCUMENTED_PRINCIPAL_SUFFIX: Record<string, string> = { s3: "amazonaws.com" };

/**
 * The service principal for `service` (e.g. "lambda", "logs", "delivery.logs", "backup") as the
 * provider's China table gives it: `logs.cn-north-1.amazonaws.com.cn`, `lambda.amazonaws.com`, ...
 */
export function servicePrincipal(service: string, opts?: LookupOptions & { region?: pulumi.Input<string> }): pulumi.Output<string> {
  const sp = servicePrincipalLookup(service, opts);
  const documented = DOCUMENTED_PRINCIPAL_SUFFIX[service];
  if (documented !== undefined) return sp.serviceName.apply((n) => `${n}.${documented}`);
  return REGIONAL_PRINCIPALS.has(service) ? sp.id : sp.name;
}

/**
 * Every form a service's principal takes (global `<service>.amazonaws.com`, the provider's name and
 * its regional id), for an `iam:PassedToService` allow-list where AWS does not document which form
 * IAM presents in China. All of them name the same service, so the list admits nothing else.
 */
export function servicePrincipalForms(service: string, opts?: LookupOptions & { region?: pulumi.Input<string> }): pulumi.Output<string[]> {
  const sp = servicePrincipalLookup(service, opts);
  return pulumi.all([sp.serviceName, sp.name, sp.id]).apply(([n, name, id]) => [...new Set([`${n}.amazonaws.com`, name, id])]);
}

/**
 * The global form of a service principal (`sp.name`, e.g. `logs.amazonaws.com.cn` in China) even
 * for services whose `servicePrincipal` is regional. For conditions such as `iam:PassedToService`,
 * where AWS documents the global name.
 */
export function globalServicePrincipal(service: string, opts?: LookupOptions & { region?: pulumi.Input<string> }): pulumi.Output<string> {
  return servicePrincipalLookup(service, opts).name;
}

/** Parts of an ARN; `region`/`account` default to the provider's, `""` leaves them empty (S3, IAM). */
export interface ArnParts {
  service: string;
  region?: pulumi.Input<string>;
  account?: pulumi.Input<string>;
  /** Everything after the account field, e.g. `log-group:/aws/lambda/x:*` or `bucket/key`. */
  resource: pulumi.Input<string>;
}

/** An ARN in the provider's partition: `arn:aws-cn:<service>:<region>:<account>:<resource>`. */
export function arn(parts: ArnParts, opts?: LookupOptions): pulumi.Output<string> {
  const facts = partitionFacts(opts);
  return pulumi.all([facts, parts.region, parts.account, parts.resource]).apply(([f, region, account, resource]) =>
    formatArn({
      partition: f.partition,
      service: parts.service,
      region: region ?? f.region,
      account: account ?? f.accountId,
      resource,
    }),
  );
}

/** Pure ARN formatting, for code that already knows the partition. */
export function formatArn(p: { partition: string; service: string; region: string; account: string; resource: string }): string {
  return `arn:${p.partition}:${p.service}:${p.region}:${p.account}:${p.resource}`;
}

/** An AWS managed policy ARN: `arn:aws-cn:iam::aws:policy/<name>` (name may carry a path). */
export function managedPolicyArn(name: string, opts?: LookupOptions): pulumi.Output<string> {
  return arn({ service: "iam", region: "", account: "aws", resource: `policy/${name}` }, opts);
}

/** The root principal ARN of an account (default: the provider's): `arn:aws-cn:iam::<id>:root`. */
export function accountRootArn(accountId?: pulumi.Input<string>, opts?: LookupOptions): pulumi.Output<string> {
  return arn({ service: "iam", region: "", account: accountId, resource: "root" }, opts);
}

/** The root principal ARNs of a list of accounts, in the provider's partition (order kept). */
export function accountRootArns(accountIds: pulumi.Input<string[]>, opts?: LookupOptions): pulumi.Output<string[]> {
  return pulumi
    .all([partitionFacts(opts), accountIds])
    .apply(([f, ids]) => ids.map((id) => formatArn({ partition: f.partition, service: "iam", region: "", account: id, resource: "root" })));
}

/** An S3 bucket ARN (`arn:aws-cn:s3:::bucket`) or, with `keyPattern`, an object ARN. */
export function s3Arn(bucket: pulumi.Input<string>, keyPattern?: string, opts?: LookupOptions): pulumi.Output<string> {
  const resource = pulumi.output(bucket).apply((b) => (keyPattern === undefined ? b : `${b}/${keyPattern}`));
  return arn({ service: "s3", region: "", account: "", resource }, opts);
}

/** The ARN pattern of a CloudWatch Logs log group, as KMS encryption contexts and IAM use it. */
export function logGroupArn(name: pulumi.Input<string>, opts?: LookupOptions & { region?: pulumi.Input<string> }): pulumi.Output<string> {
  return arn({ service: "logs", region: opts?.region, resource: pulumi.interpolate`log-group:${name}` }, opts);
}

/** The `kms:ViaService` value for a service in a region: `s3.cn-north-1.amazonaws.com.cn`. */
export function viaService(service: string, region: pulumi.Input<string>, opts?: LookupOptions): pulumi.Output<string> {
  return pulumi.all([partitionFacts(opts), region]).apply(([f, r]) => `${service}.${r}.${f.dnsSuffix}`);
}

/**
 * The `eventSource` CloudTrail records for a service's API calls (EventBridge patterns on "AWS API
 * Call via CloudTrail"). CloudTrail uses the global `<service>.amazonaws.com` form in every
 * partition, China included, unlike service principals.
 */
export function cloudTrailEventSource(service: string): string {
  return `${service}.amazonaws.com`;
}
