/** The `auditLogPipeline` section: Aurora MySQL audit log files to the archive (primary stack). */
import type { RuleInput } from "./app-config";
import { configKey } from "./top-level";
import { DOWNLOADER_QUEUE_SIZE } from "../../functions/audit-log/settings";
import { ConfigProblem, Field, bool, chinaArnPattern, int, oneOf, optionalStr, section } from "./schema";

export const auditLogPipelineFields = {
  enabled: bool("Build the Aurora MySQL audit-log pipeline (primary stack only).", true),
  scheduleMinutes: int("Minutes between scans for new or changed audit log files (EventBridge Scheduler rate).", { min: 1, max: 60, default: 5 }),
  downloaderTimeoutSeconds: int("Timeout of the downloader Lambda (one file of up to ~100 MB per record).", { min: 60, max: 900, default: 900 }),
  downloaderMemoryMb: int(
    "Memory of the downloader Lambda; its use is bounded by the part size, not the file size: at least 4 x partSizeMb + 128 (three part buffers, one part's worth for the transfer, and the runtime and start-up).",
    { min: 256, max: 10240, default: 1024 },
  ),
  partSizeMb: int("S3 multipart part size in MiB; the downloader holds three part buffers (downloaderMemoryMb at least 4 x partSizeMb + 128).", {
    min: 5,
    max: 512,
    default: 8,
  }),
  streamMaxRetries: int("Retries of a failed DynamoDB stream batch before it goes to the dead-letter queue.", { min: 0, max: 100, default: 5 }),
  restPathVersion: oneOf(
    ["v13", "v19"] as const,
    "Path version of RDS's downloadCompleteLogFile REST endpoint. AWS's pages document v13; v19 only when AWS confirms it (see README, audit-log pipeline).",
    "v13",
  ),
  oldestPendingAlarmMinutes: int("Alarm when a detected audit log file has waited this long for its backup (Aurora deletes them after 24 h).", {
    min: 10,
    max: 1440,
    default: 60,
  }),
  archiveBucketName: optionalStr("Archive bucket to write to instead of LogArchive's (set together with archiveKmsKeyArn). Unset: LogArchive's bucket.", {
    pattern: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    allowed: "an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)",
  }),
  archiveKmsKeyArn: optionalStr("KMS key of archiveBucketName (set together with it).", {
    pattern: chinaArnPattern("kms"),
    allowed: "a KMS key ARN in the aws-cn partition (arn:aws-cn:kms:<region>:<account>:key/<id>)",
  }),
} satisfies Record<string, Field<any>>;

export const auditLogPipelineSection = section("AuditLogPipeline: Aurora MySQL audit logs to S3.", auditLogPipelineFields);

/** An archive of one's own comes with its key: set both or neither. */
export function auditArchiveProblems(cfg: RuleInput): ConfigProblem[] {
  const audit = cfg.auditLogPipeline;
  if (!audit || (audit.archiveBucketName === undefined) === (audit.archiveKmsKeyArn === undefined)) return [];
  const [set, unset] = audit.archiveBucketName === undefined ? ["archiveKmsKeyArn", "archiveBucketName"] : ["archiveBucketName", "archiveKmsKeyArn"];
  return [
    {
      key: configKey(`auditLogPipeline.${unset}`),
      message: `is unset while auditLogPipeline.${set} is ${JSON.stringify(audit[set as "archiveBucketName"])}; set both or neither`,
    },
  ];
}

/**
 * What the downloader holds, in parts: its `queueSize + 1` part buffers and one more part's worth
 * for what the transfer holds beside them. Measured with `npm run bench -- --only audit-log`
 * (BENCH_PART_MB; VmHWM of the transfer's process over its RSS before the transfer, a 256 MB file):
 * 56, 131 and 235 MiB for 8, 32 and 64 MiB parts, i.e. 32, 35 and 43 MiB beyond the three buffers,
 * growing with the part size. The extra part plus the 58 MiB the headroom leaves (below) cover that:
 * 66, 90 and 122 MiB; above 64 MiB parts nothing was measured. The bench's endpoints are plain
 * http: TLS buffers are not in the figures.
 */
export const DOWNLOADER_MEMORY_PARTS = DOWNLOADER_QUEUE_SIZE + 2;

/**
 * MiB for the runtime and the function's start-up, rounded up from what was measured on an x86_64
 * Linux machine with Node v20.20.2 (Lambda runs nodejs22.x on arm64): 70 MiB peak (VmHWM) for the
 * serialized artifact loaded by a plain `node` process with the function's environment, clients
 * created, one empty batch handled (a bare `node` is 38 MiB): `node tools/run-ts.js
 * tools/downloader-rss.ts`. Not measured: the Lambda runtime's own bootstrap (its runtime interface
 * client, which loads the handler in the same process); no source gives its RSS, and it cannot run
 * here. The 58 MiB left over are all there is for it.
 */
export const DOWNLOADER_HEADROOM_MB = 128;

/** The least `downloaderMemoryMb` for parts of `partSizeMb`. */
export function downloaderMinMemoryMb(partSizeMb: number): number {
  return DOWNLOADER_MEMORY_PARTS * partSizeMb + DOWNLOADER_HEADROOM_MB;
}

/** The downloader's memory holds its part buffers, or a large part size runs it out of memory in Lambda. */
export function downloaderMemoryProblems(cfg: RuleInput): ConfigProblem[] {
  const audit = cfg.auditLogPipeline;
  // Only where a downloader is built: the primary stack, with the pipeline on.
  if (!audit?.enabled || cfg.role === "backup") return [];
  const { downloaderMemoryMb: memory, partSizeMb } = audit;
  if (typeof memory !== "number" || typeof partSizeMb !== "number") return [];
  const min = downloaderMinMemoryMb(partSizeMb);
  if (memory >= min) return [];
  const largestPart = Math.floor((memory - DOWNLOADER_HEADROOM_MB) / DOWNLOADER_MEMORY_PARTS);
  return [
    {
      key: configKey("auditLogPipeline.downloaderMemoryMb"),
      message:
        `${memory} is not allowed with ${configKey("auditLogPipeline.partSizeMb")} ${partSizeMb}; expected at least ${min} ` +
        `(${DOWNLOADER_MEMORY_PARTS} x ${partSizeMb} MiB: the downloader's ${DOWNLOADER_QUEUE_SIZE + 1} part buffers and one part's worth for the transfer, ` +
        `plus ${DOWNLOADER_HEADROOM_MB} MiB for the runtime and the function's start-up), ` +
        (largestPart >= 5 ? `or partSizeMb at most ${largestPart}` : "or a smaller partSizeMb"),
    },
  ];
}
