/**
 * The lab client: its own role and instance profile (the CloudWatch agent's and Session Manager's
 * managed policies, plus the lab's inline access), never a shared one; an arm64 AL2023 instance in
 * a private subnet, no public IP, IMDSv2, root volume under the lab key, user data placing the
 * lab scripts.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PolicyStatement, policyDocument } from "../iam";
import { managedPolicyArn, s3Arn, servicePrincipal, viaService } from "../partition";
import { AL2023_ARM64_AMI_PARAMETER, type AuroraLabArgs } from "./args";
import type { LabDatabase } from "./database";
import type { LabNetwork } from "./network";
import { encodeUserData, renderUserData } from "./user-data";

export function labClient(
  name: string,
  args: AuroraLabArgs,
  net: LabNetwork,
  db: LabDatabase,
  key: aws.kms.Key,
  component: pulumi.ComponentResource,
): aws.ec2.Instance {
  const parent = { parent: component };
  const tags = args.tags;
  const named = (n: string) => ({ ...tags, Name: n });
  const secretArn = db.secretArn;

  const clientRole = new aws.iam.Role(
    `${name}-client-role`,
    {
      description: "AuroraLab client: CloudWatch agent, Session Manager and the lab's own secret, key and audit logs",
      assumeRolePolicy: policyDocument([{ Effect: "Allow", Principal: { Service: servicePrincipal("ec2", parent) }, Action: "sts:AssumeRole" }]),
      tags,
    },
    parent,
  );
  for (const policy of ["AmazonSSMManagedInstanceCore", "CloudWatchAgentServerPolicy"]) {
    new aws.iam.RolePolicyAttachment(`${name}-client-${policy}`, { role: clientRole.name, policyArn: managedPolicyArn(policy, parent) }, parent);
  }
  const clientProfile = new aws.iam.InstanceProfile(`${name}-client-profile`, { role: clientRole.name, tags }, parent);
  const profileName: pulumi.Input<string> = clientProfile.name;
  const roleName: pulumi.Input<string> = clientRole.name;
  const prefix = args.auditLogs?.prefix ?? "audit-logs/";
  const statements: PolicyStatement[] = [
    { Sid: "ReadTheMasterSecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: secretArn },
    {
      Sid: "DecryptTheMasterSecret",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: key.arn,
      Condition: { StringEquals: { "kms:ViaService": viaService("secretsmanager", args.region, parent) } },
    },
  ];
  if (args.auditLogs) {
    statements.push(
      {
        Sid: "ListTheAuditLogs",
        Effect: "Allow",
        Action: "s3:ListBucket",
        Resource: s3Arn(args.auditLogs.bucketName, undefined, parent),
        Condition: { StringLike: { "s3:prefix": [`${prefix}*`] } },
      },
      { Sid: "ReadTheAuditLogs", Effect: "Allow", Action: "s3:GetObject", Resource: s3Arn(args.auditLogs.bucketName, `${prefix}*`, parent) },
    );
    if (args.auditLogs.bucketKeyArn) {
      statements.push({
        Sid: "DecryptTheAuditLogs",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: args.auditLogs.bucketKeyArn,
        Condition: { StringEquals: { "kms:ViaService": viaService("s3", args.region, parent) } },
      });
    }
  }
  const sysbenchObject = args.sysbench?.source.startsWith("s3://") ? /^s3:\/\/([^/]+)\/(.+)$/.exec(args.sysbench.source) : null;
  if (sysbenchObject) {
    statements.push({ Sid: "ReadTheSysbenchSource", Effect: "Allow", Action: "s3:GetObject", Resource: s3Arn(sysbenchObject[1], sysbenchObject[2], parent) });
  }
  const labAccess = new aws.iam.RolePolicy(`${name}-client-lab-access`, { role: roleName, policy: policyDocument(statements) }, parent);

  const ami = aws.ssm.getParameterOutput({ name: args.client.amiParameterName ?? AL2023_ARM64_AMI_PARAMETER }, parent);
  const userData = pulumi
    .all([db.cluster.endpoint, db.cluster.readerEndpoint, secretArn, args.auditLogs?.bucketName, args.clientKit?.cloudWatchAgentConfigParameter])
    .apply(([endpoint, readerEndpoint, secret, bucket, cwParam]) =>
      encodeUserData(
        renderUserData({
          region: args.region,
          endpoint,
          readerEndpoint,
          secretArn: secret,
          bucket,
          prefix,
          dbInstances: db.instanceIds,
          cloudWatchAgentConfigParameter: cwParam,
          sysbench: args.sysbench,
        }),
      ),
    );
  return new aws.ec2.Instance(
    `${name}-client`,
    {
      ami: ami.insecureValue,
      instanceType: args.client.instanceType,
      subnetId: net.privateSubnets[0].id,
      vpcSecurityGroupIds: [net.clientSg.id],
      associatePublicIpAddress: false,
      iamInstanceProfile: profileName,
      metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
      rootBlockDevice: {
        encrypted: true,
        kmsKeyId: key.arn,
        volumeType: "gp3",
        volumeSize: args.client.rootVolumeGiB,
        deleteOnTermination: true,
        tags: named(`${name}-client-root`),
      },
      userDataBase64: userData,
      userDataReplaceOnChange: true,
      tags: named(`${name}-client`),
    },
    {
      parent: component,
      // Boot needs the endpoints (packages, Session Manager, the agent) and its permissions.
      dependsOn: [...net.endpoints, labAccess],
      // A new AL2023 release would otherwise replace the client on every deployment.
      ignoreChanges: ["ami"],
    },
  );
}
