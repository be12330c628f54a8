/**
 * The primary (source) stack in Beijing. Reads the backup stack's outputs through a
 * StackReference (its name is config) and builds everything that ships data to Ningxia.
 */
import * as pulumi from "@pulumi/pulumi";
import { ResolvedConfig } from "./config";
import { BACKUP_OUTPUT_KEYS, stackTags } from "./common";
import { cloudWatchLogsKeyStatement, customerManagedKey } from "../infra/kms";

export function buildPrimaryStack(cfg: ResolvedConfig): Record<string, unknown> {
  const tags = stackTags(cfg);
  const backupStack = new pulumi.StackReference("backup-stack", { name: cfg.backupStackName });
  const backupAccountId = backupStack.requireOutput(BACKUP_OUTPUT_KEYS.accountId) as pulumi.Output<string>;

  // One key for the log groups of every Lambda function in this stack.
  const lambdaLogsKey = customerManagedKey(
    "lambda-logs-key",
    {
      description: "cn-log-backup: encrypts the log groups of this stack's Lambda functions",
      deletionWindowInDays: cfg.kmsKeyDeletionWindowDays,
      alias: `cn-log-backup/${cfg.stack}/lambda-logs`,
      statements: [cloudWatchLogsKeyStatement(cfg.region)],
      tags,
    },
    {},
  );

  return {
    backupAccountId,
    lambdaLogsKeyArn: lambdaLogsKey.arn,
  };
}
