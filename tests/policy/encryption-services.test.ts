/** DynamoDB, SQS, SNS, CloudWatch Logs, Firehose, RDS, EC2, Backup and CloudTrail encryption policies. */
import { backupVaultEncryptedWithCmk } from "../../policy-pack/encryption-backup";
import { cloudtrailEncryptedAndValidated } from "../../policy-pack/encryption-cloudtrail";
import { dynamodbTableEncryptedWithCmk, dynamodbTablePitrEnabled } from "../../policy-pack/encryption-dynamodb";
import { ec2EbsEncrypted, ec2ImdsV2Required } from "../../policy-pack/encryption-ec2";
import { firehoseEncrypted } from "../../policy-pack/encryption-firehose";
import { logGroupEncrypted, logGroupRetention } from "../../policy-pack/encryption-logs";
import { rdsDeletionProtection, rdsStorageEncryptedWithCmk } from "../../policy-pack/encryption-rds";
import { snsTopicEncrypted } from "../../policy-pack/encryption-sns";
import { sqsQueueEncrypted } from "../../policy-pack/encryption-sqs";
import { keyArn, res, runOne, UNKNOWN } from "./helpers";

describe("dynamodb-table-encrypted-with-cmk", () => {
    const T = "aws:dynamodb/table:Table";
    it("passes a CMK, also when its ARN is unknown in preview", async () => {
        expect((await runOne(dynamodbTableEncryptedWithCmk, [res(T, "t", { serverSideEncryption: { enabled: true, kmsKeyArn: keyArn() } })])).messages).toEqual([]);
        const preview = await runOne(dynamodbTableEncryptedWithCmk, [res(T, "t", { serverSideEncryption: { enabled: true, kmsKeyArn: UNKNOWN } })], { preview: true });
        expect(preview.messages).toEqual([]);
        expect(preview.result.skipped).toEqual([]);
        expect(preview.result.examined).toBe(1);
    });
    it("reports the AWS owned key and the AWS managed key", async () => {
        expect((await runOne(dynamodbTableEncryptedWithCmk, [res(T, "t", {})])).messages).toEqual([
            'Table "t" is encrypted with an AWS owned key: set serverSideEncryption: { enabled: true, kmsKeyArn: <customer-managed key ARN> }.',
        ]);
        expect((await runOne(dynamodbTableEncryptedWithCmk, [res(T, "t", { serverSideEncryption: { enabled: true } })])).messages).toEqual([
            'Table "t": serverSideEncryption.kmsKeyArn is not set (the AWS managed key would be used); use a customer-managed key.',
        ]);
    });
});

describe("dynamodb-table-pitr-enabled", () => {
    const T = "aws:dynamodb/table:Table";
    it("passes PITR on and reports it off", async () => {
        expect((await runOne(dynamodbTablePitrEnabled, [res(T, "t", { pointInTimeRecovery: { enabled: true } })])).messages).toEqual([]);
        expect((await runOne(dynamodbTablePitrEnabled, [res(T, "t", { pointInTimeRecovery: { enabled: false } })])).messages).toEqual([
            'Table "t" has point-in-time recovery off: set pointInTimeRecovery: { enabled: true }.',
        ]);
    });
});

describe("sqs-queue-encrypted", () => {
    const T = "aws:sqs/queue:Queue";
    it("passes KMS (known or unknown in preview) and SSE-SQS", async () => {
        const { result, messages } = await runOne(sqsQueueEncrypted, [res(T, "a", { kmsMasterKeyId: keyArn() }), res(T, "b", { sqsManagedSseEnabled: true })]);
        expect(messages).toEqual([]);
        expect(result.examined).toBe(2);
        expect((await runOne(sqsQueueEncrypted, [res(T, "a", { kmsMasterKeyId: UNKNOWN })], { preview: true })).messages).toEqual([]);
    });
    it("reports an unencrypted queue", async () => {
        expect((await runOne(sqsQueueEncrypted, [res(T, "q", { sqsManagedSseEnabled: false })])).messages).toEqual([
            'Queue "q" is not encrypted at rest: set kmsMasterKeyId or sqsManagedSseEnabled: true.',
        ]);
    });
});

describe("sns-topic-encrypted", () => {
    const T = "aws:sns/topic:Topic";
    it("passes a KMS key and reports none", async () => {
        expect((await runOne(snsTopicEncrypted, [res(T, "t", { kmsMasterKeyId: keyArn() })])).messages).toEqual([]);
        expect((await runOne(snsTopicEncrypted, [res(T, "t", {})])).messages).toEqual(['Topic "t" is not encrypted: set kmsMasterKeyId to a KMS key.']);
        const preview = await runOne(snsTopicEncrypted, [res(T, "t", { kmsMasterKeyId: UNKNOWN })], { preview: true });
        expect(preview.messages).toEqual([]);
        expect(preview.result.examined).toBe(1);
    });
});

