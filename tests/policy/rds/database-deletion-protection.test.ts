import { rdsDeletionProtection } from "../../../policy-pack/rds/database-deletion-protection";
import { res, runOne } from "../helpers";

describe("rds-database-deletion-protection", () => {
  const CLUSTER = "aws:rds/cluster:Cluster";
  it("passes protection on, and an allow-listed cluster without it", async () => {
    expect((await runOne(rdsDeletionProtection, [res(CLUSTER, "c", { deletionProtection: true })])).messages).toEqual([]);
    const cfg = { "rds-database-deletion-protection": { exemptDatabases: ["aurora-lab"] } };
    const { result, messages } = await runOne(rdsDeletionProtection, [res(CLUSTER, "lab", { clusterIdentifier: "aurora-lab", deletionProtection: false })], {
      config: cfg,
    });
    expect(messages).toEqual([]);
    expect(result.examined).toBe(1);
  });
  it("reports protection off when not allow-listed", async () => {
    expect((await runOne(rdsDeletionProtection, [res(CLUSTER, "c", {})])).messages).toEqual([
      'Cluster "c" has deletion protection off: set deletionProtection: true or add "c" to exemptDatabases.',
    ]);
  });
  it("rejects a malformed allow-list", async () => {
    await expect(runOne(rdsDeletionProtection, [], { config: { "rds-database-deletion-protection": { exemptDatabases: "aurora-lab" } } })).rejects.toThrow(
      'policy config rds-database-deletion-protection.exemptDatabases is "aurora-lab", expected array',
    );
  });
});
