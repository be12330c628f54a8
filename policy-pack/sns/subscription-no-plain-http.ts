/** Notifications leave SNS over TLS: no subscription uses plain http. https://docs.aws.amazon.com/sns/latest/dg/sns-security-best-practices.html */
import { design } from "../lib/controls";
import { describe, MANDATORY, read, T, validateTypes } from "../lib/kit";
import { PackResourcePolicy } from "../lib/meta";

export const snsSubscriptionHttps: PackResourcePolicy = {
  name: "sns-subscription-no-plain-http",
  description: "SNS topic subscriptions do not use the plain http protocol (or an http:// endpoint).",
  remediationSteps: 'Use protocol "https" with an https:// endpoint (or email, sqs, lambda).',
  enforcementLevel: MANDATORY,
  severity: "medium",
  topics: ["in-transit"],
  framework: design("In transit", "Data leaves AWS only over TLS (AWS SNS security best practice)"),
  validateResource: validateTypes([T.snsTopicSubscription], (p, args, report) => {
    const protocol = read(() => p.protocol);
    const endpoint = read(() => p.endpoint);
    if (!protocol.known) {
      report(`${describe(args)}: its protocol is unknown during preview; write it as a literal.`);
    } else if (String(protocol.value).toLowerCase() === "http") {
      report(`${describe(args)} delivers over plain http: use https.`);
    } else if (String(protocol.value).toLowerCase() === "https" && endpoint.known && typeof endpoint.value === "string" && /^http:\/\//i.test(endpoint.value)) {
      report(`${describe(args)} has an http:// endpoint: use https://.`);
    }
  }),
};
