/**
 * Shapes of the AWS Backup events the BackupEvents Lambdas consume, and small helpers shared by
 * the handlers. Plain functions only (the handlers are serialized by Pulumi's closure serializer).
 */
import { createHash } from "crypto";

/** Logs one JSON line (the shared logger, functions/shared/log.ts). */
export { logJson } from "../shared/log";

/** An EventBridge event as AWS Backup emits it (only the fields the handlers read). */
export interface BackupEvent<D = Record<string, unknown>> {
  version?: string;
  id?: string;
  "detail-type": string;
  source: string;
  account?: string;
  time?: string;
  region?: string;
  resources?: string[];
  detail: D;
}

export interface BackupJobDetail {
  backupJobId?: string;
  backupVaultArn?: string;
  backupVaultName?: string;
  resourceArn?: string;
  resourceType?: string;
  state?: string;
  creationDate?: string;
  createdBy?: { backupPlanId?: string; backupPlanArn?: string };
}

export interface CopyJobDetail {
  copyJobId?: string;
  sourceBackupVaultArn?: string;
  destinationBackupVaultArn?: string;
  destinationRecoveryPointArn?: unknown;
  resourceArn?: string;
  resourceType?: string;
  state?: string;
}

export interface RecoveryPointDetail {
  backupVaultArn?: string;
  backupVaultName?: string;
  resourceArn?: string;
  resourceType?: string;
  status?: string;
}

/** What a handler did with an event; returned (and logged) so tests and logs can see it. */
export interface HandlerOutcome {
  action: string;
  reason?: string;
  [key: string]: unknown;
}

/** Matches `arn:<partition>:backup:<region>:<account>:backup-vault:<name>`. */
const VAULT_ARN = /^arn:(aws|aws-cn|aws-us-gov):backup:([a-z0-9-]+):(\d{12}):backup-vault:(.+)$/;

/** The vault name from a backup vault ARN; throws naming the bad value. */
export function vaultNameFromArn(arn: string): string {
  const m = VAULT_ARN.exec(arn ?? "");
  if (!m) throw new Error(`not a backup vault ARN: ${String(arn)}`);
  return m[4];
}

/**
 * The recovery point an AWS Backup job event is about. AWS Backup puts it in `resources[0]`
 * (a `recovery-point:` ARN, or the native snapshot/image ARN for EBS, EC2, RDS and Aurora).
 */
export function recoveryPointArnOf(event: { id?: string; resources?: string[] }): string {
  const arn = Array.isArray(event.resources) ? event.resources[0] : undefined;
  if (typeof arn !== "string" || !arn.startsWith("arn:")) {
    throw new Error(`event ${event.id ?? "(no id)"} carries no recovery point ARN in resources[0]`);
  }
  return arn;
}

/**
 * The deterministic idempotency token for copying `recoveryPointArn` to `destinationVaultArn`:
 * the same pair always gives the same token, so a redelivered event or a retried invocation makes
 * AWS Backup return the existing copy job instead of starting a second one. The two ARNs can be
 * hundreds of characters long, so they are hashed (SHA-256) and the first 128 bits are written as
 * a UUID-shaped string (36 characters).
 *
 * `attempt` counts earlier copies of the pair that failed: AWS Backup answers a token it has seen
 * with the job it started, failed or not ("Retrying a successful request with the same idempotency
 * token results in a success message with no action taken",
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/API_StartCopyJob.html), so a retry after
 * a failure needs a token of its own. Attempt 0 keeps the token of the pair alone.
 */
export function copyIdempotencyToken(recoveryPointArn: string, destinationVaultArn: string, attempt = 0): string {
  const seed = attempt > 0 ? `${recoveryPointArn}\n${destinationVaultArn}\n${attempt}` : `${recoveryPointArn}\n${destinationVaultArn}`;
  const hex = createHash("sha256").update(seed).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
