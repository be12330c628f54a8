/** The vault of either region: brought (an existing vault, or an existing key), or created here with its key. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PolicyStatement } from "../iam";
import { customerManagedKey } from "../kms";
import { accountRootArns, viaService } from "../partition";
import { vaultNameOfArn } from "./statements";
import { Scope, VaultRef, isAwsManagedBackupKeyAlias } from "./types";

/** The kms:ViaService values of vault-key use in `region`: AWS Backup, and RDS for RDS/Aurora. */
export function vaultKeyServices(scope: Scope, region: pulumi.Input<string>): pulumi.Output<string>[] {
  return ["backup", "rds"].map((service) => viaService(service, region, { parent: scope.parent }));
}

/** `arn:aws-cn:iam::<id>:root` for each account. */
export function rootArns(scope: Scope, accountIds: pulumi.Input<string[]>): pulumi.Output<string[]> {
  return accountRootArns(accountIds, { parent: scope.parent });
}

/**
 * The vault: the brought one (`vaultArn`, with its `kmsKeyArn`), or a new vault named `vaultName`
 * encrypted with the brought key (`kmsKeyArn` alone) or with a new customer-managed key.
 */
export function vaultRef(
  scope: Scope,
  v: {
    /** The config keys of the brought vault and key, for messages. */
    keys: { vaultArn: string; kmsKeyArn: string };
    vaultArn?: string;
    kmsKeyArn?: string;
    vaultName: string;
    kmsKeyDeletionWindowDays: number;
    keyDescription: string;
    keyStatements: () => PolicyStatement[];
    forceDestroy?: boolean;
  },
): VaultRef {
  const { name, tags } = scope;
  const o = { parent: scope.parent };
  if (v.vaultArn !== undefined) {
    const vaultName = vaultNameOfArn(v.vaultArn);
    if (!vaultName) throw new Error(`BackupEvents: ${v.keys.vaultArn} ${JSON.stringify(v.vaultArn)} is not a backup vault ARN`);
    if (v.kmsKeyArn === undefined) throw new Error(`BackupEvents: a brought vault (${v.keys.vaultArn} ${v.vaultArn}) needs its key ARN (${v.keys.kmsKeyArn})`);
    return {
      arn: pulumi.output(v.vaultArn),
      name: pulumi.output(vaultName),
      keyArn: pulumi.output(v.kmsKeyArn),
      awsManagedKey: isAwsManagedBackupKeyAlias(v.kmsKeyArn),
    };
  }
  const brought = v.kmsKeyArn;
  if (brought !== undefined && isAwsManagedBackupKeyAlias(brought)) {
    throw new Error(`BackupEvents: ${v.keys.kmsKeyArn} ${brought} is the AWS-managed key; a vault this component creates needs a customer-managed key`);
  }
  const key =
    brought === undefined
      ? customerManagedKey(
          `${name}-vault-key`,
          { description: v.keyDescription, deletionWindowInDays: v.kmsKeyDeletionWindowDays, statements: v.keyStatements(), tags },
          o,
        )
      : undefined;
  const keyArn = key ? key.arn : pulumi.output(brought!);
  const vault = new aws.backup.Vault(
    `${name}-vault`,
    {
      name: v.vaultName,
      kmsKeyArn: keyArn,
      ...(v.forceDestroy !== undefined ? { forceDestroy: v.forceDestroy } : {}),
      tags,
    },
    o,
  );
  return { arn: vault.arn, name: vault.name, keyArn, awsManagedKey: false, vault, key };
}
