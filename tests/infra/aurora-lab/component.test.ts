/**
 * AuroraLab alone (infra/aurora-lab/index.ts) with LogArchive's kit and the archive bucket, or with its
 * own minimal client role and log groups; the Args the stack passes, from fakes.
 */
import * as zlib from "zlib";
import { ACCOUNT_ID, policyOf, settle, useMocks } from "../../helpers/pulumi";
import { AuroraLab } from "../../../infra/aurora-lab";
import { givenLogGroups } from "../../../infra/aurora-lab/database";
import { outputValue } from "../../../tools/harness";
import { Marker, R, baseArgs } from "./lab-helpers";

describe("AuroraLab with LogArchive's kit and the archive bucket (component alone)", () => {
  test("with LogArchive's agent configuration: its own role and profile (agent + SSM policies), reads the audit-log prefix, passes bucket and agent parameter to the client", async () => {
    const mocks = await useMocks(R);
    const lab = new AuroraLab(
      "lab",
      baseArgs({
        clientKit: { cloudWatchAgentConfigParameter: "/cn-log-backup/cloudwatch-agent" },
        auditLogs: { bucketName: "archive-123", bucketKeyArn: `arn:aws-cn:kms:cn-north-1:${ACCOUNT_ID}:key/archive` },
      }),
    );
    const clientId = await outputValue(lab.clientInstanceId);
    await settle();
    const res = mocks.resources;
    const find = (type: string, name: string) => res.find((r) => r.type === type && r.name === name)!;
    const role = find("aws:iam/role:Role", "lab-client-role");
    const profile = find("aws:iam/instanceProfile:InstanceProfile", "lab-client-profile");
    expect(profile.inputs.role).toBe(role.state.name);
    expect(
      res
        .filter((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment" && r.inputs.role === role.state.name)
        .map((r) => r.inputs.policyArn)
        .sort(),
    ).toEqual(["arn:aws-cn:iam::aws:policy/AmazonSSMManagedInstanceCore", "arn:aws-cn:iam::aws:policy/CloudWatchAgentServerPolicy"]);
    const instance = find("aws:ec2/instance:Instance", "lab-client");
    expect(instance.id).toBe(clientId);
    expect(instance.inputs.iamInstanceProfile).toBe(profile.state.name);
    const rp = find("aws:iam/rolePolicy:RolePolicy", "lab-client-lab-access");
    expect(rp.inputs.role).toBe(role.state.name);
    const st = policyOf(rp).Statement;
    expect(st.slice(2)).toEqual([
      {
        Sid: "ListTheAuditLogs",
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: "arn:aws-cn:s3:::archive-123",
        Condition: { StringLike: { "s3:prefix": ["audit-logs/*"] } },
      },
      { Sid: "ReadTheAuditLogs", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws-cn:s3:::archive-123/audit-logs/*" },
      {
        Sid: "DecryptTheAuditLogs",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: `arn:aws-cn:kms:cn-north-1:${ACCOUNT_ID}:key/archive`,
        Condition: { StringEquals: { "kms:ViaService": "s3.cn-north-1.amazonaws.com.cn" } },
      },
    ]);
    const script = zlib.gunzipSync(Buffer.from(instance.inputs.userDataBase64, "base64")).toString("utf8");
    expect(script).toMatch(
      /setup_ec2\.sh .* --prefix 'audit-logs\/' --db-instances 'lab-x-1,lab-x-2' --bucket 'archive-123' --cw-agent-config '\/cn-log-backup\/cloudwatch-agent'\n/,
    );
  });

  test("alone: a minimal client role and profile, and log groups with the lab key (which then admits CloudWatch Logs)", async () => {
    const mocks = await useMocks(R);
    new AuroraLab("lab", baseArgs());
    await settle();
    const res = mocks.resources;
    const find = (type: string, name: string) => res.find((r) => r.type === type && r.name === name)!;
    const role = find("aws:iam/role:Role", "lab-client-role");
    expect(policyOf(role, "assumeRolePolicy").Statement).toEqual([
      { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com.cn" }, Action: "sts:AssumeRole" },
    ]);
    const profile = find("aws:iam/instanceProfile:InstanceProfile", "lab-client-profile");
    expect(profile.inputs.role).toBe(role.state.name);
    expect(find("aws:ec2/instance:Instance", "lab-client").inputs.iamInstanceProfile).toBe(profile.state.name);
    expect(find("aws:iam/rolePolicy:RolePolicy", "lab-client-lab-access").inputs.role).toBe(role.state.name);
    const key = find("aws:kms/key:Key", "lab-key");
    expect(policyOf(key).Statement.map((st: any) => st.Sid)).toEqual(["AccountRootAdministers", "CloudWatchLogsEncryptsThisAccountsLogGroups"]);
    const groups = res.filter((r) => r.type === "aws:cloudwatch/logGroup:LogGroup");
    expect(groups.map((g) => [g.inputs.name, g.inputs.kmsKeyId, g.inputs.retentionInDays]).sort()).toEqual(
      ["audit", "error", "slowquery"].map((t) => [`/aws/rds/cluster/lab-x/${t}`, key.state.arn, 365]),
    );
  });

  test("LogArchive's log groups (data, by log type) replace the lab's own; a missing type is refused by name", async () => {
    const mocks = await useMocks(R);
    const parent = new Marker("archive", {});
    const given = Object.fromEntries(["audit", "error", "slowquery"].map((t) => [t, new Marker(`lab-x-${t}-marker`, { parent })]));
    new AuroraLab("lab", baseArgs({ logs: { retentionInDays: 365, logGroups: given } }));
    await settle();
    expect(mocks.resources.filter((r) => r.type === "aws:cloudwatch/logGroup:LogGroup")).toEqual([]);
    const cluster = mocks.resources.find((r) => r.type === "aws:rds/cluster:Cluster" && r.name === "lab-cluster")!;
    expect(cluster.inputs.enabledCloudwatchLogsExports).toEqual(["audit", "error", "slowquery"]);
    // What the cluster's dependsOn gets, in LOG_EXPORTS order (database.test.ts checks the dependency in the stack):
    expect(givenLogGroups(given, "lab-x")).toEqual([given.audit, given.error, given.slowquery]);
    expect(() => givenLogGroups({ audit: given.audit }, "lab-x")).toThrow("AuroraLab: logs.logGroups has no log group for cluster lab-x (error, slowquery)");
  });
});
