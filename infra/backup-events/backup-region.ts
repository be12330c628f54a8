/**
 * BackupEvents in the backup region (Ningxia, deployed first): the destination vault with its key,
 * access policy and Vault Lock (destination-vault.ts), and security alerts on destructive calls
 * against the vault and its key, all to a KMS-encrypted topic with an error queue (messaging.ts).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { partitionFacts } from "../partition";
import { securityAlerts } from "./alerts";
import type { BackupRegionArgs } from "./args";
import { destinationVault } from "./destination-vault";
import { messaging, messagingPolicies } from "./messaging";
import { BACKUP_EVENTS_TYPE, Scope } from "./types";

export class BackupEventsBackupRegion extends pulumi.ComponentResource {
  /** The destination vault: created here, or the brought one. */
  readonly vaultArn: pulumi.Output<string>;
  readonly vaultName: pulumi.Output<string>;
  /** Its key's ARN: created here, or the given one (an alias ARN for the AWS-managed key). */
  readonly vaultKeyArn: pulumi.Output<string>;
  /** The vault and key this component created; undefined where they were brought. */
  readonly vault?: aws.backup.Vault;
  readonly vaultKey?: aws.kms.Key;
  readonly topic: aws.sns.Topic;
  readonly errorQueue: aws.sqs.Queue;

  constructor(name: string, args: BackupRegionArgs, opts?: pulumi.ComponentResourceOptions) {
    super(BACKUP_EVENTS_TYPE, name, {}, opts);
    const scope: Scope = { parent: this, name, tags: args.tags, facts: partitionFacts({ parent: this }) };
    const m = messaging(scope, args);
    this.topic = m.topic;
    this.errorQueue = m.queue;

    const ref = destinationVault(scope, args);
    // In the backup region nobody is exempt: every lifecycle change is alerted.
    securityAlerts(scope, m, ref);
    messagingPolicies(scope, m);

    this.vaultArn = ref.arn;
    this.vaultName = ref.name;
    this.vaultKeyArn = ref.keyArn;
    this.vault = ref.vault;
    this.vaultKey = ref.key;
    this.registerOutputs({ vaultArn: this.vaultArn, vaultKeyArn: this.vaultKeyArn, topicArn: this.topic.arn, errorQueueArn: this.errorQueue.arn });
  }
}
