/**
 * Snapshot export (flag `snapshotExport`, off by default): when an Aurora/RDS backup completes in
 * the source vault, export the snapshot to the archive bucket's `exports/` prefix (Parquet),
 * encrypted with the archive key, through an export role that `export.rds` assumes.
 */
import * as aws from "@pulumi/aws";
import { RDSClient } from "@aws-sdk/client-rds";
import { createSnapshotExportHandler } from "../../functions/backup-events/snapshot-export";
import { deferUntilFirstEvent, snapshotExportSettings } from "../../functions/backup-events/settings";
import { policyDocument, serviceTrustPolicy } from "../iam";
import { InlineLambda } from "../lambda";
import { arn, s3Arn, servicePrincipal, viaService } from "../partition";
import type { PrimaryRegionArgs } from "./args";
import type { BackupEventsLambdas } from "./lambda-common";
import { Messaging, lambdaRule } from "./messaging";
import { exportRoleStatements } from "./statements";
import { Scope, VaultRef } from "./types";

/** The archive prefix the exports go to. */
export const EXPORTS_PREFIX = "exports/";

// Module-level, as in copy-retention.ts: the serializer captures the RDS client and the logic only.
function snapshotExportFactory() {
  const rds = new RDSClient({});
  const env = { ...process.env };
  return deferUntilFirstEvent(() => createSnapshotExportHandler({ rds, ...snapshotExportSettings(env) }));
}

export function snapshotExport(scope: Scope, m: Messaging, lambdas: BackupEventsLambdas, vault: VaultRef, args: PrimaryRegionArgs): InlineLambda {
  const { name, facts, tags } = scope;
  const archive = args.archive;
  const o = { parent: scope.parent };
  const exportPrincipal = servicePrincipal("export.rds", o);
  const rdsVia = viaService("rds", facts.region, o);
  const exportRole = new aws.iam.Role(
    `${name}-export-role`,
    {
      description: "RDS snapshot export writes cn-log-backup snapshots to the archive's exports/ prefix with this role",
      assumeRolePolicy: serviceTrustPolicy({ principal: exportPrincipal, sourceAccount: facts.accountId }),
      tags,
    },
    o,
  );
  new aws.iam.RolePolicy(
    `${name}-export-role-policy`,
    {
      role: exportRole.id,
      policy: policyDocument(
        exportRoleStatements({
          bucketArn: s3Arn(archive.bucketName, undefined, o),
          exportsArn: s3Arn(archive.bucketName, `${EXPORTS_PREFIX}*`, o),
          keyArn: archive.keyArn,
          rdsVia,
        }),
      ),
    },
    o,
  );
  const exporter = new InlineLambda(
    `${name}-snapshot-export`,
    {
      ...lambdas.common,
      description: "Exports completed Aurora/RDS backup snapshots to the archive bucket's exports/ prefix (Parquet)",
      callbackFactory: snapshotExportFactory,
      environment: {
        sourceVaultArn: vault.arn,
        bucketName: archive.bucketName,
        prefix: EXPORTS_PREFIX,
        kmsKeyArn: archive.keyArn,
        exportRoleArn: exportRole.arn,
      },
      statements: [
        {
          Sid: "ExportThisAccountsBackupSnapshots",
          Effect: "Allow",
          Action: ["rds:StartExportTask"],
          Resource: [arn({ service: "rds", resource: "snapshot:awsbackup:*" }, o), arn({ service: "rds", resource: "cluster-snapshot:awsbackup:*" }, o)],
        },
        {
          Sid: "PassTheExportRoleToRds",
          Effect: "Allow",
          Action: ["iam:PassRole"],
          Resource: [exportRole.arn],
          Condition: { StringEquals: { "iam:PassedToService": exportPrincipal } },
        },
        // StartExportTask lets RDS create a grant on the export key for the export (an AWS resource):
        // https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ExportSnapshot.html,
        // https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grant-is-for-aws-resource
        { Sid: "LetRdsDescribeTheArchiveKey", Effect: "Allow", Action: ["kms:DescribeKey"], Resource: [archive.keyArn] },
        {
          Sid: "LetRdsUseTheArchiveKey",
          Effect: "Allow",
          Action: ["kms:CreateGrant"],
          Resource: [archive.keyArn],
          Condition: { StringEquals: { "kms:ViaService": rdsVia }, Bool: { "kms:GrantIsForAWSResource": true } },
        },
        lambdas.queueKeyUse,
      ],
    },
    o,
  );
  m.deadLetters.senderRoleArns.push(exporter.role.arn);
  lambdaRule(
    scope,
    m,
    "export-snapshot",
    {
      source: ["aws.backup"],
      "detail-type": ["Backup Job State Change"],
      detail: { state: ["COMPLETED"], backupVaultArn: [vault.arn], resourceType: ["Aurora", "RDS"] },
    },
    "cn-log-backup: an Aurora/RDS backup completed: export the snapshot to the archive",
    exporter,
  );
  return exporter;
}
