/**
 * IAM simulation (aws-cn) of AuroraLab's client role in the Beijing stack: it may read the master
 * secret and the archived audit logs only, decrypting only through Secrets Manager and S3; the
 * instance profile LogArchive exports to other instances reads neither. The instance, its policy
 * statements and user data are tested in tests/infra/aurora-lab/client.test.ts.
 */
import { one, runStack } from "../helpers/pulumi";
import { decide, rolePolicies } from "../helpers/iam-sim";
import type { StackRun } from "../../tools/harness";

describe("AuroraLab in the Beijing stack", () => {
  let run: StackRun;
  beforeAll(async () => {
    run = await runStack("cn-north-1");
  });

  const key = () => one(run, "aws:kms/key:Key", "aurora-lab-key");
  const archiveKey = () => one(run, "aws:kms/key:Key", "log-archive-archive-key");
  const archiveBucket = () => one(run, "aws:s3/bucket:Bucket", "log-archive-archive");

  test("IAM simulation: the lab client's role reads the secret and audit-logs/ only, decrypting only through the services; the shared agent role reads neither", async () => {
    const role = one(run, "aws:iam/role:Role", "aurora-lab-client-role");
    const shared = one(run, "aws:iam/role:Role", "log-archive-agent-role");
    // The two AWS managed policies (Session Manager, CloudWatch agent) cannot be simulated offline.
    const { documents, managedPolicyArns } = rolePolicies(run.resources, role);
    expect(managedPolicyArns).toHaveLength(2);
    const secretArn = one(run, "aws:rds/cluster:Cluster", "aurora-lab-cluster").state.masterUserSecrets[0].secretArn;
    const bucket = archiveBucket();
    const bucketPolicy = one(run, "aws:s3/bucketPolicy:BucketPolicy", "log-archive-archive-policy").inputs.policy;
    const via = (service: string) => ({ "kms:ViaService": `${service}.cn-north-1.amazonaws.com.cn` });
    const otherSecret = secretArn.replace(/secret:.*$/, "secret:someone-else-AbCdEf");
    // KMS needs its key policy too (both keys delegate to IAM through the account root).
    const labKeyPolicy = key().inputs.policy;
    const archiveKeyPolicy = archiveKey().inputs.policy;
    // [action, resource, context, resource policy, expected]
    const cases: [string, string, Record<string, string>, any, string][] = [
      ["secretsmanager:GetSecretValue", secretArn, {}, undefined, "Allowed"],
      ["secretsmanager:GetSecretValue", otherSecret, {}, undefined, "ImplicitlyDenied"],
      ["secretsmanager:PutSecretValue", secretArn, {}, undefined, "ImplicitlyDenied"],
      ["kms:Decrypt", key().state.arn, via("secretsmanager"), labKeyPolicy, "Allowed"],
      ["kms:Decrypt", key().state.arn, {}, labKeyPolicy, "ImplicitlyDenied"],
      ["s3:GetObject", `${bucket.state.arn}/audit-logs/cn-log-backup-lab-1/audit.log`, {}, bucketPolicy, "Allowed"],
      ["s3:GetObject", `${bucket.state.arn}/cloudtrail/x.json.gz`, {}, bucketPolicy, "ImplicitlyDenied"],
      ["s3:PutObject", `${bucket.state.arn}/audit-logs/x`, {}, bucketPolicy, "ImplicitlyDenied"],
      ["s3:ListBucket", bucket.state.arn, { "s3:prefix": "audit-logs/cn-log-backup-lab-1/" }, bucketPolicy, "Allowed"],
      ["s3:ListBucket", bucket.state.arn, { "s3:prefix": "cloudtrail/" }, bucketPolicy, "ImplicitlyDenied"],
      ["kms:Decrypt", archiveKey().state.arn, via("s3"), archiveKeyPolicy, "Allowed"],
      ["kms:Decrypt", archiveKey().state.arn, via("secretsmanager"), archiveKeyPolicy, "ImplicitlyDenied"],
      ["kms:Encrypt", archiveKey().state.arn, via("s3"), archiveKeyPolicy, "ImplicitlyDenied"],
    ];
    const decided = [];
    for (const [action, resource, context, resourcePolicy] of cases) {
      const decision = await decide({ identityPolicies: documents, resourcePolicy, request: { principal: role.state.arn, action, resource, context } });
      decided.push([action, resource, context, resourcePolicy, decision]);
    }
    expect(decided).toEqual(cases);
    // Every instance given LogArchive's exported profile: neither the master password nor the archived audit logs.
    const sharedDocs = rolePolicies(run.resources, shared).documents;
    for (const [action, resource, context, resourcePolicy, expected] of cases.filter((c) => c[4] === "Allowed")) {
      const decision = await decide({ identityPolicies: sharedDocs, resourcePolicy, request: { principal: shared.state.arn, action, resource, context } });
      expect([action, resource, decision]).toEqual([action, resource, expected === "Allowed" ? "ImplicitlyDenied" : expected]);
    }
  });
});
