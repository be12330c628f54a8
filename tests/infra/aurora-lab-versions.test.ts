/**
 * AuroraLab's engine version with autoMinorVersionUpgrade: AWS upgrades minors in the maintenance
 * window (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Updates.html);
 * the stack must not try to downgrade the cluster on the next `up`.
 */
import { one, runStack } from "../../tools/harness";

describe("AuroraLab engine version", () => {
  test("cluster and instances take the configured version at creation and ignore AWS's later minor upgrades", async () => {
    const run = await runStack("cn-north-1");
    const cluster = one(run, "aws:rds/cluster:Cluster", "aurora-lab-cluster");
    expect(cluster.inputs.engineVersion).toBe("8.0.mysql_aurora.3.08.2");
    expect(cluster.ignoreChanges).toEqual(["engineVersion"]);
    for (const role of ["writer", "reader"]) {
      const instance = one(run, "aws:rds/clusterInstance:ClusterInstance", `aurora-lab-${role}`);
      expect(instance.inputs.autoMinorVersionUpgrade).toBe(true);
      expect(instance.ignoreChanges).toEqual(["engineVersion"]);
    }
  }, 300_000);
});
