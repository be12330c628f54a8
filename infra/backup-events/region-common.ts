/**
 * What both BackupEvents region components share: their scope and messaging (built first, in
 * this order, before any other part) and the vault and messaging outputs they expose.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { partitionFacts } from "../partition";
import { Messaging, messaging } from "./messaging";
import type { Scope, VaultRef } from "./types";

/** The outputs of either region's component (its vault: the source vault in Beijing, the destination vault in Ningxia). */
export interface BackupEventsRegionOutputs {
  /** The vault: created here, or the brought one. */
  readonly vaultArn: pulumi.Output<string>;
  readonly vaultName: pulumi.Output<string>;
  /** Its key's ARN: created here, or the given one (an alias ARN for the AWS-managed key). */
  readonly vaultKeyArn: pulumi.Output<string>;
  /** The vault and key this component created; undefined where they were brought. */
  readonly vault?: aws.backup.Vault;
  readonly vaultKey?: aws.kms.Key;
  readonly topic: aws.sns.Topic;
  readonly errorQueue: aws.sqs.Queue;
}

/** The component's scope and its messaging (topic, error queue and their key). */
export function regionSetUp(
  component: pulumi.ComponentResource,
  name: string,
  args: { tags: Record<string, string>; kmsKeyDeletionWindowDays: number; notificationEmails: string[] },
): { scope: Scope; m: Messaging } {
  const scope: Scope = { parent: component, name, tags: args.tags, facts: partitionFacts({ parent: component }) };
  return { scope, m: messaging(scope, args) };
}

/** The outputs from the vault in use and the messaging. */
export function regionOutputs(m: Messaging, ref: VaultRef): BackupEventsRegionOutputs {
  return { vaultArn: ref.arn, vaultName: ref.name, vaultKeyArn: ref.keyArn, vault: ref.vault, vaultKey: ref.key, topic: m.topic, errorQueue: m.queue };
}

/** What the component registers as its outputs. */
export function registeredRegionOutputs(o: BackupEventsRegionOutputs): pulumi.Inputs {
  return { vaultArn: o.vaultArn, vaultKeyArn: o.vaultKeyArn, topicArn: o.topic.arn, errorQueueArn: o.errorQueue.arn };
}
