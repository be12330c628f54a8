/**
 * Test helpers for code under Pulumi mocks: set up the aws-cn mocks for one region, then build
 * components directly and read their inputs back.
 */
import * as pulumi from "@pulumi/pulumi";
import { AwsCnMocks } from "../../tools/mocks";
export { AwsCnMocks, ACCOUNT_ID, PARTITION, DNS_SUFFIX } from "../../tools/mocks";
export { runStack, ofType, one, policyOf, outputValue, stackConfig } from "../../tools/harness";
export { artifactOf, loadHandler } from "../../tools/serialized";

/** Installs fresh aws-cn mocks for `region` (default Beijing) and returns them. */
export async function useMocks(region = "cn-north-1", opts: { preview?: boolean; config?: Record<string, string> } = {}): Promise<AwsCnMocks> {
  const mocks = new AwsCnMocks({ region, preview: opts.preview });
  pulumi.runtime.setAllConfig({ "aws:region": region, ...(opts.config ?? {}) });
  await pulumi.runtime.setMocks(mocks, "cn-log-backup", region, opts.preview ?? false);
  return mocks;
}

/** Waits until every registration the test started has reached the mocks. */
export async function settle(): Promise<void> {
  await (pulumi.runtime as any).waitForRPCs(); // exported, not in the typings
}
