/**
 * The policy pack the Pulumi CLI runs: `pulumi preview --policy-pack policy-pack`.
 * Constructing the PolicyPack starts the policy server, so nothing else imports this file: tests
 * and `npm run plan` use the plain array in ./policies.
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, policies } from "./policies";

new PolicyPack(PACK_NAME, {
  policies,
  // Each policy sets its own level (mandatory where data is at risk); this is only the fallback.
  enforcementLevel: "advisory",
  description: "Encryption at rest and in transit, least privilege and China (aws-cn) data residency for cn-log-backup.",
  provider: "aws",
});
