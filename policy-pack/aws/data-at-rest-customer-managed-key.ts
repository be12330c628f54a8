/**
 * Where data sits, it is encrypted with a customer-managed key (whose policy we control and whose
 * use CloudTrail shows), not the service's AWS managed key: SNS topics, Firehose delivery streams,
 * Secrets Manager secrets (including RDS-managed master secrets), EBS volumes (standalone, instance
 * and launch-template block devices) and Backup vaults.
 * SNS: https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html
 * Firehose: https://docs.aws.amazon.com/firehose/latest/dev/encryption.html
 * Secrets Manager: https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html
 * EBS: https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html
 * Backup: https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html
 */
import { design } from "../lib/controls";
import { customerManagedKeyProblem, describe, MANDATORY, read, T, validateTypes } from "../lib/kit";
import { PackResourcePolicy } from "../lib/meta";

export const dataAtRestCustomerManagedKey: PackResourcePolicy = {
  name: "aws-data-at-rest-customer-managed-key",
  description:
    "SNS topics, Firehose streams, Secrets Manager secrets (and RDS-managed master secrets), EBS volumes and Backup vaults use a customer-managed KMS key, not an AWS managed one.",
  remediationSteps:
    'Set the key explicitly to a customer-managed aws.kms.Key ARN: kmsMasterKeyId (SNS), serverSideEncryption { keyType: "CUSTOMER_MANAGED_CMK", keyArn } (Firehose), kmsKeyId (secret, EBS volume, block devices), masterUserSecretKmsKeyId (RDS), kmsKeyArn (Backup vault).',
  enforcementLevel: MANDATORY,
  severity: "medium",
  topics: ["encryption", "key-management"],
  framework: design("Encryption", "Customer-managed keys where data sits (cf. FSBP SNS.1, Firehose, SecretsManager)."),
  validateResource: validateTypes(
    [T.snsTopic, T.firehose, T.secret, T.ebsVolume, T.ec2Instance, T.ec2LaunchTemplate, T.backupVault, T.rdsCluster, T.rdsInstance],
    (p, args, report) => {
      const check = (get: () => unknown, field: string) => {
        const problem = customerManagedKeyProblem(get, field);
        if (problem) {
          report(`${describe(args)}: ${problem}; use a customer-managed key.`);
        }
      };
      switch (args.type) {
        case T.snsTopic:
          return check(() => p.kmsMasterKeyId, "kmsMasterKeyId");
        case T.firehose: {
          if (read(() => p.kinesisSourceConfiguration).known ? p.kinesisSourceConfiguration : false) {
            args.notApplicable("a Kinesis source stream's encryption applies");
          }
          const type = read(() => p.serverSideEncryption?.keyType);
          if (type.known && type.value !== "CUSTOMER_MANAGED_CMK") {
            report(
              `${describe(args)}: serverSideEncryption.keyType is ${JSON.stringify(type.value ?? "AWS_OWNED_CMK")}; use CUSTOMER_MANAGED_CMK with keyArn.`,
            );
            return;
          }
          return check(() => p.serverSideEncryption?.keyArn, "serverSideEncryption.keyArn");
        }
        case T.secret:
          return check(() => p.kmsKeyId, "kmsKeyId");
        case T.ebsVolume:
          return check(() => p.kmsKeyId, "kmsKeyId");
        case T.backupVault:
          return check(() => p.kmsKeyArn, "kmsKeyArn");
        case T.rdsCluster:
        case T.rdsInstance: {
          const managed = read(() => p.manageMasterUserPassword);
          if (managed.known && managed.value !== true) {
            args.notApplicable("no RDS-managed master secret");
          }
          return check(() => p.masterUserSecretKmsKeyId, "masterUserSecretKmsKeyId");
        }
        case T.ec2Instance: {
          check(() => p.rootBlockDevice?.kmsKeyId, "rootBlockDevice.kmsKeyId");
          const devices = read(() => p.ebsBlockDevices);
          (devices.known && Array.isArray(devices.value) ? devices.value : []).forEach((_: unknown, i: number) =>
            check(() => p.ebsBlockDevices[i].kmsKeyId, `ebsBlockDevices[${i}].kmsKeyId`),
          );
          return;
        }
        case T.ec2LaunchTemplate: {
          const m = read(() => p.blockDeviceMappings);
          (m.known && Array.isArray(m.value) ? m.value : []).forEach((d: any, i: number) => {
            if (read(() => d.ebs).known && d.ebs) {
              check(() => p.blockDeviceMappings[i].ebs.kmsKeyId, `blockDeviceMappings[${i}].ebs.kmsKeyId`);
            }
          });
          return;
        }
      }
    },
  ),
};
