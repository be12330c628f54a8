/**
 * AuroraLab's client (infra/aurora-lab/client.ts, user-data.ts) in the Beijing stack under the aws-cn
 * mocks: the instance, its own role's policies, the user data, and the lab's outputs and tags. What
 * that role may do, in the IAM simulator: tests/iam/aurora-lab-client.test.ts.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ACCOUNT_ID, ofType, one, policyOf, runStack } from "../../helpers/pulumi";
import { AL2023_ARM64_AMI_PARAMETER, LAB_SCRIPTS, SCRIPTS_DIR } from "../../../infra/aurora-lab";
import { rolePolicies } from "../../helpers/iam-sim";
import { AMI, R, type Run, labResources, userDataOf } from "./lab-helpers";

describe("AuroraLab in the Beijing stack", () => {
  let run: Run;
  beforeAll(async () => {
    run = await runStack("cn-north-1");
  });

  const sg = (suffix: string) => one(run, "aws:ec2/securityGroup:SecurityGroup", suffix);
  const key = () => one(run, "aws:kms/key:Key", "aurora-lab-key");
  const archiveKey = () => one(run, "aws:kms/key:Key", "log-archive-archive-key");
  const archiveBucket = () => one(run, "aws:s3/bucket:Bucket", "log-archive-archive");

  test("the client: AL2023 arm64 from the public parameter, t4g.micro, private, IMDSv2, no key pair, encrypted with the lab key", () => {
    const instance = one(run, "aws:ec2/instance:Instance", "aurora-lab-client");
    expect(run.invokes.find((i) => i.token === "aws:ssm/getParameter:getParameter")?.args.name).toBe(AL2023_ARM64_AMI_PARAMETER);
    expect(AL2023_ARM64_AMI_PARAMETER).toBe("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64");
    expect(instance.inputs.ami).toBe(AMI);
    expect(instance.inputs.instanceType).toBe("t4g.micro");
    expect(instance.inputs.subnetId).toBe(one(run, "aws:ec2/subnet:Subnet", "aurora-lab-private-a").id);
    expect(instance.inputs.associatePublicIpAddress).toBe(false);
    expect(instance.inputs.keyName).toBeUndefined();
    expect(instance.inputs.vpcSecurityGroupIds).toEqual([sg("aurora-lab-client-sg").id]);
    expect(instance.inputs.metadataOptions).toEqual({
      httpTokens: "required",
      httpEndpoint: "enabled",
      httpPutResponseHopLimit: 1,
      instanceMetadataTags: "disabled",
    });
    expect(instance.inputs.rootBlockDevice).toMatchObject({
      encrypted: true,
      kmsKeyId: key().state.arn,
      volumeType: "gp3",
      volumeSize: 16,
      deleteOnTermination: true,
    });
    // The lab's own profile and role, not LogArchive's shared agent profile (which other instances get)
    const labProfile = one(run, "aws:iam/instanceProfile:InstanceProfile", "aurora-lab-client-profile");
    expect(instance.inputs.iamInstanceProfile).toBe(labProfile.state.name);
    expect(instance.inputs.iamInstanceProfile).not.toBe(one(run, "aws:iam/instanceProfile:InstanceProfile", "log-archive-agent-profile").state.name);
    expect(labProfile.inputs.role).toBe(one(run, "aws:iam/role:Role", "aurora-lab-client-role").state.name);
    // it boots after the endpoints it needs exist
    const deps = instance.dependencies ?? [];
    for (const e of ofType(run, "aws:ec2/vpcEndpoint:VpcEndpoint")) expect(deps).toContain(e.urn);
  });

  test("the client's own role may read exactly the master secret and the audit logs; LogArchive's shared agent role gets nothing of the lab's", () => {
    const cluster = one(run, "aws:rds/cluster:Cluster", "aurora-lab-cluster");
    const secretArn = cluster.state.masterUserSecrets[0].secretArn;
    const rp = one(run, "aws:iam/rolePolicy:RolePolicy", "aurora-lab-client-lab-access");
    const clientRole = one(run, "aws:iam/role:Role", "aurora-lab-client-role").state.name;
    const agentRole = one(run, "aws:iam/role:Role", "log-archive-agent-role");
    expect(rp.inputs.role).toBe(clientRole);
    expect(rolePolicies(run.resources, agentRole).documents).toEqual({});
    const st = policyOf(rp).Statement;
    const bucket = archiveBucket().state.bucket;
    expect(st).toEqual([
      { Sid: "ReadTheMasterSecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: secretArn },
      {
        Sid: "DecryptTheMasterSecret",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: key().state.arn,
        Condition: { StringEquals: { "kms:ViaService": "secretsmanager.cn-north-1.amazonaws.com.cn" } },
      },
      // where AuditLogPipeline writes (the pipeline is on in the stack file): LogArchive's bucket and key
      {
        Sid: "ListTheAuditLogs",
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: `arn:aws-cn:s3:::${bucket}`,
        Condition: { StringLike: { "s3:prefix": ["audit-logs/*"] } },
      },
      { Sid: "ReadTheAuditLogs", Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws-cn:s3:::${bucket}/audit-logs/*` },
      {
        Sid: "DecryptTheAuditLogs",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: archiveKey().state.arn,
        Condition: { StringEquals: { "kms:ViaService": "s3.cn-north-1.amazonaws.com.cn" } },
      },
    ]);
    // Both roles: Session Manager and the CloudWatch agent, nothing more.
    for (const role of [clientRole, agentRole.state.name]) {
      const attached = ofType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        .filter((a) => a.inputs.role === role)
        .map((a) => a.inputs.policyArn)
        .sort();
      expect(attached).toEqual(["arn:aws-cn:iam::aws:policy/AmazonSSMManagedInstanceCore", "arn:aws-cn:iam::aws:policy/CloudWatchAgentServerPolicy"]);
    }
  });

  test("the user data (gzip, under 16 KB) places the three lab scripts verbatim and runs setup_ec2.sh with the cluster's values", () => {
    const instance = one(run, "aws:ec2/instance:Instance", "aurora-lab-client");
    expect(instance.inputs.userDataReplaceOnChange).toBe(true);
    expect(Buffer.from(instance.inputs.userDataBase64, "base64").length).toBeLessThan(16384);
    const script = userDataOf(run);
    for (const file of LAB_SCRIPTS) {
      const text = fs.readFileSync(path.join(SCRIPTS_DIR, file), "utf8");
      expect(script).toContain(`cat >/opt/aurora-lab/${file} <<'AURORA_LAB_SCRIPT_END'\n${text}AURORA_LAB_SCRIPT_END\nchmod 0755 /opt/aurora-lab/${file}\n`);
    }
    const cluster = one(run, "aws:rds/cluster:Cluster", "aurora-lab-cluster");
    expect(script).toContain(
      `/opt/aurora-lab/setup_ec2.sh --region 'cn-north-1' --endpoint '${cluster.state.endpoint}' --reader-endpoint '${cluster.state.readerEndpoint}' --secret-arn '${cluster.state.masterUserSecrets[0].secretArn}' --prefix 'audit-logs/' --db-instances 'cn-log-backup-lab-1,cn-log-backup-lab-2' --bucket '${archiveBucket().state.bucket}' --cw-agent-config 'AmazonCloudWatch-cn-log-backup-cn-north-1'\n`,
    );
    expect(script).not.toContain("setup_sysbench.sh --region"); // no sysbenchSource configured
    const syntax = spawnSync("bash", ["-n"], { input: script, encoding: "utf8" });
    expect(syntax.stderr).toBe("");
    expect(syntax.status).toBe(0);
    const shellcheck = spawnSync("bash", ["-c", "command -v shellcheck"], { encoding: "utf8" });
    if (shellcheck.status === 0) {
      const lint = spawnSync(shellcheck.stdout.trim(), ["--shell=bash", "-"], { input: script, encoding: "utf8" });
      expect(lint.stdout + lint.stderr).toBe("");
      expect(lint.status).toBe(0);
    } else {
      console.warn("SKIPPED: shellcheck not found; the user data was only checked with bash -n");
    }
  });

  test("running the user data's file-writing part recreates the scripts byte for byte, executable", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "aurora-lab-userdata-"));
    const script = userDataOf(run)
      .split("\n")
      .filter((l) => !l.startsWith("exec >>"))
      .join("\n")
      .replaceAll("/opt/aurora-lab", dir);
    const upToSetup = script.slice(0, script.indexOf(`${dir}/setup_ec2.sh --region`));
    const r = spawnSync("bash", ["-c", upToSetup], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    for (const file of LAB_SCRIPTS) {
      expect(fs.readFileSync(path.join(dir, file), "utf8")).toBe(fs.readFileSync(path.join(SCRIPTS_DIR, file), "utf8"));
      expect(fs.statSync(path.join(dir, file)).mode & 0o777).toBe(0o755);
    }
  });

  test("stack outputs: client, Session Manager command, endpoints, secret, parameter group", () => {
    const lab = run.outputs.auroraLab as Record<string, any>;
    const instance = one(run, "aws:ec2/instance:Instance", "aurora-lab-client");
    const cluster = one(run, "aws:rds/cluster:Cluster", "aurora-lab-cluster");
    expect(cluster.state.masterUserSecrets[0].secretArn).toMatch(new RegExp(`^arn:aws-cn:secretsmanager:cn-north-1:${ACCOUNT_ID}:secret:rds!cluster-`));
    expect(lab).toEqual({
      vpcId: one(run, "aws:ec2/vpc:Vpc", "aurora-lab-vpc").id,
      clientInstanceId: instance.id,
      ssmStartSessionCommand: `aws ssm start-session --target ${instance.id} --region cn-north-1`,
      clusterIdentifier: "cn-log-backup-lab",
      clusterEndpoint: cluster.state.endpoint,
      readerEndpoint: cluster.state.readerEndpoint,
      masterUserSecretArn: cluster.state.masterUserSecrets[0].secretArn,
      clusterParameterGroupName: one(run, "aws:rds/clusterParameterGroup:ClusterParameterGroup", "aurora-lab-cluster-params").state.name,
      dbInstanceIdentifiers: ["cn-log-backup-lab-1", "cn-log-backup-lab-2"],
    });
  });

  test("everything the lab makes is in Beijing and carries the stack tags", () => {
    const resources = labResources(run);
    expect(resources.length).toBeGreaterThan(40);
    for (const r of resources) expect(r.region).toBe(R);
    for (const r of resources.filter((r) => "tags" in r.inputs)) {
      expect(r.inputs.tags["cn-log-backup:stack"]).toBe("cn-north-1");
    }
  });
});
