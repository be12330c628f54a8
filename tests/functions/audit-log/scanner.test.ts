/** functions/audit-log/scanner.ts against aws-sdk-client-mock: exact API parameters and failure handling. */
import { DescribeDBClusterParametersCommand, DescribeDBClustersCommand, DescribeDBInstancesCommand, RDSClient } from "@aws-sdk/client-rds";
import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { createScannerHandler, isOn } from "../../../functions/audit-log/scanner";

const quiet = () => undefined;
const noSleep = async () => undefined;

describe("scanner", () => {
  test("filters by engine, pages with Marker, and throws when SQS keeps refusing entries (SenderFault is not retried)", async () => {
    const rds = mockClient(RDSClient);
    rds
      .on(DescribeDBInstancesCommand, { Marker: undefined })
      .resolves({ DBInstances: [{ DBInstanceIdentifier: "a", DBClusterIdentifier: "c", Engine: "aurora-mysql", DBInstanceStatus: "available" }], Marker: "p2" })
      .on(DescribeDBInstancesCommand, { Marker: "p2" })
      .resolves({ DBInstances: [{ DBInstanceIdentifier: "b", DBClusterIdentifier: "c", Engine: "aurora-mysql", DBInstanceStatus: "available" }] });
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [{ DBClusterIdentifier: "c", DBClusterParameterGroup: "g" }] });
    rds.on(DescribeDBClusterParametersCommand).resolves({ Parameters: [{ ParameterName: "server_audit_logging", ParameterValue: "ON" }] });
    const sqs = mockClient(SQSClient);
    sqs.on(SendMessageBatchCommand).callsFake((input) => ({
      Successful: [{ Id: input.Entries[1].Id, MessageId: "1", MD5OfMessageBody: "" }],
      Failed: [{ Id: input.Entries[0].Id, Code: "InvalidParameterValue", SenderFault: true, Message: "bad" }],
    }));
    const handler = createScannerHandler({ rds: new RDSClient({}), sqs: new SQSClient({}), queueUrl: "q", sleep: noSleep, log: quiet });
    await expect(handler({})).rejects.toThrow(/could not queue 1 of 2 .*InvalidParameterValue/);
    expect(rds.commandCalls(DescribeDBInstancesCommand)[0].args[0].input.Filters).toEqual([{ Name: "engine", Values: ["aurora-mysql", "aurora"] }]);
    expect(rds.commandCalls(DescribeDBClusterParametersCommand)[0].args[0].input.DBClusterParameterGroupName).toBe("g");
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(1);
    rds.restore();
    sqs.restore();
  });
  test("isOn reads MySQL booleans", () => {
    expect(["1", "ON", "on", "true"].map(isOn)).toEqual([true, true, true, true]);
    expect(["0", "OFF", "", undefined].map(isOn)).toEqual([false, false, false, false]);
  });
});
