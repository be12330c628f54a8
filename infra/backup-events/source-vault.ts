/**
 * The source vault (primary region) and the tag-selected backup plan that fills it, run by the
 * AWS Backup service role with the aws-cn managed policies. Copies are event-driven
 * (copy-retention.ts): the plan itself copies nothing.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { serviceTrustPolicy } from "../iam";
import { managedPolicyArn, servicePrincipal } from "../partition";
import type { PrimaryRegionArgs } from "./args";
import { vaultKeyStatements } from "./statements";
import { Scope, VaultRef } from "./types";
import { rootArns, vaultKeyServices, vaultRef } from "./vault";

export interface SourceVault {
  vault: VaultRef;
  serviceRole: aws.iam.Role;
  plan: aws.backup.Plan;
}

export function sourceVaultAndPlan(scope: Scope, args: PrimaryRegionArgs): SourceVault {
  const { name, facts, tags } = scope;
  const o = { parent: scope.parent };
  const own = facts.accountId.apply((id) => [id]);
  const vault = vaultRef(scope, {
    keys: { vaultArn: "sourceVaultArn", kmsKeyArn: "sourceVaultKmsKeyArn" },
    vaultArn: args.sourceVaultArn,
    kmsKeyArn: args.sourceVaultKmsKeyArn,
    vaultName: args.sourceVaultName,
    kmsKeyDeletionWindowDays: args.kmsKeyDeletionWindowDays,
    keyDescription: "cn-log-backup: encrypts the source backup vault",
    keyStatements: () => vaultKeyStatements(rootArns(scope, own), own, vaultKeyServices(scope, facts.region)),
  });

  // The AWS Backup service role: runs the plan's backups (and restores) with the aws-cn managed policies.
  const serviceRole = new aws.iam.Role(
    `${name}-service-role`,
    {
      description: "AWS Backup runs the cn-log-backup plan's backups and restores with this role",
      assumeRolePolicy: serviceTrustPolicy({ principal: servicePrincipal("backup", o), sourceAccount: facts.accountId }),
      tags,
    },
    o,
  );
  for (const [suffix, policy] of [
    ["backup", "service-role/AWSBackupServiceRolePolicyForBackup"],
    ["restores", "service-role/AWSBackupServiceRolePolicyForRestores"],
  ]) {
    new aws.iam.RolePolicyAttachment(`${name}-service-role-${suffix}`, { role: serviceRole.name, policyArn: managedPolicyArn(policy, o) }, o);
  }

  const rule: aws.types.input.backup.PlanRule = {
    ruleName: "daily-to-source-vault",
    targetVaultName: vault.name,
    schedule: args.schedule,
    startWindow: args.startWindowMinutes,
    completionWindow: args.completionWindowMinutes,
    lifecycle: { deleteAfter: args.deleteAfterDays, coldStorageAfter: args.coldStorageAfterDays },
    recoveryPointTags: { ...tags, "cn-log-backup:copy": "event-driven" },
  };
  const plan = new aws.backup.Plan(`${name}-plan`, { name: pulumi.interpolate`${vault.name}-plan`, rules: [rule], tags }, o);
  new aws.backup.Selection(
    `${name}-selection`,
    {
      name: "tagged-resources",
      planId: plan.id,
      iamRoleArn: serviceRole.arn,
      selectionTags: [{ type: "STRINGEQUALS", key: args.selectionTagKey, value: args.selectionTagValue }],
    },
    o,
  );
  return { vault, serviceRole, plan };
}
