import { arnPartitionAwsCn, dataDestinationsInChina, resourceInChinaRegion } from "../../policy-pack/data-residency";
import { ACCOUNT, BACKUP_REGION, keyArn, res, runOne, UNKNOWN } from "./helpers";

describe("resource-in-china-region", () => {
    it("passes resources in Beijing and Ningxia (provider or own region) and ignores non-AWS resources", async () => {
        const { result, messages } = await runOne(resourceInChinaRegion, [
            res("aws:s3/bucket:Bucket", "b", {}, { region: "cn-north-1" }),
            res("aws:backup/vault:Vault", "v", { region: BACKUP_REGION }, { region: BACKUP_REGION }),
            res("pulumi:providers:aws", "ningxia", { region: BACKUP_REGION }, { region: undefined }),
            { ...res("cn-log-backup:index:LogArchive", "archive", {}), custom: false },
        ]);
        expect(messages).toEqual([]);
        expect(result.examined).toBe(3);
    });

    it("reports a provider region and a resource's own region outside China", async () => {
        const { messages } = await runOne(resourceInChinaRegion, [
            res("aws:s3/bucket:Bucket", "b", {}, { region: "us-east-1" }),
            res("aws:sqs/queue:Queue", "q", { region: "ap-east-1" }),
            res("pulumi:providers:aws", "hk", { region: "ap-east-1" }, { region: undefined }),
        ]);
        expect(messages).toEqual([
            'Bucket "b" is in region "us-east-1" (from its provider default); only cn-north-1, cn-northwest-1 are allowed.',
            'Queue "q" is in region "ap-east-1"; only cn-north-1, cn-northwest-1 are allowed.',
            'aws "hk" is in region "ap-east-1"; only cn-north-1, cn-northwest-1 are allowed.',
        ]);
    });

    it("narrows the regions through config and rejects non-China regions in config", async () => {
        const cfg = { "resource-in-china-region": { allowedRegions: ["cn-north-1"] } };
        expect((await runOne(resourceInChinaRegion, [res("aws:s3/bucket:Bucket", "b", {}, { region: BACKUP_REGION })], { config: cfg })).messages).toEqual([
            'Bucket "b" is in region "cn-northwest-1" (from its provider default); only cn-north-1 are allowed.',
        ]);
        await expect(runOne(resourceInChinaRegion, [], { config: { "resource-in-china-region": { allowedRegions: ["us-east-1"] } } })).rejects.toThrow(
            'policy config resource-in-china-region.allowedRegions[0] is "us-east-1", which does not match ^cn-[a-z]+-[0-9]+$',
        );
    });

    it("is skipped in preview when the provider region is unknown", async () => {
        const { result } = await runOne(resourceInChinaRegion, [res("aws:s3/bucket:Bucket", "b", {}, { region: undefined })], { preview: true });
        expect(result.skipped.map((s) => s.message)).toEqual(["can't run policy 'resource-in-china-region' from policy pack 'cn-log-backup' during preview: string value at .region can't be known during preview"]);
        expect(result.examined).toBe(0);
    });
});

describe("arn-partition-aws-cn", () => {
    it("passes aws-cn ARNs, also inside JSON policy documents and with unknown parts in preview", async () => {
        const { result, messages } = await runOne(
            arnPartitionAwsCn,
            [
                res("aws:iam/rolePolicy:RolePolicy", "p", { role: "r", policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws-cn:s3:::archive/*" }] }) }),
                res("aws:lambda/function:Function", "f", { role: UNKNOWN, environment: { variables: { DEST_VAULT_ARN: `arn:aws-cn:backup:${BACKUP_REGION}:${ACCOUNT}:backup-vault:dest`, TABLE: UNKNOWN } } }),
            ],
            { preview: true },
        );
        expect(messages).toEqual([]);
        expect(result.skipped).toEqual([]);
        expect(result.examined).toBe(2);
    });

    it("reports ARNs in another partition, wherever they are", async () => {
        const { messages } = await runOne(arnPartitionAwsCn, [
            res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "a", { role: "r", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }),
            res("aws:iam/rolePolicy:RolePolicy", "p", { role: "r", policy: { Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: ["arn:aws-cn:s3:::ok/*", "arn:aws:s3:::global/*"] }] } }),
        ]);
        expect(messages).toEqual([
            'RolePolicyAttachment "a" policyArn names arn:aws:iam::aws:policy/ReadOnlyAccess in partition "aws"; it must be in aws-cn.',
            'RolePolicy "p" policy.Statement[0].Resource[1] names arn:aws:s3:::global/* in partition "aws"; it must be in aws-cn.',
        ]);
    });
});

describe("data-destinations-in-china", () => {
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
            res(PLAN, "plan", { rules: [{ ruleName: "daily", targetVaultName: "src", copyActions: [{ destinationVaultArn: `arn:aws-cn:backup:${BACKUP_REGION}:${ACCOUNT}:backup-vault:dest` }] }] }),
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
