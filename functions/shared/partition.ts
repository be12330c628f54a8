/**
 * The partition of a region, for code that has only a region name at run time (the infra side
 * uses infra/partition.ts, which asks the provider). Partitions and DNS suffixes:
 * https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/partitions.html,
 * https://docs.amazonaws.cn/en_us/aws/latest/userguide/endpoints-arns.html (`amazonaws.com.cn`).
 */

/** `aws-cn` for the China regions, `aws-us-gov` for GovCloud, `aws` otherwise. */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** The partition's DNS suffix: `amazonaws.com.cn` in China. */
export function dnsSuffixOf(region: string): string {
  return partitionOf(region) === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
}
