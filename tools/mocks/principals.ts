/** Service principals in aws-cn, as the provider's `getServicePrincipal` names them. */
import { DNS_SUFFIX } from "./aws-cn";

/**
 * The provider's `servicePrincipalNameForPartition` table for aws-cn, as the pinned @pulumi/aws
 * 7.48.0 (released 2026-09-22, terraform-provider-aws 6.x) has it: `codedeploy`, `ec2`,
 * `elasticmapreduce`, `logs` and `s3` take `amazonaws.com.cn`, every other service `amazonaws.com`.
 * Source: internal/service/meta/service_principal_data_source.go
 * (https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/meta/service_principal_data_source.go),
 * whose 6.x table was codedeploy/elasticmapreduce/logs until
 * https://github.com/hashicorp/terraform-provider-aws/pull/47141 ("Fix service principals for ec2
 * and s3 in China", merged 2026-03-30, fixing issue #46209) added ec2 and s3.
 */
export const CN_SUFFIXED_PRINCIPALS = new Set(["codedeploy", "ec2", "elasticmapreduce", "logs", "s3"]);

export function servicePrincipalSuffix(service: string, region: string): string {
  if (region.startsWith("cn-") && CN_SUFFIXED_PRINCIPALS.has(service)) return DNS_SUFFIX;
  return "amazonaws.com";
}
