import { dataAtRestCustomerManagedKey } from "../../../policy-pack/aws/data-at-rest-customer-managed-key";
import { keyArn, res, runOne, UNKNOWN } from "../helpers";

const p = dataAtRestCustomerManagedKey;

describe("aws-data-at-rest-customer-managed-key", () => {
  it("passes customer-managed keys (or keys unknown during preview) on every kind of resource", async () => {
    for (const preview of [false, true]) {
      const k = preview ? UNKNOWN : keyArn();
      const { result, messages } = await runOne(
        p,
        [
          res("aws:sns/topic:Topic", "t", { kmsMasterKeyId: k }),
          res("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "f", {
            serverSideEncryption: { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: k },
          }),
          res("aws:secretsmanager/secret:Secret", "s", { kmsKeyId: k }),
          res("aws:ebs/volume:Volume", "v", { encrypted: true, kmsKeyId: k }),
          res("aws:ec2/instance:Instance", "i", { rootBlockDevice: { encrypted: true, kmsKeyId: k } }),
          res("aws:backup/vault:Vault", "bv", { kmsKeyArn: k }),
          res("aws:rds/cluster:Cluster", "c", { manageMasterUserPassword: true, masterUserSecretKmsKeyId: k }),
        ],
        { preview },
      );
      expect(messages).toEqual([]);
      expect(result.examined).toBe(7);
    }
  });

  it("reports AWS managed keys and missing keys", async () => {
    for (const preview of [false, true]) {
      const { messages } = await runOne(
        p,
        [
          res("aws:sns/topic:Topic", "t", { kmsMasterKeyId: "alias/aws/sns" }),
          res("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "f", { serverSideEncryption: { enabled: true, keyType: "AWS_OWNED_CMK" } }),
          res("aws:secretsmanager/secret:Secret", "s", {}),
          res("aws:ec2/instance:Instance", "i", { rootBlockDevice: { encrypted: true } }),
          res("aws:rds/cluster:Cluster", "c", { manageMasterUserPassword: true }),
        ],
        { preview },
      );
      expect(messages).toEqual([
        'Topic "t": kmsMasterKeyId names the AWS managed key alias/aws/sns; use a customer-managed key.',
        'FirehoseDeliveryStream "f": serverSideEncryption.keyType is "AWS_OWNED_CMK"; use CUSTOMER_MANAGED_CMK with keyArn.',
        'Secret "s": kmsKeyId is not set (the AWS managed key would be used); use a customer-managed key.',
        'Instance "i": rootBlockDevice.kmsKeyId is not set (the AWS managed key would be used); use a customer-managed key.',
        'Cluster "c": masterUserSecretKmsKeyId is not set (the AWS managed key would be used); use a customer-managed key.',
      ]);
    }
  });
});
