/**
 * Services acting on our behalf are pinned to our account or resource (the confused-deputy problem:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html).
 */
import { conditionHasKey, conditionsOf, DOCUMENT_TYPES, KEY_POLICY_TYPES, mayAllow, principalsOf } from "../lib/iam-document";
import { MANDATORY, validateMatching } from "../lib/kit";
import { PackResourcePolicy } from "../lib/meta";
import { forEachStatement, where } from "../lib/statements";

export interface ConfusedDeputyConfig {
  exemptServices?: string[];
}

/** The service a principal names: its first DNS label (`logs` for logs.cn-north-1.amazonaws.com.cn). */
export function serviceOf(principal: string): string {
  return principal.split(".")[0];
}

/**
 * In a KMS key policy, a `kms:EncryptionContext:aws:<service>:arn` condition whose every value is
 * an ARN with a concrete account id pins the service's calls to that account's resources: this is
 * how AWS documents the CloudWatch Logs and CloudTrail key statements, where the service does not
 * send aws:SourceAccount on its KMS calls.
 */
export function encryptionContextPinsAccount(stmt: Record<string, any>): boolean {
  const tests = conditionsOf(stmt).tests.filter((t) => /^kms:encryptioncontext:aws:[a-z0-9-]+:arn$/.test(t.key));
  return tests.some((t) => !t.values.unknown && t.values.values.length > 0 && t.values.values.every((v) => /^\d{12}$/.test(v.split(":")[4] ?? "")));
}

/**
 * In a trust policy, an `sts:ExternalId` condition whose every value is an account id: the form
 * AWS documents for Kinesis Data Firehose, which assumes the role with the owning account's id as
 * external id.
 */
export function externalIdPinsAccount(stmt: Record<string, any>): boolean {
  const tests = conditionsOf(stmt).tests.filter((t) => t.key === "sts:externalid" && t.operator.startsWith("StringEquals"));
  return tests.some((t) => !t.values.unknown && t.values.values.length > 0 && t.values.values.every((v) => /^\d{12}$/.test(v)));
}

export const serviceConfusedDeputy: PackResourcePolicy = {
  name: "iam-policy-service-principal-confused-deputy",
  description:
    "Trust and resource policy statements that allow a service principal carry an aws:SourceAccount or aws:SourceArn condition, so the service acts only for our account or resource " +
    "(in KMS key policies an encryption-context ARN condition naming our account, and in trust policies an sts:ExternalId equal to our account id, also count).",
  remediationSteps:
    'Add Condition { StringEquals: { "aws:SourceAccount": <account id> } } (or ArnLike aws:SourceArn: <the source resource ARN>) to the statement. ' +
    'A service that does not send these keys can be listed in this policy\'s `exemptServices` (by its first name label, e.g. "ec2").',
  enforcementLevel: MANDATORY,
  severity: "high",
  topics: ["least-privilege"],
  configSchema: {
    properties: {
      exemptServices: {
        type: "array",
        items: { type: "string", pattern: "^[a-z0-9-]+$" },
        uniqueItems: true,
        default: [],
        description: 'Services (first label of the principal, e.g. "ec2") that do not send aws:SourceAccount/aws:SourceArn.',
      },
    },
  },
  validateResource: validateMatching(
    (type) => DOCUMENT_TYPES.includes(type),
    async (_props, args, report) => {
      const exempt = args.getConfig<ConfusedDeputyConfig>().exemptServices ?? [];
      await forEachStatement(args, ["trust", "resource"], (stmt, i, doc) => {
        if (!mayAllow(stmt)) {
          return;
        }
        const principals = principalsOf(stmt);
        const services = principals.service.values.filter((s) => !exempt.includes(serviceOf(s)));
        // A principal unknown during preview may be a service, and an unknown Service value
        // cannot be matched against exemptServices: both need the condition.
        if (principals.wholeUnknown) {
          services.push("a principal unknown during preview");
        } else if (principals.service.unknown) {
          services.push("a service principal unknown during preview");
        }
        if (services.length === 0) {
          return;
        }
        if (conditionHasKey(stmt, ["aws:SourceAccount", "aws:SourceArn"])) {
          return;
        }
        if (KEY_POLICY_TYPES.includes(args.type) && encryptionContextPinsAccount(stmt)) {
          return;
        }
        if (doc.kind === "trust" && externalIdPinsAccount(stmt)) {
          return;
        }
        const why = conditionsOf(stmt).unknown ? " (its Condition is unknown during preview: build it from known keys)" : "";
        report(`${where(args, doc, stmt, i)} allows ${services.join(", ")} without an aws:SourceAccount or aws:SourceArn condition${why}.`);
      });
    },
  ),
};
