/**
 * What the check reads from @pulumi/aws itself: a type token's Terraform type (the bridge's naming
 * rule, checked against the provider schema, and TYPE_EXCEPTIONS), and which inputs are typed
 * `string | PolicyDocument` in the resource's Args (those objects go to Terraform as JSON text).
 */
import * as fs from "fs";
import * as path from "path";
import { ProviderSchema } from "./schema";
import { TYPE_EXCEPTIONS } from "./renames";

/** `logSubscriptionFilter` -> `log_subscription_filter`. */
export function snakeCase(camel: string): string {
  return camel
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z])([A-Z][a-z])/g, "$1_$2")
    .toLowerCase();
}

export function parseToken(token: string): { module: string; resource: string; className: string } {
  const m = /^aws:([A-Za-z0-9]+)\/([A-Za-z0-9]+):([A-Za-z0-9]+)$/.exec(token);
  if (!m) throw new Error(`${token} is not an @pulumi/aws resource type token (aws:<module>/<resource>:<Class>)`);
  return { module: m[1], resource: m[2], className: m[3] };
}

/**
 * The Terraform resource type of a Pulumi type token: TYPE_EXCEPTIONS, else exactly one of
 * `aws_<module>_<resource>` and `aws_<resource>` that the provider has (`aws:ec2/vpc:Vpc` is
 * `aws_vpc`, `aws:sqs/queue:Queue` is `aws_sqs_queue`). Neither or both is an error.
 */
export function terraformType(token: string, schema: ProviderSchema): string {
  const exception = TYPE_EXCEPTIONS[token];
  if (exception) {
    if (!schema.resource_schemas[exception]) throw new Error(`${token}: TYPE_EXCEPTIONS names ${exception}, which the provider does not have`);
    return exception;
  }
  const { module, resource } = parseToken(token);
  const candidates = [`aws_${module.toLowerCase()}_${snakeCase(resource)}`, `aws_${snakeCase(resource)}`];
  const found = candidates.filter((c) => schema.resource_schemas[c]);
  if (found.length === 1) return found[0];
  throw new Error(
    found.length === 0
      ? `${token}: the provider has neither ${candidates.join(" nor ")}; add its Terraform type to TYPE_EXCEPTIONS (tools/provider-check/renames.ts)`
      : `${token}: both ${found.join(" and ")} exist; add the right one to TYPE_EXCEPTIONS (tools/provider-check/renames.ts)`,
  );
}

const AWS_SDK_DIR = path.dirname(require.resolve("@pulumi/aws/package.json"));
const policyProps = new Map<string, Set<string>>();

/** Inputs of the token's Args typed `pulumi.Input<string | inputs.<mod>.PolicyDocument>`. */
export function policyDocumentInputs(token: string): Set<string> {
  const known = policyProps.get(token);
  if (known) return known;
  const { module, resource, className } = parseToken(token);
  const file = path.join(AWS_SDK_DIR, module, `${resource}.d.ts`);
  const text = fs.readFileSync(file, "utf8");
  const start = text.indexOf(`export interface ${className}Args {`);
  if (start < 0) throw new Error(`${token}: ${file} declares no ${className}Args`);
  const body = text.slice(start, text.indexOf("\n}", start));
  const props = new Set<string>();
  for (const m of body.matchAll(/^\s+(\w+)\??: pulumi\.Input<string \| inputs\.\w+\.PolicyDocument>;/gm)) props.add(m[1]);
  policyProps.set(token, props);
  return props;
}
