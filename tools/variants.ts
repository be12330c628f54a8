/**
 * Config variants the offline tools evaluate besides the stack files as they are, so that code
 * behind off-by-default flags is serialized, planned and policy-checked too. Components add theirs.
 */
export interface Variant {
  name: string;
  /** Overrides on top of each stack file (see RunOptions.config in tools/harness.ts). */
  config?: Record<string, unknown>;
}

export const VARIANTS: Variant[] = [
  { name: "stack files" },
  // The Beijing stack file turns AuroraLab on; the policy pack must pass without it too.
  { name: "auroraLab off", config: { auroraLab: { enabled: false } } },
  // LogArchive's other CloudWatch Logs mode and its off-by-default flags.
  {
    name: "logArchive exportTask + flags",
    config: {
      logArchive: {
        cloudWatchLogsMode: "exportTask",
        replicationTimeControl: true,
        firehoseDecompression: true,
        flowLogVpcIds: ["vpc-0123456789abcdef0"],
        rdsLogGroups: [{ clusterName: "orders", logTypes: ["audit", "error"] }],
      },
    },
  },
  {
    // AuditLogPipeline is built only once it has an archive (LogArchive, or these two keys).
    name: "audit-log pipeline with an explicit archive",
    config: {
      auditLogPipeline: {
        enabled: true,
        archiveBucketName: "cn-log-backup-archive-example",
        archiveKmsKeyArn: "arn:aws-cn:kms:cn-north-1:123456789012:key/00000000-0000-4000-8000-000000000000",
      },
    },
  },
];
