/** VPC Flow Logs into the archive (infra/log-archive/flow-logs.ts). */
import { ofType, one, runStack } from "../../helpers/pulumi";
import type { StackRun } from "../../../tools/harness";
import { byName, primaryStacks } from "./helpers";
import { FLOW_LOG_FIELDS } from "../../../infra/log-archive";

describe("LogArchive VPC Flow Logs", () => {
  let run: StackRun;
  beforeAll(async () => {
    ({ run } = await primaryStacks());
  });
  const bucket = () => byName(run, "aws:s3/bucket:Bucket", "log-archive-archive");

  test("VPC Flow Logs: Parquet, Hive-compatible hourly partitions, extended fields, into flow-logs/", () => {
    // The configured VPCs (the lab VPC, when the lab is on, has its own: see the variants below).
    const fls = ofType(run, "aws:ec2/flowLog:FlowLog").filter((f) => f.name.startsWith("log-archive-flow-logs-"));
    expect(fls.map((f) => f.inputs.vpcId)).toEqual(["vpc-0123456789abcdef0", "vpc-89abcdef"]);
    for (const f of fls) {
      expect(f.inputs).toMatchObject({
        trafficType: "ALL",
        logDestinationType: "s3",
        logDestination: `${bucket().state.arn}/flow-logs/`,
        destinationOptions: { fileFormat: "parquet", hiveCompatiblePartitions: true, perHourPartition: true },
      });
      expect(f.inputs.logFormat.split(" ")).toEqual(FLOW_LOG_FIELDS.map((x) => "${" + x + "}"));
      expect(f.inputs.logFormat).toContain("${flow-direction}");
      expect(f.inputs.logFormat).toContain("${pkt-srcaddr}");
    }
  });
});

describe("LogArchive VPC Flow Logs: variants", () => {
  test("AuroraLab on: its VPC's flow logs go to the archive; lambdaNetwork.useAuroraLabVpc puts the subscriber in it", async () => {
    const run = await runStack("cn-north-1", { config: { auroraLab: { enabled: true }, lambdaNetwork: { useAuroraLabVpc: true } } });
    const labVpc = one(run, "aws:ec2/vpc:Vpc", "aurora-lab-vpc");
    const fl = one(run, "aws:ec2/flowLog:FlowLog", "log-archive-lab-flow-logs");
    expect(fl.inputs.vpcId).toBe(labVpc.id);
    expect(fl.inputs.logDestination).toBe(`${one(run, "aws:s3/bucket:Bucket", "log-archive-archive").state.arn}/flow-logs/`);
    const fn = one(run, "aws:lambda/function:Function", "log-archive-subscriber");
    expect(fn.inputs.vpcConfig.subnetIds).toHaveLength(2);
  });
});
