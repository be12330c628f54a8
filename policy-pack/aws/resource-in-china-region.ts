/**
 * China data residency: every AWS resource lives in an allowed China region (lib/residency.ts).
 */
import { describe, knownString, MANDATORY, T, validateMatching } from "../lib/kit";
import { PackResourcePolicy } from "../lib/meta";
import { allowedRegions, isAwsResource, regionsSchema } from "../lib/residency";

export const resourceInChinaRegion: PackResourcePolicy = {
  name: "aws-resource-in-china-region",
  description: "Every AWS resource lives in an allowed China region (cn-north-1 or cn-northwest-1): its own `region`, else its provider's.",
  remediationSteps:
    "Set aws:region to cn-north-1 or cn-northwest-1 in the stack config (or on the explicit provider), and remove any other `region` set on the resource.",
  enforcementLevel: MANDATORY,
  severity: "critical",
  topics: ["data-residency"],
  configSchema: { properties: regionsSchema },
  validateResource: validateMatching(isAwsResource, (props, args, report) => {
    const allowed = allowedRegions(args);
    const own = knownString(() => props.region);
    if (args.type === T.awsProvider || own !== undefined) {
      const region = args.type === T.awsProvider ? props.region : own;
      if (!allowed.includes(region)) {
        report(`${describe(args)} is in region ${JSON.stringify(region)}; only ${allowed.join(", ")} are allowed.`);
      }
      return;
    }
    const provider = args.provider;
    if (!provider) {
      report(`${describe(args)} has no provider region; set aws:region to one of ${allowed.join(", ")}.`);
      return;
    }
    const region = provider.props.region;
    if (!allowed.includes(region)) {
      report(`${describe(args)} is in region ${JSON.stringify(region)} (from its provider ${provider.name}); only ${allowed.join(", ")} are allowed.`);
    }
  }),
};
