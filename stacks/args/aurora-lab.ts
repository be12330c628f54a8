/**
 * Config `auroraLab.*` -> AuroraLab's Args, field by field. What is not config comes in `from`:
 * LogArchive's agent kit (the client's agent configuration and the export log groups it made for
 * the lab cluster, as data) and where AuditLogPipeline writes the audit logs (when it is on).
 */
import { type AuroraLabArgs, LOG_EXPORTS } from "../../infra/aurora-lab";
import type { AgentKit, RdsLogGroupArgs } from "../../infra/log-archive";
import type { ResolvedConfig } from "../config";
import type { AuditArchive } from "./audit-log-pipeline";

/** The lab cluster's export log groups, for LogArchive's agent kit to make (undefined: no lab). */
export function labRdsLogGroups(cfg: ResolvedConfig): RdsLogGroupArgs | undefined {
  const c = cfg.auroraLab;
  return c.enabled ? { clusterName: c.clusterIdentifier, logTypes: LOG_EXPORTS, retentionInDays: c.logRetentionDays } : undefined;
}

export function auroraLabArgs(
  cfg: ResolvedConfig,
  tags: Record<string, string>,
  from: { kit: Pick<AgentKit, "clientKit" | "rdsLogGroups">; auditArchive: AuditArchive | undefined },
): AuroraLabArgs {
  const c = cfg.auroraLab;
  const logGroups = from.kit.rdsLogGroups.get(c.clusterIdentifier);
  // labRdsLogGroups has the kit make them; without them the lab would make unarchived ones of its own.
  if (!logGroups)
    throw new Error(`auroraLab: LogArchive's agent kit made no log groups for cluster ${c.clusterIdentifier} (agentKitArgs without labRdsLogGroups)`);
  return {
    stack: cfg.stack,
    region: cfg.region,
    vpcCidr: c.vpcCidr,
    natGateway: c.natGateway,
    client: { instanceType: c.clientInstanceType, rootVolumeGiB: c.clientRootVolumeGiB },
    database: {
      clusterIdentifier: c.clusterIdentifier,
      engineVersion: c.engineVersion,
      instanceClass: c.dbInstanceClass,
      masterUsername: c.masterUsername,
      backupRetentionDays: c.backupRetentionDays,
      deletionProtection: c.deletionProtection,
      finalSnapshot: c.finalSnapshot,
      auditExcludedUsers: c.auditExcludedUsers,
      slowQuerySeconds: c.slowQuerySeconds,
    },
    backupSelectionTag: { key: c.backupTagKey, value: c.backupTagValue },
    clientKit: from.kit.clientKit,
    logs: { retentionInDays: c.logRetentionDays, logGroups },
    auditLogs: from.auditArchive && { bucketName: from.auditArchive.bucket, bucketKeyArn: from.auditArchive.keyArn },
    sysbench: c.sysbenchSource ? { source: c.sysbenchSource, sha256: c.sysbenchSha256 } : undefined,
    kmsKeyDeletionWindowDays: cfg.kmsKeyDeletionWindowDays,
    tags,
  };
}
