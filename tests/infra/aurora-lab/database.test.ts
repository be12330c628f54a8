/**
 * AuroraLab's database and key (infra/aurora-lab/database.ts, index.ts) in the Beijing stack under the
 * aws-cn mocks: the cluster, its parameter groups and log groups, the backup tag, the lab key.
 */
import { ofType, one, policyOf, runStack } from "../../helpers/pulumi";
import { type Run } from "./lab-helpers";

describe("AuroraLab in the Beijing stack", () => {
  let run: Run;
  beforeAll(async () => {
    run = await runStack("cn-north-1");
  });

  const sg = (suffix: string) => one(run, "aws:ec2/securityGroup:SecurityGroup", suffix);
  const key = () => one(run, "aws:kms/key:Key", "aurora-lab-key");
  const archiveKey = () => one(run, "aws:kms/key:Key", "log-archive-archive-key");

  test("Aurora MySQL 3, writer + reader db.t4g.medium, private, encrypted with the lab key, managed password, IAM auth", () => {
    const cluster = one(run, "aws:rds/cluster:Cluster", "aurora-lab-cluster");
    const k = key().state.arn;
    expect(cluster.inputs).toMatchObject({
      clusterIdentifier: "cn-log-backup-lab",
      engine: "aurora-mysql",
      engineMode: "provisioned",
      engineVersion: "8.0.mysql_aurora.3.08.2",
      masterUsername: "labadmin",
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: k,
      iamDatabaseAuthenticationEnabled: true,
      storageEncrypted: true,
      kmsKeyId: k,
      port: 3306,
      vpcSecurityGroupIds: [sg("aurora-lab-db-sg").id],
      backupRetentionPeriod: 7,
      copyTagsToSnapshot: true,
      deletionProtection: true,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: "cn-log-backup-lab-final",
    });
    expect(cluster.inputs.masterPassword).toBeUndefined();
    expect(cluster.inputs.engineVersion).toMatch(/^8\.0\.mysql_aurora\.3\.\d{2}\.\d+$/);
    const subnetGroup = one(run, "aws:rds/subnetGroup:SubnetGroup", "aurora-lab-db-subnets");
    expect(cluster.inputs.dbSubnetGroupName).toBe(subnetGroup.state.name);
    expect([...subnetGroup.inputs.subnetIds].sort()).toEqual(
      ["aurora-lab-private-a", "aurora-lab-private-b"].map((n) => one(run, "aws:ec2/subnet:Subnet", n).id).sort(),
    );
    const instances = ofType(run, "aws:rds/clusterInstance:ClusterInstance");
    expect(instances.map((i) => [i.name, i.inputs.identifier, i.inputs.promotionTier]).sort()).toEqual([
      ["aurora-lab-reader", "cn-log-backup-lab-2", 1],
      ["aurora-lab-writer", "cn-log-backup-lab-1", 0],
    ]);
    for (const i of instances) {
      expect(i.inputs).toMatchObject({
        clusterIdentifier: cluster.id,
        engine: "aurora-mysql",
        instanceClass: "db.t4g.medium",
        publiclyAccessible: false,
        dbSubnetGroupName: subnetGroup.state.name,
      });
    }
    // the reader is created after the writer, so the writer really is the first instance
    const reader = one(run, "aws:rds/clusterInstance:ClusterInstance", "aurora-lab-reader");
    expect(reader.dependencies).toContain(one(run, "aws:rds/clusterInstance:ClusterInstance", "aurora-lab-writer").urn);
  });

  test("the cluster parameter group sets the audit parameters Aurora MySQL 3 has, and no invented ones", () => {
    const pg = one(run, "aws:rds/clusterParameterGroup:ClusterParameterGroup", "aurora-lab-cluster-params");
    expect(pg.inputs.family).toBe("aurora-mysql8.0");
    const params = Object.fromEntries(pg.inputs.parameters.map((p: any) => [p.name, p.value]));
    expect(params).toEqual({
      server_audit_logging: "1",
      server_audit_events: "CONNECT,QUERY,TABLE,QUERY_DDL,QUERY_DML,QUERY_DCL",
      server_audit_excl_users: "rdsadmin",
    });
    expect(one(run, "aws:rds/cluster:Cluster", "aurora-lab-cluster").inputs.dbClusterParameterGroupName).toBe(pg.state.name);
    const instancePg = one(run, "aws:rds/parameterGroup:ParameterGroup", "aurora-lab-instance-params");
    expect(instancePg.inputs.family).toBe("aurora-mysql8.0");
    expect(Object.fromEntries(instancePg.inputs.parameters.map((p: any) => [p.name, p.value]))).toEqual({
      slow_query_log: "1",
      long_query_time: "2",
      log_output: "FILE",
    });
    for (const i of ofType(run, "aws:rds/clusterInstance:ClusterInstance")) expect(i.inputs.dbParameterGroupName).toBe(instancePg.state.name);
  });

  test("audit, error and slow query logs go to LogArchive's log groups (archive key, subscribed), created before the cluster", () => {
    const cluster = one(run, "aws:rds/cluster:Cluster", "aurora-lab-cluster");
    expect(cluster.inputs.enabledCloudwatchLogsExports).toEqual(["audit", "error", "slowquery"]);
    const stream = one(run, "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "log-archive-cloudwatch");
    const filters = ofType(run, "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter");
    for (const type of ["audit", "error", "slowquery"]) {
      const name = `/aws/rds/cluster/cn-log-backup-lab/${type}`;
      const groups = ofType(run, "aws:cloudwatch/logGroup:LogGroup").filter((g) => g.inputs.name === name);
      expect(groups).toHaveLength(1);
      const lg = groups[0];
      expect(lg.name).toBe(`log-archive-rds-cn-log-backup-lab-${type}`);
      expect(lg.parent).toBe(one(run, "cn-log-backup:index:LogArchive", "log-archive").urn);
      expect(lg.inputs.kmsKeyId).toBe(archiveKey().state.arn);
      expect(lg.inputs.retentionInDays).toBe(365); // auroraLab.logRetentionDays, not logArchive's 400
      expect(cluster.dependencies).toContain(lg.urn);
      // archived: one subscription filter into LogArchive's delivery stream
      const subscribed = filters.filter((f) => f.inputs.logGroup === lg.state.name);
      expect(subscribed.map((f) => f.inputs.destinationArn)).toEqual([stream.state.arn]);
    }
    // the lab key no longer admits CloudWatch Logs
    expect(policyOf(key()).Statement.map((s: any) => s.Sid)).not.toContain("CloudWatchLogsEncryptsThisAccountsLogGroups");
  });

  test("the cluster carries the tag the backup plan selects", () => {
    const cluster = one(run, "aws:rds/cluster:Cluster", "aurora-lab-cluster");
    expect(cluster.inputs.tags["cn-log-backup:backup"]).toBe("daily");
    expect(cluster.inputs.tags.owner).toBe("platform-team");
  });

  test("the lab key: rotation on, the account root only (the log groups use the archive key)", () => {
    const k = key();
    expect(k.inputs.enableKeyRotation).toBe(true);
    expect(k.inputs.deletionWindowInDays).toBe(30);
    const sids = policyOf(k).Statement.map((s: any) => s.Sid);
    expect(sids).toEqual(["AccountRootAdministers"]);
  });
});
