/**
 * RestoreTesting: an AWS Backup restore testing plan over the backup stack's destination vault, and
 * a selection of the resources carrying the backup plan's tag, restored with their own role.
 *
 * AWS Backup restore testing: https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing.html
 * (China edition: https://docs.amazonaws.cn/en_us/aws-backup/latest/devguide/restore-testing.html,
 * which, as every China edition page, warns that features "might vary by Region"; the China AWS
 * Backup page https://docs.amazonaws.cn/en_us/aws/latest/userguide/backup.html lists no restore
 * testing either way, so the component is built only when backupEvents.restoreTesting is on).
 * Plan and selection fields: https://docs.aws.amazon.com/aws-backup/latest/devguide/API_RestoreTestingPlanForCreate.html,
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/API_RestoreTestingSelectionForCreate.html.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { managedPolicyArn, partitionFacts, servicePrincipal } from "./partition";
import { serviceTrustPolicy } from "./iam";

import type { RestoreTestResourceType } from "./restore-testing-types";

export interface RestoreTestingArgs {
  /** ARN of the destination vault whose recovery points are restored (LATEST_WITHIN_WINDOW). */
  readonly vaultArn: pulumi.Input<string>;
  /** The tag the backup plan selects by; the selection restores resources carrying it. */
  readonly tagKey: string;
  readonly tagValue: string;
  /** When tests start (AWS Backup cron/rate expression, UTC). */
  readonly scheduleExpression: string;
  /** Hours after the scheduled time a test may still start. */
  readonly startWindowHours: number;
  /** Days back the latest recovery point is taken from. */
  readonly selectionWindowDays: number;
  /** Hours the restored resource is kept for validation before AWS Backup deletes it. */
  readonly validationWindowHours: number;
  /** Protected resource type of the selection. */
  readonly resourceType: RestoreTestResourceType;
  /** RestoreMetadataOverrides (Aurora/RDS: dbSubnetGroupName, vpcSecurityGroupIds). */
  readonly restoreMetadataOverrides: Record<string, string>;
  readonly tags: Record<string, string>;
}

/** The plan's name: letters, digits and underscores only (RestoreTestingPlanName). */
export const RESTORE_TESTING_PLAN_NAME = "cn_log_backup_restore_test";

export class RestoreTesting extends pulumi.ComponentResource {
  readonly plan: aws.backup.RestoreTestingPlan;
  readonly selection: aws.backup.RestoreTestingSelection;
  readonly role: aws.iam.Role;

  constructor(name: string, args: RestoreTestingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("cn-log-backup:index:RestoreTesting", name, {}, opts);
    const parent = { parent: this };
    const facts = partitionFacts(parent);

    // AWS Backup assumes the selection's role to run each restore job; aws:SourceAccount keeps
    // another account's plan from using it (https://docs.aws.amazon.com/aws-backup/latest/devguide/cross-service-confused-deputy-prevention.html).
    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        description: "AWS Backup restores cn-log-backup recovery points for restore tests with this role",
        assumeRolePolicy: serviceTrustPolicy({ principal: servicePrincipal("backup", parent), sourceAccount: facts.accountId }),
        tags: args.tags,
      },
      parent,
    );
    // The restore permissions AWS documents for restore testing roles
    // (https://docs.aws.amazon.com/aws-backup/latest/devguide/restore-testing.html, "IAM role").
    new aws.iam.RolePolicyAttachment(
      `${name}-role-restores`,
      { role: this.role.name, policyArn: managedPolicyArn("service-role/AWSBackupServiceRolePolicyForRestores", parent) },
      parent,
    );

    this.plan = new aws.backup.RestoreTestingPlan(
      `${name}-plan`,
      {
        name: RESTORE_TESTING_PLAN_NAME,
        scheduleExpression: args.scheduleExpression,
        startWindowHours: args.startWindowHours,
        recoveryPointSelection: {
          algorithm: "LATEST_WITHIN_WINDOW",
          includeVaults: [args.vaultArn],
          recoveryPointTypes: ["SNAPSHOT"],
          selectionWindowDays: args.selectionWindowDays,
        },
        tags: args.tags,
      },
      parent,
    );

    this.selection = new aws.backup.RestoreTestingSelection(
      `${name}-selection`,
      {
        name: `${args.resourceType.toLowerCase()}_tagged`,
        restoreTestingPlanName: this.plan.name,
        protectedResourceType: args.resourceType,
        iamRoleArn: this.role.arn,
        // By tag only: the provider takes exactly one of protectedResourceArns and
        // protectedResourceConditions (terraform-provider-aws restore_testing_selection schema,
        // found by npm run provider-check).
        protectedResourceConditions: { stringEquals: [{ key: `aws:ResourceTag/${args.tagKey}`, value: args.tagValue }] },
        restoreMetadataOverrides: Object.keys(args.restoreMetadataOverrides).length > 0 ? args.restoreMetadataOverrides : undefined,
        validationWindowHours: args.validationWindowHours,
      },
      parent,
    );
    this.registerOutputs({});
  }
}
