/** The aws-cn world the mocks answer from: partition, account, availability zones, what already exists. */

export const ACCOUNT_ID = "123456789012";
export const PARTITION = "aws-cn";
export const DNS_SUFFIX = "amazonaws.com.cn";

/** Availability zones as the two China regions have them. */
export const AVAILABILITY_ZONES: Record<string, { names: string[]; zoneIds: string[] }> = {
  "cn-north-1": { names: ["cn-north-1a", "cn-north-1b", "cn-north-1d"], zoneIds: ["cnn1-az1", "cnn1-az2", "cnn1-az4"] },
  "cn-northwest-1": { names: ["cn-northwest-1a", "cn-northwest-1b", "cn-northwest-1c"], zoneIds: ["cnnw1-az1", "cnnw1-az2", "cnnw1-az3"] },
};

/** Public SSM parameters the program may read. */
export const SSM_PUBLIC_PARAMETERS: Record<string, string> = {
  "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64": "ami-0a1b2c3d4e5f60718",
  "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64": "ami-0a1b2c3d4e5f60718",
};

/**
 * Log groups that already exist in each region before the program runs (LogArchive subscribes the
 * matching ones). Names only; `getLogGroups` answers with them by prefix.
 */
export const EXISTING_LOG_GROUPS: Record<string, string[]> = {
  "cn-north-1": [
    "/aws/lambda/legacy-orders",
    "/aws/rds/cluster/legacy-aurora/error",
    "/aws/rds/cluster/legacy-aurora/slowquery",
    "/aws/rds/instance/legacy-mysql/error",
    "/ec2/legacy-app/messages",
  ],
  "cn-northwest-1": [],
};

export interface MockOptions {
  /** The stack's provider region (`aws:region`). */
  region: string;
  /**
   * The account the stack deploys into (caller identity, every computed ARN). Default ACCOUNT_ID;
   * the harness gives a cross-account backup stack its own, as AWS would.
   */
  accountId?: string;
  /** Outputs of stacks a StackReference may read, by stack name. */
  stackOutputs?: Record<string, Record<string, unknown>>;
  /** Preview mode: computed outputs are unknown. */
  preview?: boolean;
}
