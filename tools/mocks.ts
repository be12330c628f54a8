/**
 * Pulumi mocks that behave like the AWS provider in the China partition.
 *
 * - Invokes answer as the provider does in `aws-cn`: `getPartition` -> `aws-cn` /
 *   `amazonaws.com.cn`, `getServicePrincipal` follows the provider's China table, caller identity,
 *   region, availability zones (Beijing a/b/d, Ningxia a/b/c), SSM public AMI parameters. An invoke
 *   the mocks do not know fails loudly, so a test never runs on a made-up answer.
 * - New resources get the computed outputs AWS would give them (ARNs in `aws-cn`, names, ids,
 *   URLs), deterministic per URN. In preview mode they get only their inputs, so computed outputs
 *   are unknown, as in a real `pulumi preview` of a new stack.
 */
import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";
import type { InvokeRecord, ResourceRecord } from "./types";
import { describeVpcEndpointService } from "./mock-vpc-endpoint-services";

export const ACCOUNT_ID = "123456789012";
export const PARTITION = "aws-cn";
export const DNS_SUFFIX = "amazonaws.com.cn";

/** Availability zones as the two China regions have them. */
export const AVAILABILITY_ZONES: Record<string, { names: string[]; zoneIds: string[] }> = {
  "cn-north-1": { names: ["cn-north-1a", "cn-north-1b", "cn-north-1d"], zoneIds: ["cnn1-az1", "cnn1-az2", "cnn1-az4"] },
  "cn-northwest-1": { names: ["cn-northwest-1a", "cn-northwest-1b", "cn-northwest-1c"], zoneIds: ["cnnw1-az1", "cnnw1-az2", "cnnw1-az3"] },
};

/** Public SSM parameters the program may read. */
export const SSM_PUBLIC_PARAMETERS: Record<string, string> = {
  "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64": "ami-0a1b2c3d4e5f60718",
  "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64": "ami-0a1b2c3d4e5f60718",
};

/**
 * Log groups that already exist in each region before the program runs (LogArchive subscribes the
 * matching ones). Names only; `getLogGroups` answers with them by prefix.
 */
export const EXISTING_LOG_GROUPS: Record<string, string[]> = {
  "cn-north-1": [
    "/aws/lambda/legacy-orders",
    "/aws/rds/cluster/legacy-aurora/error",
    "/aws/rds/cluster/legacy-aurora/slowquery",
    "/aws/rds/instance/legacy-mysql/error",
    "/ec2/legacy-app/messages",
  ],
  "cn-northwest-1": [],
};

export { CN_PREFIXED_INTERFACE_SERVICES } from "./mock-vpc-endpoint-services";

/**
 * The provider's `servicePrincipalNameForPartition` table for aws-cn, as the pinned @pulumi/aws
 * 7.48.0 (released 2026-09-22, terraform-provider-aws 6.x) has it: `codedeploy`, `ec2`,
 * `elasticmapreduce`, `logs` and `s3` take `amazonaws.com.cn`, every other service `amazonaws.com`.
 * Source: internal/service/meta/service_principal_data_source.go
 * (https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/meta/service_principal_data_source.go),
 * whose 6.x table was codedeploy/elasticmapreduce/logs until
 * https://github.com/hashicorp/terraform-provider-aws/pull/47141 ("Fix service principals for ec2
 * and s3 in China", merged 2026-03-30, fixing issue #46209) added ec2 and s3.
 */
export const CN_SUFFIXED_PRINCIPALS = new Set(["codedeploy", "ec2", "elasticmapreduce", "logs", "s3"]);

export function servicePrincipalSuffix(service: string, region: string): string {
  if (region.startsWith("cn-") && CN_SUFFIXED_PRINCIPALS.has(service)) return DNS_SUFFIX;
  return "amazonaws.com";
}

function hex(seed: string, length: number): string {
  return crypto.createHash("sha256").update(seed).digest("hex").slice(0, length);
}

