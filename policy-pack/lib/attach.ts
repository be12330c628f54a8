/**
 * Stack-level matching of a configuration resource to the resource it configures (bucket, vault,
 * queue, topic): by property dependency (known during preview, when names are not), else by a
 * known, equal name or ARN.
 */
import { PolicyResource } from "@pulumi/policy";
import { dependenciesOf, knownString } from "./kit";

export function attachedBy(
  target: PolicyResource,
  resources: PolicyResource[],
  types: readonly string[],
  property: string,
  targetKeys: readonly string[],
): PolicyResource[] {
  const names = targetKeys.map((k) => knownString(() => target.props[k])).filter((n): n is string => !!n);
  return resources.filter((r) => {
    if (!types.includes(r.type)) {
      return false;
    }
    if (dependenciesOf(r, property).some((d) => d.urn === target.urn)) {
      return true;
    }
    const v = knownString(() => r.props[property]);
    return v !== undefined && names.includes(v);
  });
}