describe("cloudwatch-log-group-encrypted / -retention", () => {
    const T = "aws:cloudwatch/logGroup:LogGroup";
    it("passes a KMS key (unknown in preview) and a retention", async () => {
        const preview = await runOne(logGroupEncrypted, [res(T, "g", { kmsKeyId: UNKNOWN, retentionInDays: 30 })], { preview: true });
        expect(preview.messages).toEqual([]);
        expect(preview.result.examined).toBe(1);
        expect((await runOne(logGroupRetention, [res(T, "g", { kmsKeyId: keyArn(), retentionInDays: 30 })])).messages).toEqual([]);
    });
    it("reports a missing key and a missing retention (both mandatory)", async () => {
        const enc = await runOne(logGroupEncrypted, [res(T, "g", {})]);
        expect(enc.messages).toEqual(['LogGroup "g" has no kmsKeyId: set it to a customer-managed KMS key ARN.']);
        expect(enc.result.violations[0].enforcementLevel).toBe("mandatory");
        const ret = await runOne(logGroupRetention, [res(T, "g", { retentionInDays: 0 })]);
        expect(ret.messages).toEqual(['LogGroup "g" keeps its logs forever: set retentionInDays.']);
        expect(ret.result.violations[0].enforcementLevel).toBe("mandatory");
    });
});

describe("firehose-server-side-encryption", () => {
    const T = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream";
    it("passes SSE on and leaves Kinesis-sourced streams to their source", async () => {
        const { result, messages } = await runOne(firehoseEncrypted, [
            res(T, "direct", { destination: "extended_s3", serverSideEncryption: { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: keyArn() } }),
            res(T, "from-stream", { destination: "extended_s3", kinesisSourceConfiguration: { kinesisStreamArn: "arn:aws-cn:kinesis:cn-north-1:111122223333:stream/s" } }),
        ]);
        expect(messages).toEqual([]);
        expect(result.examinedResources).toEqual([`${T} direct`]);
    });
    it("reports SSE off", async () => {
        expect((await runOne(firehoseEncrypted, [res(T, "s", { destination: "extended_s3" })])).messages).toEqual([
            'FirehoseDeliveryStream "s" does not encrypt buffered data: set serverSideEncryption: { enabled: true }.',
        ]);
    });
});

describe("rds-storage-encrypted-with-cmk", () => {
    const CLUSTER = "aws:rds/cluster:Cluster";
    const INSTANCE = "aws:rds/instance:Instance";
    it("passes an encrypted cluster with a CMK (unknown in preview)", async () => {
        expect((await runOne(rdsStorageEncryptedWithCmk, [res(CLUSTER, "c", { storageEncrypted: true, kmsKeyId: UNKNOWN })], { preview: true })).messages).toEqual([]);
    });
    it("reports unencrypted storage and the AWS managed key", async () => {
        expect((await runOne(rdsStorageEncryptedWithCmk, [res(INSTANCE, "db", { storageEncrypted: false })])).messages).toEqual([
            'Instance "db" does not encrypt its storage: set storageEncrypted: true with a customer-managed kmsKeyId.',
        ]);
        expect((await runOne(rdsStorageEncryptedWithCmk, [res(CLUSTER, "c", { storageEncrypted: true, kmsKeyId: "alias/aws/rds" })])).messages).toEqual([
            'Cluster "c": kmsKeyId names the AWS managed key alias/aws/rds; use a customer-managed key.',
        ]);
    });
});

describe("rds-deletion-protection", () => {
    const CLUSTER = "aws:rds/cluster:Cluster";
    it("passes protection on, and an allow-listed cluster without it", async () => {
        expect((await runOne(rdsDeletionProtection, [res(CLUSTER, "c", { deletionProtection: true })])).messages).toEqual([]);
        const cfg = { "rds-deletion-protection": { exemptDatabases: ["aurora-lab"] } };
        const { result, messages } = await runOne(rdsDeletionProtection, [res(CLUSTER, "lab", { clusterIdentifier: "aurora-lab", deletionProtection: false })], { config: cfg });
        expect(messages).toEqual([]);
        expect(result.examined).toBe(1);
    });
    it("reports protection off when not allow-listed", async () => {
        expect((await runOne(rdsDeletionProtection, [res(CLUSTER, "c", {})])).messages).toEqual([
            'Cluster "c" has deletion protection off: set deletionProtection: true or add "c" to exemptDatabases.',
        ]);
    });
    it("rejects a malformed allow-list", async () => {
        await expect(runOne(rdsDeletionProtection, [], { config: { "rds-deletion-protection": { exemptDatabases: "aurora-lab" } } })).rejects.toThrow(
            'policy config rds-deletion-protection.exemptDatabases is "aurora-lab", expected array',
        );
    });
});

