import { dataDestinationsInChina } from "../../../policy-pack/aws/data-destinations-in-china";
import { ACCOUNT, BACKUP_REGION, keyArn, res, runOne, UNKNOWN } from "../helpers";

describe("aws-data-destinations-in-china", () => {
  const PLAN = "aws:backup/plan:Plan";
  const REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig";
  const replication = (replicaKmsKeyId: any, bucket = "arn:aws-cn:s3:::replica") =>
    res(REPLICATION, "replication", {
      bucket: "archive",
      role: "arn:aws-cn:iam::111122223333:role/replication",
      rules: [{ id: "all", status: "Enabled", destination: { bucket, ...(replicaKmsKeyId !== null ? { encryptionConfiguration: { replicaKmsKeyId } } : {}) } }],
    });

  it("passes a copy action to Ningxia and replication proven by a Ningxia replica key (unknown in preview)", async () => {
    const { result, messages } = await runOne(dataDestinationsInChina, [
      res(PLAN, "plan", {
        rules: [
          {
            ruleName: "daily",
            targetVaultName: "src",
            copyActions: [{ destinationVaultArn: `arn:aws-cn:backup:${BACKUP_REGION}:${ACCOUNT}:backup-vault:dest` }],
          },
        ],
      }),
      replication(keyArn(BACKUP_REGION)),
      res("aws:lambda/function:Function", "copy-starter", { environment: { variables: { BACKUP_REGION, PRIMARY_REGION: "cn-north-1" } } }),
    ]);
    expect(messages).toEqual([]);
    expect(result.examined).toBe(3);
    const preview = await runOne(dataDestinationsInChina, [replication(UNKNOWN, UNKNOWN)], { preview: true });
    expect(preview.messages).toEqual([]);
    expect(preview.result.skipped).toEqual([]);
  });

  it("reports a copy destination, a replica key and a nested region outside China, and replication without a replica key", async () => {
    const { messages } = await runOne(dataDestinationsInChina, [
      res(PLAN, "plan", { rules: [{ ruleName: "daily", copyActions: [{ destinationVaultArn: `arn:aws-cn:backup:ap-east-1:${ACCOUNT}:backup-vault:dest` }] }] }),
      replication(keyArn("us-west-2")),
      res("aws:dynamodb/table:Table", "t", { replicas: [{ regionName: "ap-southeast-1" }] }),
      res("aws:lambda/function:Function", "copy-starter", { environment: { variables: { BACKUP_REGION: "us-west-2", TABLE_NAME: "not-a-region" } } }),
    ]);
    expect(messages).toEqual([
      `Plan "plan" rules[0].copyActions[0].destinationVaultArn sends data to arn:aws-cn:backup:ap-east-1:${ACCOUNT}:backup-vault:dest in region ap-east-1; only cn-north-1, cn-northwest-1 are allowed.`,
      `BucketReplicationConfig "replication" rules[0].destination.encryptionConfiguration.replicaKmsKeyId sends data to ${keyArn("us-west-2")} in region us-west-2; only cn-north-1, cn-northwest-1 are allowed.`,
      'Table "t" replicas[0].regionName is "ap-southeast-1"; only cn-north-1, cn-northwest-1 are allowed.',
      'Function "copy-starter" environment.variables.BACKUP_REGION is "us-west-2"; only cn-north-1, cn-northwest-1 are allowed.',
    ]);
    expect((await runOne(dataDestinationsInChina, [replication(null)])).messages).toEqual([
      'BucketReplicationConfig "replication" replication rule #1 does not prove its destination region: set destination.encryptionConfiguration.replicaKmsKeyId to a key in cn-north-1 or cn-northwest-1.',
    ]);
  });
});
