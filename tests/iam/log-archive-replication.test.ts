/**
 * LogArchive's replication role and the replica's bucket and key policies, taken from both stacks as
 * deployed under mocks, evaluated by an IAM simulator (@cloud-copilot/iam-simulate): the role reads
 * versions of the archive and replicates into the replica with the exact keys through S3 in each
 * region, and is denied deletes, plain writes, other buckets and other keys; cross-account, the
 * replica admits the primary account's replication role by name only. The log deliveries into the
 * archive: tests/iam/log-archive-delivery.test.ts; the simulator set-up: ./log-archive-helpers.ts.
 */
import { ACCOUNT_ID, runStack } from "../helpers/pulumi";
import type { StackRun } from "../../tools/harness";
import {
  OTHER_BUCKET,
  OTHER_KEY,
  S3_BJ,
  S3_NX,
  bucketArn,
  bucketPolicy,
  inline,
  keyArn,
  keyPolicy,
  roleArn,
  simulate,
  validateSimulatedRequests,
} from "./log-archive-helpers";

let primary: StackRun;
let backup: StackRun;
beforeAll(async () => {
  backup = await runStack("cn-northwest-1");
  primary = await runStack("cn-north-1", { config: { logArchive: { flowLogVpcIds: ["vpc-0123456789abcdef0"] } } });
});
// A request the catalogue does not know (a typo) fails the file rather than reading as "denied".
afterAll(validateSimulatedRequests);

