import { resourceInChinaRegion } from "../../../policy-pack/aws/resource-in-china-region";
import { BACKUP_REGION, res, runOne } from "../helpers";

describe("aws-resource-in-china-region", () => {
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
    const cfg = { "aws-resource-in-china-region": { allowedRegions: ["cn-north-1"] } };
    expect((await runOne(resourceInChinaRegion, [res("aws:s3/bucket:Bucket", "b", {}, { region: BACKUP_REGION })], { config: cfg })).messages).toEqual([
      'Bucket "b" is in region "cn-northwest-1" (from its provider default); only cn-north-1 are allowed.',
    ]);
    await expect(runOne(resourceInChinaRegion, [], { config: { "aws-resource-in-china-region": { allowedRegions: ["us-east-1"] } } })).rejects.toThrow(
      'policy config aws-resource-in-china-region.allowedRegions[0] is "us-east-1", which does not match ^cn-[a-z]+-[0-9]+$',
    );
  });

  it("is skipped in preview when the provider region is unknown", async () => {
    const { result } = await runOne(resourceInChinaRegion, [res("aws:s3/bucket:Bucket", "b", {}, { region: undefined })], { preview: true });
    expect(result.skipped.map((s) => s.message)).toEqual([
      "can't run policy 'aws-resource-in-china-region' from policy pack 'cn-log-backup' during preview: string value at .region can't be known during preview",
    ]);
    expect(result.examined).toBe(0);
  });
});
