/**
 * The event-driven copy and the retention rule (primary region):
 *   Backup Job State Change COMPLETED (source vault) -> copy starter -> StartCopyJob to the backup
 *   region, with the copy role;
 *   Copy Job State Change COMPLETED (source -> destination) -> retention updater, which shortens
 *   the original's retention with backup-events-aws's rule (functions/backup-events/retention.ts).
 * Each Lambda's environment variables are named as the settings they carry (the config keys where
 * there is one: copyDeleteAfterDays, copyColdStorageAfterDays, copyOnDemandBackups,
 * retainAfterCopyDays); functions/backup-events/settings.ts reads them under the same names.
 */
import * as aws from "@pulumi/aws";
import { BackupClient } from "@aws-sdk/client-backup";
import { createCopyStarterHandler } from "../../functions/backup-events/copy-starter";
import { createRetentionUpdaterHandler } from "../../functions/backup-events/retention-updater";
import { copyStarterSettings, deferUntilFirstEvent, retentionUpdaterSettings } from "../../functions/backup-events/settings";
import { policyDocument, serviceTrustPolicy } from "../iam";
import { InlineLambda } from "../lambda";
import { arn, managedPolicyArn, servicePrincipal } from "../partition";
import { regionName } from "../regions";
import type { PrimaryRegionArgs } from "./args";
import type { BackupEventsLambdas } from "./lambda-common";
import { Messaging, lambdaRule } from "./messaging";
import { copyRoleStatements } from "./statements";
import { Scope, VaultRef } from "./types";
import { vaultKeyServices } from "./vault";

// Callback factories: module-level so the closure serializer captures only what they use: an SDK
// client (from the runtime) and the logic in functions/backup-events. Each reads its environment
// once per container; a missing setting fails the first invocation, not the load.

function copyStarterFactory() {
  const backup = new BackupClient({});
  const env = { ...process.env };
  return deferUntilFirstEvent(() => createCopyStarterHandler({ backup, ...copyStarterSettings(env) }));
}

function retentionUpdaterFactory() {
  const backup = new BackupClient({});
  const env = { ...process.env };
  return deferUntilFirstEvent(() => createRetentionUpdaterHandler({ backup, ...retentionUpdaterSettings(env) }));
}

export interface CopyAndRetention {
  copyRole: aws.iam.Role;
  copyStarter: InlineLambda;
  retentionUpdater: InlineLambda;
}

/**
 * This account's recovery points in this region, as IAM names them: AWS Backup's own
 * `recovery-point:` ARNs and the native snapshot/image ARNs of EBS, EC2 and RDS/Aurora (EC2 ARNs
 * carry no account, so the statements also require aws:ResourceAccount).
 */
function ownRecoveryPointArns(scope: Scope) {
  const o = { parent: scope.parent };
  return [
    arn({ service: "backup", resource: "recovery-point:*" }, o),
    arn({ service: "ec2", account: "", resource: "snapshot/*" }, o),
    arn({ service: "ec2", account: "", resource: "image/*" }, o),
    arn({ service: "rds", resource: "snapshot:awsbackup:*" }, o),
    arn({ service: "rds", resource: "cluster-snapshot:awsbackup:*" }, o),
  ];
}

