/**
 * The functions' network at the edge: the VPC endpoints stacks/args/lambda-network.ts asks for.
 */
import type { LambdaVpcConfig } from "../infra/lambda";
import { VpcEndpoints } from "../infra/vpc-endpoints";
import type { LambdaNetworkArgs } from "./args/lambda-network";

/** The functions' VPC config (undefined: outside any VPC), creating their endpoints when asked. */
export function lambdaNetwork(args: LambdaNetworkArgs | undefined): LambdaVpcConfig | undefined {
  if (args?.endpoints) new VpcEndpoints("lambda-endpoints", args.endpoints);
  return args?.vpc;
}