function uuid(seed: string): string {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export interface MockOptions {
  /** The stack's provider region (`aws:region`). */
  region: string;
  /**
   * The account the stack deploys into (caller identity, every computed ARN). Default ACCOUNT_ID;
   * the harness gives a cross-account backup stack its own, as AWS would.
   */
  accountId?: string;
  /** Outputs of stacks a StackReference may read, by stack name. */
  stackOutputs?: Record<string, Record<string, unknown>>;
  /** Preview mode: computed outputs are unknown. */
  preview?: boolean;
}

/** Mocks that record every resource and invoke. */
export class AwsCnMocks implements pulumi.runtime.Mocks {
  readonly resources: ResourceRecord[] = [];
  readonly invokes: InvokeRecord[] = [];
  /** Provider URN::id -> region, for resources that use an explicit provider. */
  private readonly providerRegions = new Map<string, string>();
  /** URN -> property dependencies, filled in by the harness from the monitor's requests. */
  readonly propertyDependencies = new Map<string, Record<string, string[]>>();

  constructor(readonly options: MockOptions) {}

  /** The account of this run. */
  get accountId(): string {
    return this.options.accountId ?? ACCOUNT_ID;
  }

  private regionOf(args: pulumi.runtime.MockResourceArgs): string {
    if (typeof args.inputs.region === "string") return args.inputs.region;
    if (args.provider) {
      const r = this.providerRegions.get(args.provider);
      if (r) return r;
    }
    return this.options.region;
  }

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, any> } {
    const region = this.regionOf(args);
    const seed = `${args.type}::${args.name}`;
    const computed = computedOutputs(args.type, args.name, args.inputs, region, seed, this.options);
    const id = args.id || computed.id || `${args.name}-${hex(seed, 8)}`;

    const state = this.options.preview ? { ...args.inputs, ...computed.knownInPreview } : { ...args.inputs, ...computed.state };
    this.resources.push({
      id,
      type: args.type,
      name: args.name,
      urn: "", // filled in by the harness, which sees the monitor's URN
      inputs: args.inputs,
      state,
      propertyDependencies: {},
      custom: args.custom ?? true,
      region: args.type.startsWith("aws:") ? region : undefined,
    });
    return { id: this.options.preview && computed.idUnknownInPreview ? undefined : id, state };
  }

  /** Records an explicit AWS provider so resources using it are placed in its region. */
  registerProvider(ref: string, region: string) {
    this.providerRegions.set(ref, region);
  }

  /** Called with every invoke the mocks refuse (the harness fails the run, as `pulumi preview` stops). */
  onInvokeFailure?: (error: Error) => void;

  call(args: pulumi.runtime.MockCallArgs): Record<string, any> {
    let result: Record<string, any>;
    try {
      result = this.answer(args);
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      // The engine reports a provider's invoke failure in `details`; the SDK rethrows that message.
      (error as any).details = `invoke ${args.token} failed: ${error.message}`;
      this.onInvokeFailure?.(error);
      throw error;
    }
    this.invokes.push({ token: args.token, args: args.inputs, result });
    return result;
  }

  private answer(args: pulumi.runtime.MockCallArgs): Record<string, any> {
    const region: string = args.inputs.region ?? this.options.region;
    // These mocks are the aws-cn partition: a provider configured for another region would not
    // get aws-cn answers (with China credentials it is refused outright), so nothing is made up.
    if (!AVAILABILITY_ZONES[region]) {
      throw new Error(`mock: region ${JSON.stringify(region)} is not in aws-cn; these mocks answer for ${Object.keys(AVAILABILITY_ZONES).join(", ")} only`);
    }
    switch (args.token) {
      case "aws:index/getPartition:getPartition":
        return { id: PARTITION, partition: PARTITION, dnsSuffix: DNS_SUFFIX, reverseDnsPrefix: "cn.com.amazonaws" };
      case "aws:index/getRegion:getRegion":
        return {
          id: region,
          name: region,
          region,
          endpoint: `ec2.${region}.${DNS_SUFFIX}`,
          description: region === "cn-north-1" ? "China (Beijing)" : "China (Ningxia)",
        };
      case "aws:index/getCallerIdentity:getCallerIdentity":
        return { id: this.accountId, accountId: this.accountId, arn: `arn:${PARTITION}:iam::${this.accountId}:user/deployer`, userId: "AIDAEXAMPLEDEPLOYER" };
      case "aws:index/getServicePrincipal:getServicePrincipal": {
        const service: string = args.inputs.serviceName;
        const suffix = servicePrincipalSuffix(service, region);
        return { id: `${service}.${region}.${suffix}`, name: `${service}.${suffix}`, serviceName: service, suffix, region };
      }
      case "aws:index/getAvailabilityZones:getAvailabilityZones": {
        const zones = AVAILABILITY_ZONES[region];
        if (!zones) throw new Error(`mock: no availability zones for region ${region}`);
        return { id: region, names: zones.names, zoneIds: zones.zoneIds, groupNames: [region], region };
      }
      case "aws:ssm/getParameter:getParameter": {
        const value = SSM_PUBLIC_PARAMETERS[args.inputs.name];
        if (value === undefined) throw new Error(`mock: ParameterNotFound: ${args.inputs.name}`);
        return {
          id: args.inputs.name,
          name: args.inputs.name,
          value,
          insecureValue: value,
          type: "String",
          version: 1,
          arn: `arn:${PARTITION}:ssm:${region}::parameter${args.inputs.name}`,
        };
      }
      case "aws:cloudwatch/getLogGroups:getLogGroups": {
        const prefix: string = args.inputs.logGroupNamePrefix ?? "";
        const names = (EXISTING_LOG_GROUPS[region] ?? []).filter((n) => n.startsWith(prefix));
        return {
          id: region,
          logGroupNamePrefix: args.inputs.logGroupNamePrefix,
          logGroupNames: names,
          arns: names.map((n) => `arn:${PARTITION}:logs:${region}:${this.accountId}:log-group:${n}`),
          region,
        };
      }
      case "aws:ec2/getVpcEndpointService:getVpcEndpointService":
        // As the provider does it: `service` -> `com.amazonaws.<region>.<service>`, which fails
        // where China names the service `cn.com.amazonaws...` (tools/mock-vpc-endpoint-services.ts).
        return describeVpcEndpointService(args.inputs, region, {
          partition: PARTITION,
          dnsSuffix: DNS_SUFFIX,
          accountId: ACCOUNT_ID,
          availabilityZones: AVAILABILITY_ZONES[region]?.names ?? [],
        });
      default:
        throw new Error(`mock: no answer for invoke ${args.token}; add one to tests/helpers/mocks.ts that matches the aws-cn provider`);
    }
  }
}