export function copyAndRetention(scope: Scope, m: Messaging, lambdas: BackupEventsLambdas, vault: VaultRef, args: PrimaryRegionArgs): CopyAndRetention {
  const { name, facts, tags } = scope;
  const o = { parent: scope.parent };
  const backupPrincipal = servicePrincipal("backup", o);
  const backupRegion = regionName(args.backupRegion);

  // The copy role: AWS Backup copies recovery points to the backup region with it.
  const copyRole = new aws.iam.Role(
    `${name}-copy-role`,
    {
      description: "AWS Backup copies cn-log-backup recovery points to the backup region with this role",
      assumeRolePolicy: serviceTrustPolicy({ principal: backupPrincipal, sourceAccount: facts.accountId }),
      tags,
    },
    o,
  );
  new aws.iam.RolePolicyAttachment(
    `${name}-copy-role-backup`,
    { role: copyRole.name, policyArn: managedPolicyArn("service-role/AWSBackupServiceRolePolicyForBackup", o) },
    o,
  );
  // Whether the source key is AWS-managed is known from config; the destination key comes from the
  // backup stack, which refuses aws/backup for anything but an existing vault of the same account
  // (an alias ARN there would only make these statements match nothing).
  const keys = [...(vault.awsManagedKey ? [] : [vault.keyArn]), args.destinationVaultKeyArn];
  const via = [...vaultKeyServices(scope, facts.region), ...vaultKeyServices(scope, args.backupRegion)];
  new aws.iam.RolePolicy(`${name}-copy-role-policy`, { role: copyRole.id, policy: policyDocument(copyRoleStatements(args.destinationVaultArn, keys, via)) }, o);

  const recoveryPoints = ownRecoveryPointArns(scope);
  const copyStarter = new InlineLambda(
    `${name}-copy-starter`,
    {
      ...lambdas.common,
      description: `Starts the copy of each completed AWS Backup recovery point to the ${backupRegion} vault`,
      callbackFactory: copyStarterFactory,
      environment: {
        sourceVaultArn: vault.arn,
        destinationVaultArn: args.destinationVaultArn,
        copyRoleArn: copyRole.arn,
        copyDeleteAfterDays: String(args.copyDeleteAfterDays),
        copyColdStorageAfterDays: args.copyColdStorageAfterDays !== undefined ? String(args.copyColdStorageAfterDays) : "",
        copyOnDemandBackups: String(args.copyOnDemandBackups),
      },
      statements: [
        {
          Sid: "StartCopyJobsOfThisAccountsRecoveryPoints",
          Effect: "Allow",
          Action: ["backup:StartCopyJob"],
          Resource: recoveryPoints,
          Condition: { StringEquals: { "aws:ResourceAccount": facts.accountId } },
        },
        { Sid: "ListCopyJobs", Effect: "Allow", Action: ["backup:ListCopyJobs"], Resource: "*" },
        {
          Sid: "PassTheCopyRoleToAwsBackup",
          Effect: "Allow",
          Action: ["iam:PassRole"],
          Resource: [copyRole.arn],
          Condition: { StringEquals: { "iam:PassedToService": backupPrincipal } },
        },
        lambdas.queueKeyUse,
      ],
    },
    o,
  );

  const retentionUpdater = new InlineLambda(
    `${name}-retention-updater`,
    {
      ...lambdas.common,
      description: `After a copy reaches ${backupRegion}, shortens the original's retention (never extends it)`,
      callbackFactory: retentionUpdaterFactory,
      environment: {
        sourceVaultArn: vault.arn,
        destinationVaultArn: args.destinationVaultArn,
        retainAfterCopyDays: String(args.retainAfterCopyDays),
      },
      statements: [
        {
          Sid: "ReadAndShortenThisAccountsRecoveryPoints",
          Effect: "Allow",
          Action: ["backup:DescribeRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"],
          Resource: recoveryPoints,
          Condition: { StringEquals: { "aws:ResourceAccount": facts.accountId } },
        },
        lambdas.queueKeyUse,
      ],
    },
    o,
  );
  m.deadLetters.senderRoleArns.push(copyStarter.role.arn, retentionUpdater.role.arn);

  lambdaRule(
    scope,
    m,
    "copy-on-backup",
    {
      source: ["aws.backup"],
      "detail-type": ["Backup Job State Change"],
      detail: {
        state: ["COMPLETED"],
        backupVaultArn: [vault.arn],
        ...(args.copyOnDemandBackups ? {} : { createdBy: { backupPlanId: [{ exists: true }] } }),
      },
    },
    `cn-log-backup: a backup completed in the source vault: copy it to ${backupRegion}`,
    copyStarter,
  );
  lambdaRule(
    scope,
    m,
    "retention-after-copy",
    {
      source: ["aws.backup"],
      "detail-type": ["Copy Job State Change"],
      detail: { state: ["COMPLETED"], sourceBackupVaultArn: [vault.arn], destinationBackupVaultArn: [args.destinationVaultArn] },
    },
    `cn-log-backup: a copy reached ${backupRegion}: shorten the original's retention`,
    retentionUpdater,
  );
  return { copyRole, copyStarter, retentionUpdater };
}
