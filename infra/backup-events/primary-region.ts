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
import { partitionFacts } from "../partition";
import { alarms, failureNotifications, securityAlerts } from "./alerts";
import type { PrimaryRegionArgs } from "./args";
import { auditFramework } from "./audit-framework";
import { copyAndRetention } from "./copy-retention";
import { lambdaCommon } from "./lambda-common";
import { messaging, messagingPolicies } from "./messaging";
import { snapshotExport } from "./snapshot-export";
import { sourceVaultAndPlan } from "./source-vault";
import { BACKUP_EVENTS_TYPE, Scope } from "./types";

export class BackupEventsPrimaryRegion extends pulumi.ComponentResource {
  /** The source vault: created here, or the brought one. */
  readonly vaultArn: pulumi.Output<string>;
  readonly vaultName: pulumi.Output<string>;
  /** Its key's ARN: created here, or the given one (an alias ARN for the AWS-managed key). */
  readonly vaultKeyArn: pulumi.Output<string>;
  /** The vault and key this component created; undefined where they were brought. */
  readonly vault?: aws.backup.Vault;
  readonly vaultKey?: aws.kms.Key;
  readonly topic: aws.sns.Topic;
  readonly errorQueue: aws.sqs.Queue;
  readonly copyStarter: InlineLambda;
  readonly retentionUpdater: InlineLambda;
  /** Only with `snapshotExport`. */
  readonly snapshotExporter?: InlineLambda;
  readonly copyRole: aws.iam.Role;
  readonly backupServiceRole: aws.iam.Role;
  readonly plan: aws.backup.Plan;

  constructor(name: string, args: PrimaryRegionArgs, opts?: pulumi.ComponentResourceOptions) {
    super(BACKUP_EVENTS_TYPE, name, {}, opts);
    const scope: Scope = { parent: this, name, tags: args.tags, facts: partitionFacts({ parent: this }) };
    const m = messaging(scope, args);
    this.topic = m.topic;
    this.errorQueue = m.queue;

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

    this.vaultArn = ref.arn;
    this.vaultName = ref.name;
    this.vaultKeyArn = ref.keyArn;
    this.vault = ref.vault;
    this.vaultKey = ref.key;
    this.copyStarter = copy.copyStarter;
    this.retentionUpdater = copy.retentionUpdater;
    this.copyRole = copy.copyRole;
    this.backupServiceRole = source.serviceRole;
    this.plan = source.plan;
    this.registerOutputs({ vaultArn: this.vaultArn, vaultKeyArn: this.vaultKeyArn, topicArn: this.topic.arn, errorQueueArn: this.errorQueue.arn });
  }
}
