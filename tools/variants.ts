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
];
