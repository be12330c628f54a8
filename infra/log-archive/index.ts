/**
 * LogArchive: the encrypted log archive in Beijing, replicated to Ningxia, fed by every log source
 * (ARCHITECTURE.md sections 1 and 4). One file per part; both regions' classes register the type
 * `cn-log-backup:index:LogArchive`, and every part creates its resources with the component as
 * parent, so the URNs are those of the one-class LogArchive this came from.
 *
 * - backup region: ./replica.ts (ReplicaLogArchive)
 * - primary region: ./archive.ts (LogArchive: archive bucket, key, grants, inventory) with
 *   ./replication.ts; then, built by the stack in this order: ./agent-kit.ts (EC2 agent kit, the
 *   log groups LogArchive owns), ./cloudwatch-logs.ts (Firehose or export tasks), ./flow-logs.ts,
 *   ./cloudtrail.ts
 * - pure logic: ./prefixes.ts (the prefixes and their writers), ./lifecycle.ts, ./policies.ts,
 *   ./log-groups.ts, ./agent-config.ts
 */
export { LogArchive, LogArchiveArgs } from "./archive";
export { ReplicaLogArchive, ReplicaLogArchiveArgs, LOG_ARCHIVE_TYPE } from "./replica";
export { ReplicaRef, replicationRoleName } from "./replication";
export { AgentKit, AgentKitArgs, ArchiveLogGroup, RdsLogGroupArgs, agentKit } from "./agent-kit";
export { LogFileArgs, agentConfig } from "./agent-config";
export { CloudWatchLogsArgs, CloudWatchLogsShipping, cloudWatchLogsToArchive } from "./cloudwatch-logs";
export { FLOW_LOG_FIELDS, FLOW_LOG_FORMAT, FlowLogsArgs, configuredFlowLogVpcs, vpcFlowLogs } from "./flow-logs";
export { CloudTrailArgs, archiveTrail } from "./cloudtrail";
export { LifecycleArgs, lifecycleRules } from "./lifecycle";
export {
  ARCHIVE_LAYOUT,
  ARCHIVE_PREFIXES,
  ArchivePrefix,
  ArchivePrefixLayout,
  ArchiveWriter,
  BUCKET_GRANT_ORDER,
  KEY_GRANT_ORDER,
  WriterGrant,
  EXPORT_CURSOR_KEY,
  STATE_PREFIX,
} from "./prefixes";
export { firehoseStatements, replicationStatements } from "./policies";
export { SUBSCRIPTION_FILTER_NAME } from "./log-groups";
