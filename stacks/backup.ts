/**
 * The backup (destination) stack in Ningxia. Deployed first; exports what the primary needs.
 * Nothing here reads the primary's outputs, so the two stacks have no cycle.
 */
import * as aws from "@pulumi/aws";
import { ResolvedConfig } from "./config";
import { stackTags } from "./common";

export function buildBackupStack(cfg: ResolvedConfig): Record<string, unknown> {
  const tags = stackTags(cfg);
  void tags;
  const identity = aws.getCallerIdentityOutput({});
  return {
    accountId: identity.accountId,
  };
}
