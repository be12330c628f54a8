/**
 * BackupEvents in the backup region (Ningxia, deployed first): the destination vault with its key,
 * access policy and Vault Lock (destination-vault.ts), and security alerts on destructive calls
 * against the vault and its key, all to a KMS-encrypted topic with an error queue (messaging.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { securityAlerts } from "./alerts";
import type { BackupRegionArgs } from "./args";
import { destinationVault } from "./destination-vault";
import { messagingPolicies } from "./messaging";
import { BackupEventsRegionOutputs, regionOutputs, regionSetUp, registeredRegionOutputs } from "./region-common";
import { BACKUP_EVENTS_TYPE } from "./types";

/** Its outputs (./region-common.ts): the destination vault, created here or brought, the topic and the error queue. */
export interface BackupEventsBackupRegion extends BackupEventsRegionOutputs {}

export class BackupEventsBackupRegion extends pulumi.ComponentResource {
  constructor(name: string, args: BackupRegionArgs, opts?: pulumi.ComponentResourceOptions) {
    super(BACKUP_EVENTS_TYPE, name, {}, opts);
    const { scope, m } = regionSetUp(this, name, args);

    const ref = destinationVault(scope, args);
    // In the backup region nobody is exempt: every lifecycle change is alerted.
    securityAlerts(scope, m, ref);
    messagingPolicies(scope, m);

    Object.assign(this, regionOutputs(m, ref));
    this.registerOutputs(registeredRegionOutputs(this));
  }
}
