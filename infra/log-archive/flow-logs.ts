/**
 * VPC Flow Logs straight into `flow-logs/` of the archive (Parquet, Hive-compatible, hourly
 * partitions); log delivery writes there through the archive's grants (./prefixes.ts).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { LogArchive } from "./archive";

/** VPC Flow Logs version-5 field set (the extended set; every field available in China). */
export const FLOW_LOG_FIELDS = [
  "version",
  "account-id",
  "interface-id",
  "srcaddr",
  "dstaddr",
  "srcport",
  "dstport",
  "protocol",
  "packets",
  "bytes",
  "start",
  "end",
  "action",
  "log-status",
  "vpc-id",
  "subnet-id",
  "instance-id",
  "tcp-flags",
  "type",
  "pkt-srcaddr",
  "pkt-dstaddr",
  "region",
  "az-id",
  "sublocation-type",
  "sublocation-id",
  "pkt-src-aws-service",
  "pkt-dst-aws-service",
  "flow-direction",
  "traffic-path",
] as const;
export const FLOW_LOG_FORMAT = FLOW_LOG_FIELDS.map((f) => "${" + f + "}").join(" ");

export interface FlowLogsArgs {
  /** The VPCs, each with the resource name of its flow log (config's `<archive>-flow-logs-<i>`, the lab's own). */
  readonly vpcs: { name: string; vpcId: pulumi.Input<string> }[];
  /** ACCEPT, REJECT or ALL (`logArchive.flowLogTrafficType`). */
  readonly flowLogTrafficType: string;
  readonly tags?: Record<string, string>;
}

/** Resource names of the configured VPCs' flow logs (`logArchive.flowLogVpcIds`). */
export function configuredFlowLogVpcs(archive: LogArchive, flowLogVpcIds: pulumi.Input<string>[]): FlowLogsArgs["vpcs"] {
  return flowLogVpcIds.map((vpcId, i) => ({ name: `${archive.name}-flow-logs-${i}`, vpcId }));
}

export function vpcFlowLogs(archive: LogArchive, args: FlowLogsArgs): aws.ec2.FlowLog[] {
  return args.vpcs.map(
    (v) =>
      new aws.ec2.FlowLog(
        v.name,
        {
          vpcId: v.vpcId,
          trafficType: args.flowLogTrafficType,
          logDestinationType: "s3",
          logDestination: pulumi.interpolate`${archive.bucketArn}/flow-logs/`,
          logFormat: FLOW_LOG_FORMAT,
          maxAggregationInterval: 600,
          destinationOptions: { fileFormat: "parquet", hiveCompatiblePartitions: true, perHourPartition: true },
          tags: args.tags,
        },
        { parent: archive, dependsOn: [archive.bucketPolicy] },
      ),
  );
}