describe("ec2-ebs-encrypted", () => {
    const INSTANCE = "aws:ec2/instance:Instance";
    const LT = "aws:ec2/launchTemplate:LaunchTemplate";
    const VOLUME = "aws:ebs/volume:Volume";
    it("passes encrypted root, data, template and standalone volumes", async () => {
        const { result, messages } = await runOne(ec2EbsEncrypted, [
            res(INSTANCE, "i", { rootBlockDevice: { encrypted: true }, ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: true }] }),
            res(LT, "lt", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true" } }] }),
            res(VOLUME, "v", { encrypted: true }),
        ]);
        expect(messages).toEqual([]);
        expect(result.examined).toBe(3);
    });
    it("reports each unencrypted volume", async () => {
        const { messages } = await runOne(ec2EbsEncrypted, [
            res(INSTANCE, "i", { ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: false }] }),
            res(LT, "lt", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 8 } }] }),
            res(VOLUME, "v", {}),
        ]);
        expect(messages).toEqual([
            'Instance "i": its root volume is not encrypted: set rootBlockDevice: { encrypted: true }.',
            'Instance "i": ebsBlockDevices[0] (/dev/sdf) is not encrypted: set encrypted: true.',
            'LaunchTemplate "lt": blockDeviceMappings[0] (/dev/xvda) is not encrypted: set ebs: { encrypted: "true" }.',
            'Volume "v" is not encrypted: set encrypted: true.',
        ]);
    });
});

describe("ec2-imdsv2-required", () => {
    const INSTANCE = "aws:ec2/instance:Instance";
    it("passes httpTokens required and reports optional", async () => {
        expect((await runOne(ec2ImdsV2Required, [res(INSTANCE, "i", { metadataOptions: { httpTokens: "required" } })])).messages).toEqual([]);
        expect((await runOne(ec2ImdsV2Required, [res(INSTANCE, "i", { metadataOptions: { httpTokens: "optional" } })])).messages).toEqual([
            'Instance "i" allows IMDSv1: set metadataOptions.httpTokens to "required".',
        ]);
    });
});

describe("backup-vault-encrypted-with-cmk", () => {
    const T = "aws:backup/vault:Vault";
    it("passes a CMK and reports none or the AWS managed key", async () => {
        expect((await runOne(backupVaultEncryptedWithCmk, [res(T, "v", { kmsKeyArn: keyArn() })])).messages).toEqual([]);
        const preview = await runOne(backupVaultEncryptedWithCmk, [res(T, "v", { kmsKeyArn: UNKNOWN })], { preview: true });
        expect(preview.messages).toEqual([]);
        expect(preview.result.examined).toBe(1);
        expect((await runOne(backupVaultEncryptedWithCmk, [res(T, "v", {})])).messages).toEqual([
            'Vault "v": kmsKeyArn is not set (the AWS managed key would be used); use a customer-managed key.',
        ]);
        expect((await runOne(backupVaultEncryptedWithCmk, [res(T, "v", { kmsKeyArn: "arn:aws-cn:kms:cn-north-1:111122223333:alias/aws/backup" })])).messages).toEqual([
            'Vault "v": kmsKeyArn names the AWS managed key arn:aws-cn:kms:cn-north-1:111122223333:alias/aws/backup; use a customer-managed key.',
        ]);
    });
});

describe("cloudtrail-encrypted-and-validated", () => {
    const T = "aws:cloudtrail/trail:Trail";
    it("passes KMS and validation (key unknown in preview)", async () => {
        expect((await runOne(cloudtrailEncryptedAndValidated, [res(T, "t", { kmsKeyId: UNKNOWN, enableLogFileValidation: true })], { preview: true })).messages).toEqual([]);
    });
    it("reports both missing", async () => {
        expect((await runOne(cloudtrailEncryptedAndValidated, [res(T, "t", {})])).messages).toEqual([
            'Trail "t" does not encrypt its log files with KMS: set kmsKeyId.',
            'Trail "t" has log file validation off: set enableLogFileValidation: true.',
        ]);
    });
});
