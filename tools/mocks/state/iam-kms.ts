/** Resource state the provider returns for KMS keys and aliases, IAM roles, policies and instance profiles. */
import { PARTITION } from "../aws-cn";
import { hex, uuid } from "../ids";
import type { StateRules } from "./context";

export const iamKmsState: StateRules = {
  "aws:kms/key:Key": ({ seed, arnOf }) => {
    const keyId = uuid(seed);
    return { id: keyId, state: { keyId, arn: arnOf("kms", `key/${keyId}`) }, knownInPreview: {}, idUnknownInPreview: true };
  },
  "aws:kms/alias:Alias": ({ inputs, seed, arnOf }) => ({
    id: inputs.name,
    state: { arn: arnOf("kms", inputs.name), targetKeyArn: arnOf("kms", `key/${uuid(seed)}`) },
    knownInPreview: {},
  }),
  "aws:iam/role:Role": ({ inputs, seed, acct, autoname }) => {
    const roleName = autoname();
    const path = (inputs.path as string | undefined) ?? "/";
    return {
      id: roleName,
      state: { name: roleName, arn: `arn:${PARTITION}:iam::${acct}:role${path}${roleName}`, uniqueId: `AROA${hex(seed, 16).toUpperCase()}` },
      knownInPreview: inputs.name ? { name: roleName } : {},
      idUnknownInPreview: !inputs.name,
    };
  },
  "aws:iam/policy:Policy": ({ acct, autoname }) => {
    const policyName = autoname(128);
    return {
      id: `arn:${PARTITION}:iam::${acct}:policy/${policyName}`,
      state: { name: policyName, arn: `arn:${PARTITION}:iam::${acct}:policy/${policyName}` },
      knownInPreview: {},
    };
  },
  "aws:iam/instanceProfile:InstanceProfile": ({ seed, acct, autoname }) => {
    const n = autoname(128);
    return {
      id: n,
      state: { name: n, arn: `arn:${PARTITION}:iam::${acct}:instance-profile/${n}`, uniqueId: `AIPA${hex(seed, 16).toUpperCase()}` },
      knownInPreview: {},
    };
  },
  "aws:iam/rolePolicy:RolePolicy": ({ inputs, autoname }) => ({ id: `${inputs.role}:${autoname(128)}`, state: { name: autoname(128) }, knownInPreview: {} }),
};
