/** The CloudWatch agent's configuration (pure; tested in tests/infra/log-archive/agent-kit.test.ts). */

export interface LogFileArgs {
  /** Path (glob) on the instance, e.g. `/var/log/messages`. */
  filePath: string;
  /** Log group the agent writes to; created by the agent kit with KMS and retention. */
  logGroupName: string;
}

/** The CloudWatch agent configuration: each file into its log group, one stream per instance. */
export function agentConfig(files: LogFileArgs[]): Record<string, unknown> {
  return {
    agent: { metrics_collection_interval: 60, logfile: "/opt/aws/amazon-cloudwatch-agent/logs/amazon-cloudwatch-agent.log" },
    logs: {
      logs_collected: {
        files: {
          collect_list: files.map((f) => ({
            file_path: f.filePath,
            log_group_name: f.logGroupName,
            log_stream_name: "{instance_id}",
            timezone: "UTC",
          })),
        },
      },
    },
  };
}
