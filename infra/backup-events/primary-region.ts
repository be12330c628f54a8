/**
 * BackupEvents in the primary region (Beijing): the source vault and its tag-selected plan
 * (source-vault.ts), the event-driven copy to the backup region and the retention rule
 * (copy-retention.ts), failure notifications, alarms and security alerts (alerts.ts), all into a
 * KMS-encrypted topic and error queue (messaging.ts); optional: snapshot export and the Backup
 * Audit Manager framework.
 *
 * Failures: every EventBridge target has a retry policy and the error queue as DLQ
 * (infra/event-rule.ts); the Lambdas have bounded async retries and the same queue as on-failure
 * destination; the queue's policy admits only those rules and roles and denies non-TLS.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { InlineLambda } from "../lambda";
import { alarms, failureNotifications, securityAlerts } from "./alerts";
import type { PrimaryRegionArgs } from "./args";
import { auditFramework } from "./audit-framework";
import { copyAndRetention } from "./copy-retention";
import { lambdaCommon } from "./lambda-common";
import { messagingPolicies } from "./messaging";
import { BackupEventsRegionOutputs, regionOutputs, regionSetUp, registeredRegionOutputs } from "./region-common";
import { snapshotExport } from "./snapshot-export";
import { sourceVaultAndPlan } from "./source-vault";
import { BACKUP_EVENTS_TYPE } from "./types";

/** Its outputs (./region-common.ts): the source vault, created here or brought, the topic and the error queue. */
export interface BackupEventsPrimaryRegion extends BackupEventsRegionOutputs {}

export class BackupEventsPrimaryRegion extends pulumi.ComponentResource {
  readonly copyStarter: InlineLambda;
  readonly retentionUpdater: InlineLambda;
  /** Only with `snapshotExport`. */
  readonly snapshotExporter?: InlineLambda;
  readonly copyRole: aws.iam.Role;
  readonly backupServiceRole: aws.iam.Role;
  readonly plan: aws.backup.Plan;

  constructor(name: string, args: PrimaryRegionArgs, opts?: pulumi.ComponentResourceOptions) {
    super(BACKUP_EVENTS_TYPE, name, {}, opts);
    const { scope, m } = regionSetUp(this, name, args);

    const source = sourceVaultAndPlan(scope, args);
    const ref = source.vault;
    const lambdas = lambdaCommon(scope, m, args);
    const copy = copyAndRetention(scope, m, lambdas, ref, args);
    failureNotifications(scope, m, ref, args);
    if (args.snapshotExport) this.snapshotExporter = snapshotExport(scope, m, lambdas, ref, args);
    if (args.auditFramework) auditFramework(scope, args);
    securityAlerts(scope, m, ref, copy.retentionUpdater.role.name);
    alarms(scope, m, ref, args);
    messagingPolicies(scope, m);

    Object.assign(this, regionOutputs(m, ref));
    this.copyStarter = copy.copyStarter;
    this.retentionUpdater = copy.retentionUpdater;
    this.copyRole = copy.copyRole;
    this.backupServiceRole = source.serviceRole;
    this.plan = source.plan;
    this.registerOutputs(registeredRegionOutputs(this));
  }
}