describe("replication role", () => {
  const role = () => roleArn(primary, "log-archive-replication-role");
  const id = () => [inline(primary, "log-archive-replication-policy")];
  const src = () => bucketArn(primary, "log-archive-archive");
  const dst = () => bucketArn(backup, "log-archive-replica");
  const srcKey = () => keyArn(primary, "log-archive-archive-key");
  const dstKey = () => keyArn(backup, "log-archive-replica-key");
  const onSource = (action: string, resource: string) =>
    simulate({
      principal: role(),
      action,
      resource,
      identity: id(),
      resourcePolicy: bucketPolicy(primary, "log-archive-archive-policy"),
      context: { "aws:PrincipalArn": role() },
    });
  const onReplica = (action: string, resource: string, principal = role(), identity = id()) =>
    simulate({
      principal,
      action,
      resource,
      identity,
      resourcePolicy: bucketPolicy(backup, "log-archive-replica-policy"),
      context: { "aws:PrincipalArn": principal },
    });

  test("reads versions of the source and replicates into the replica", () => {
    expect(onSource("s3:GetReplicationConfiguration", src())).toBe("Allowed");
    expect(onSource("s3:GetObjectVersionForReplication", `${src()}/cloudwatch/logs/x.gz`)).toBe("Allowed");
    expect(onReplica("s3:ReplicateObject", `${dst()}/cloudwatch/logs/x.gz`)).toBe("Allowed");
    expect(onReplica("s3:ReplicateDelete", `${dst()}/cloudwatch/logs/x.gz`)).toBe("Allowed");
  });

  test("is denied deletes, plain writes, and other buckets", () => {
    expect(onSource("s3:DeleteObjectVersion", `${src()}/cloudwatch/logs/x.gz`)).toBe("ExplicitlyDenied");
    expect(onSource("s3:DeleteObject", `${src()}/cloudwatch/logs/x.gz`)).toBe("ImplicitlyDenied");
    expect(onSource("s3:PutObject", `${src()}/cloudwatch/logs/x.gz`)).toBe("ImplicitlyDenied");
    expect(onReplica("s3:DeleteObjectVersion", `${dst()}/x`)).toBe("ExplicitlyDenied");
    expect(onReplica("s3:PutObject", `${dst()}/x`)).toBe("ImplicitlyDenied");
    expect(simulate({ principal: role(), action: "s3:ReplicateObject", resource: `${OTHER_BUCKET}/x`, identity: id() })).toBe("ImplicitlyDenied");
  });

  test("decrypts with the source key only via S3 in cn-north-1, encrypts with the replica key only via S3 in cn-northwest-1", () => {
    const kms = (action: string, key: string, policy: object, via: string, ctx: string) =>
      simulate({
        principal: role(),
        action,
        resource: key,
        identity: id(),
        resourcePolicy: policy,
        context: { "kms:ViaService": via, "kms:EncryptionContext:aws:s3:arn": ctx, "aws:PrincipalArn": role() },
      });
    const srcPolicy = keyPolicy(primary, "log-archive-archive-key");
    const dstPolicy = keyPolicy(backup, "log-archive-replica-key");
    expect(kms("kms:Decrypt", srcKey(), srcPolicy, S3_BJ, src())).toBe("Allowed"); // bucket key context
    expect(kms("kms:Decrypt", srcKey(), srcPolicy, S3_BJ, `${src()}/x`)).toBe("Allowed");
    expect(kms("kms:Decrypt", srcKey(), srcPolicy, S3_NX, src())).toBe("ImplicitlyDenied");
    expect(kms("kms:Decrypt", srcKey(), srcPolicy, "ec2.cn-north-1.amazonaws.com.cn", src())).toBe("ImplicitlyDenied");
    expect(kms("kms:Decrypt", srcKey(), srcPolicy, S3_BJ, OTHER_BUCKET)).toBe("ImplicitlyDenied");
    expect(kms("kms:Encrypt", srcKey(), srcPolicy, S3_BJ, src())).toBe("ImplicitlyDenied");
    expect(kms("kms:GenerateDataKey", dstKey(), dstPolicy, S3_NX, dst())).toBe("Allowed");
    expect(kms("kms:Encrypt", dstKey(), dstPolicy, S3_NX, `${dst()}/x`)).toBe("Allowed");
    expect(kms("kms:Encrypt", dstKey(), dstPolicy, S3_BJ, dst())).toBe("ImplicitlyDenied");
    expect(kms("kms:Decrypt", dstKey(), dstPolicy, S3_NX, dst())).toBe("ImplicitlyDenied");
    expect(kms("kms:Decrypt", OTHER_KEY, srcPolicy, S3_BJ, src())).toBe("ImplicitlyDenied");
    expect(kms("kms:ScheduleKeyDeletion", srcKey(), srcPolicy, S3_BJ, src())).toBe("ImplicitlyDenied");
  });

  test("cross-account: the replica admits the primary account's replication role by name, no other role", async () => {
    const other = "210987654321";
    const xBackup = await runStack("cn-northwest-1", {
      config: { backupAccountId: ACCOUNT_ID, backupEvents: { primaryAccountId: other }, logArchive: { primaryAccountId: other } },
    });
    const dstArn = bucketArn(xBackup, "log-archive-replica");
    const policy = bucketPolicy(xBackup, "log-archive-replica-policy");
    const wide = [{ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] }];
    const as = (principal: string, action: string) =>
      simulate({
        principal,
        action,
        resource: `${dstArn}/x`,
        identity: wide,
        resourcePolicy: policy,
        context: { "aws:PrincipalArn": principal, "aws:PrincipalAccount": other },
      });
    const good = `arn:aws-cn:iam::${other}:role/cn-log-backup-archive-replication-cn-north-1`;
    expect(as(good, "s3:ReplicateObject")).toBe("Allowed");
    expect(as(`arn:aws-cn:iam::${other}:role/some-other-role`, "s3:ReplicateObject")).toBe("ImplicitlyDenied");
    expect(as(good, "s3:GetObject")).toBe("ImplicitlyDenied");
    expect(as(good, "s3:DeleteObjectVersion")).toBe("ExplicitlyDenied");
    const kp = keyPolicy(xBackup, "log-archive-replica-key");
    const kArn = keyArn(xBackup, "log-archive-replica-key");
    const kms = (principal: string, via: string) =>
      simulate({
        principal,
        action: "kms:GenerateDataKey",
        resource: kArn,
        identity: [{ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "kms:*", Resource: "*" }] }],
        resourcePolicy: kp,
        context: { "aws:PrincipalArn": principal, "kms:ViaService": via },
      });
    expect(kms(good, S3_NX)).toBe("Allowed");
    expect(kms(good, S3_BJ)).toBe("ImplicitlyDenied");
    expect(kms(`arn:aws-cn:iam::${other}:role/some-other-role`, S3_NX)).toBe("ImplicitlyDenied");
  });
});