interface Computed {
  id?: string;
  state: Record<string, any>;
  /** Outputs that are known even in preview (inputs the provider echoes, e.g. StackReference outputs). */
  knownInPreview: Record<string, any>;
  idUnknownInPreview?: boolean;
}

/** The outputs AWS (through the provider) computes for a new resource of `type`. */
function computedOutputs(
  type: string,
  name: string,
  inputs: Record<string, any>,
  region: string,
  seed: string,
  options: MockOptions,
): Computed {
  const acct = options.accountId ?? ACCOUNT_ID;
  const p = PARTITION;
  const suffix = hex(seed, 7);
  const autoname = (max = 64) => (inputs.name as string | undefined) ?? `${name}-${suffix}`.slice(0, max);
  const arnOf = (service: string, resource: string, r: string = region, a: string = acct) => `arn:${p}:${service}:${r}:${a}:${resource}`;

  switch (type) {
    case "pulumi:pulumi:StackReference": {
      const stackName: string = inputs.name;
      const outputs = options.stackOutputs?.[stackName];
      if (!outputs) throw new Error(`mock: no outputs known for stack reference ${stackName}`);
      return { id: stackName, state: { outputs, secretOutputNames: [] }, knownInPreview: { outputs, secretOutputNames: [] } };
    }
    case "aws:s3/bucket:Bucket": {
      const bucket = (inputs.bucket as string | undefined) ?? `${name}-${suffix}`.toLowerCase().slice(0, 63);
      return {
        id: bucket,
        state: {
          bucket,
          arn: `arn:${p}:s3:::${bucket}`,
          bucketDomainName: `${bucket}.s3.${DNS_SUFFIX}`,
          bucketRegionalDomainName: `${bucket}.s3.${region}.${DNS_SUFFIX}`,
          region,
          hostedZoneId: region === "cn-north-1" ? "Z5CN8UMXT92WN" : "Z282HJ1KT0DH03",
        },
        knownInPreview: inputs.bucket ? { bucket } : {},
        idUnknownInPreview: !inputs.bucket,
      };
    }
    case "aws:kms/key:Key": {
      const keyId = uuid(seed);
      return { id: keyId, state: { keyId, arn: arnOf("kms", `key/${keyId}`) }, knownInPreview: {}, idUnknownInPreview: true };
    }
    case "aws:kms/alias:Alias":
      return { id: inputs.name, state: { arn: arnOf("kms", inputs.name), targetKeyArn: arnOf("kms", `key/${uuid(seed)}`) }, knownInPreview: {} };
    case "aws:iam/role:Role": {
      const roleName = autoname();
      const path = (inputs.path as string | undefined) ?? "/";
      return {
        id: roleName,
        state: { name: roleName, arn: `arn:${p}:iam::${acct}:role${path}${roleName}`, uniqueId: `AROA${hex(seed, 16).toUpperCase()}` },
        knownInPreview: inputs.name ? { name: roleName } : {},
        idUnknownInPreview: !inputs.name,
      };
    }
    case "aws:iam/policy:Policy": {
      const policyName = autoname(128);
      return { id: `arn:${p}:iam::${acct}:policy/${policyName}`, state: { name: policyName, arn: `arn:${p}:iam::${acct}:policy/${policyName}` }, knownInPreview: {} };
    }
    case "aws:iam/instanceProfile:InstanceProfile": {
      const n = autoname(128);
      return { id: n, state: { name: n, arn: `arn:${p}:iam::${acct}:instance-profile/${n}`, uniqueId: `AIPA${hex(seed, 16).toUpperCase()}` }, knownInPreview: {} };
    }
    case "aws:iam/rolePolicy:RolePolicy":
      return { id: `${inputs.role}:${autoname(128)}`, state: { name: autoname(128) }, knownInPreview: {} };
    case "aws:lambda/function:Function": {
      const fn = autoname();
      const arn = arnOf("lambda", `function:${fn}`);
      return {
        id: fn,
        state: {
          name: fn,
          arn,
          qualifiedArn: `${arn}:$LATEST`,
          invokeArn: `arn:${p}:apigateway:${region}:lambda:path/2015-03-31/functions/${arn}/invocations`,
          version: "$LATEST",
          // The archive itself is not echoed back: tests read it from InlineLambda.code.
          code: undefined,
        },
        knownInPreview: {},
        idUnknownInPreview: !inputs.name,
      };
    }
    case "aws:cloudwatch/logGroup:LogGroup": {
      const n = autoname(512);
      return { id: n, state: { name: n, arn: arnOf("logs", `log-group:${n}`) }, knownInPreview: inputs.name ? { name: n } : {} };
    }
    case "aws:sqs/queue:Queue": {
      const n = (inputs.name as string | undefined) ?? `${name}-${suffix}${inputs.fifoQueue ? ".fifo" : ""}`;
      const url = `https://sqs.${region}.${DNS_SUFFIX}/${acct}/${n}`;
      return { id: url, state: { name: n, url, arn: arnOf("sqs", n) }, knownInPreview: {}, idUnknownInPreview: true };
    }
    case "aws:sns/topic:Topic": {
      const n = autoname(256);
      const arn = arnOf("sns", n);
      return { id: arn, state: { name: n, arn }, knownInPreview: {}, idUnknownInPreview: true };
    }
    case "aws:dynamodb/table:Table": {
      const n = autoname(255);
      const arn = arnOf("dynamodb", `table/${n}`);
      return {
        id: n,
        state: { name: n, arn, streamArn: inputs.streamEnabled ? `${arn}/stream/2026-11-22T00:00:00.000` : undefined, streamLabel: "2026-11-22T00:00:00.000" },
        knownInPreview: {},
      };
    }
    case "aws:cloudwatch/eventRule:EventRule": {
      const n = autoname();
      const bus = (inputs.eventBusName as string | undefined) ?? "default";
      return { id: `${bus}/${n}`, state: { name: n, arn: arnOf("events", bus === "default" ? `rule/${n}` : `rule/${bus}/${n}`) }, knownInPreview: {} };
    }
    case "aws:scheduler/schedule:Schedule": {
      const n = autoname();
      const group = (inputs.groupName as string | undefined) ?? "default";
      return { id: `${group}/${n}`, state: { name: n, groupName: group, arn: arnOf("scheduler", `schedule/${group}/${n}`) }, knownInPreview: {} };
    }
    case "aws:backup/vault:Vault": {
      const n = autoname(50);
      return { id: n, state: { name: n, arn: arnOf("backup", `backup-vault:${n}`), recoveryPoints: 0 }, knownInPreview: {} };
    }
    case "aws:backup/plan:Plan": {
      const id = uuid(seed);
      return { id, state: { arn: arnOf("backup", `backup-plan:${id}`), version: hex(seed, 32) }, knownInPreview: {}, idUnknownInPreview: true };
    }
    case "aws:backup/selection:Selection":
      return { id: uuid(seed), state: {}, knownInPreview: {} };
    case "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": {
      const n = autoname();
      const arn = arnOf("firehose", `deliverystream/${n}`);
      return { id: arn, state: { name: n, arn }, knownInPreview: {} };
    }
    case "aws:cloudtrail/trail:Trail": {
      const n = autoname(128);
      const arn = arnOf("cloudtrail", `trail/${n}`);
      return { id: arn, state: { name: n, arn, homeRegion: region }, knownInPreview: {} };
    }
    case "aws:ssm/parameter:Parameter": {
      const n: string = inputs.name ?? `${name}-${suffix}`;
      return { id: n, state: { name: n, arn: arnOf("ssm", `parameter${n.startsWith("/") ? "" : "/"}${n}`), version: 1 }, knownInPreview: {} };
    }
    case "aws:ec2/vpc:Vpc": {
      const id = `vpc-${hex(seed, 17)}`;
      return { id, state: { arn: arnOf("ec2", `vpc/${id}`), defaultSecurityGroupId: `sg-${hex(seed + "sg", 17)}`, mainRouteTableId: `rtb-${hex(seed + "rtb", 17)}`, ownerId: acct }, knownInPreview: {}, idUnknownInPreview: true };
    }
    case "aws:ec2/subnet:Subnet": {
      const id = `subnet-${hex(seed, 17)}`;
      return { id, state: { arn: arnOf("ec2", `subnet/${id}`), ownerId: acct }, knownInPreview: {}, idUnknownInPreview: true };
    }
    case "aws:ec2/securityGroup:SecurityGroup": {
      const id = `sg-${hex(seed, 17)}`;
      return { id, state: { arn: arnOf("ec2", `security-group/${id}`), name: autoname(255), ownerId: acct }, knownInPreview: {}, idUnknownInPreview: true };
    }
    case "aws:ec2/instance:Instance": {
      const id = `i-${hex(seed, 17)}`;
      return { id, state: { arn: arnOf("ec2", `instance/${id}`), privateIp: "10.0.1.10", primaryNetworkInterfaceId: `eni-${hex(seed, 17)}` }, knownInPreview: {}, idUnknownInPreview: true };
    }
    case "aws:ec2/flowLog:FlowLog": {
      const id = `fl-${hex(seed, 17)}`;
      return { id, state: { arn: arnOf("ec2", `vpc-flow-log/${id}`) }, knownInPreview: {}, idUnknownInPreview: true };
    }
    case "aws:ec2/vpcEndpoint:VpcEndpoint": {
      const id = `vpce-${hex(seed, 17)}`;
      // Gateway endpoints (S3, DynamoDB) expose the service's managed prefix list.
      const prefixListId = inputs.vpcEndpointType === "Gateway" ? `pl-${hex(seed + "pl", 8)}` : undefined;
      return { id, state: { arn: arnOf("ec2", `vpc-endpoint/${id}`), dnsEntries: [], networkInterfaceIds: [], prefixListId }, knownInPreview: {}, idUnknownInPreview: true };
    }
    case "aws:rds/cluster:Cluster": {
      const cid: string = inputs.clusterIdentifier ?? `${name}-${suffix}`;
      return {
        id: cid,
        state: {
          clusterIdentifier: cid,
          arn: arnOf("rds", `cluster:${cid}`),
          endpoint: `${cid}.cluster-c${hex(seed, 11)}.${region}.rds.${DNS_SUFFIX}`,
          readerEndpoint: `${cid}.cluster-ro-c${hex(seed, 11)}.${region}.rds.${DNS_SUFFIX}`,
          clusterResourceId: `cluster-${hex(seed, 26).toUpperCase()}`,
          masterUserSecrets: inputs.manageMasterUserPassword
            ? [{ secretArn: arnOf("secretsmanager", `secret:rds!cluster-${uuid(seed)}-AbCdEf`), secretStatus: "active", kmsKeyId: inputs.masterUserSecretKmsKeyId }]
            : [],
          port: 3306,
        },
        knownInPreview: inputs.clusterIdentifier ? { clusterIdentifier: cid } : {},
      };
    }
    case "aws:rds/clusterInstance:ClusterInstance": {
      const iid: string = inputs.identifier ?? `${name}-${suffix}`;
      return { id: iid, state: { identifier: iid, arn: arnOf("rds", `db:${iid}`), endpoint: `${iid}.c${hex(seed, 11)}.${region}.rds.${DNS_SUFFIX}`, dbiResourceId: `db-${hex(seed, 26).toUpperCase()}`, writer: false }, knownInPreview: {} };
    }
    case "aws:rds/clusterParameterGroup:ClusterParameterGroup":
    case "aws:rds/parameterGroup:ParameterGroup":
    case "aws:rds/subnetGroup:SubnetGroup": {
      const n = autoname(255).toLowerCase();
      const kind = type.includes("cluster") ? "cluster-pg" : type.includes("subnet") ? "subgrp" : "pg";
      return { id: n, state: { name: n, arn: arnOf("rds", `${kind}:${n}`) }, knownInPreview: {} };
    }
    case "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": {
      // The replicated automated backup lives in the destination region, keyed by the source's resource id.
      const arn = arnOf("rds", `auto-backup:ab-${hex(seed, 26)}`);
      return { id: arn, state: {}, knownInPreview: {}, idUnknownInPreview: true };
    }
    case "aws:sfn/stateMachine:StateMachine":
    default: {
      if (!type.startsWith("aws:")) return { state: {}, knownInPreview: {} };
      // Generic: `arn:aws-cn:<service>:<region>:<account>:<kind>/<name>`.
      const [, mod, kind] = type.split(/[:/]/);
      const n = autoname(255);
      return { state: { name: inputs.name ?? n, arn: arnOf(mod, `${kind.toLowerCase()}/${n}`) }, knownInPreview: {} };
    }
  }
}
