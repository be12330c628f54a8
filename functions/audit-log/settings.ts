/**
 * The audit-log functions' settings from their Lambda environment, read once per container on the
 * first event (infra/audit-log-pipeline/functions.ts). Each variable is named exactly as the Args
 * field and config key it comes from (`auditLogPipeline.partSizeMb` -> Args `partSizeMb` ->
 * variable `partSizeMb` -> `DownloaderDeps.partSizeMb`); a missing or bad value fails the
 * invocation with a message naming the variable and what it allows.
 */
import { type Env, optionalInteger, optionalOneOf, optionalString, requiredString } from "../shared/env";
import type { DetectorDeps } from "./detector";
import type { DownloaderDeps } from "./downloader";
import type { ScannerDeps } from "./scanner";

/**
 * Parts the downloader keeps in flight (its memory is `queueSize + 1` part buffers, ./multipart.ts
 * `uploadStream`); not a setting. stacks/config/audit-log-pipeline.ts sizes the memory from it.
 */
export const DOWNLOADER_QUEUE_SIZE = 2;

/** The path versions of the RDS REST download endpoint (see rds-source.ts). */
export const REST_PATH_VERSIONS = ["v13", "v19"] as const;

export function scannerSettings(env: Env): Pick<ScannerDeps, "queueUrl"> {
  return { queueUrl: requiredString(env, "queueUrl") };
}

export function detectorSettings(env: Env): Pick<DetectorDeps, "tableName" | "pipelineName" | "metricNamespace"> {
  return {
    tableName: requiredString(env, "tableName"),
    pipelineName: optionalString(env, "pipelineName"),
    metricNamespace: optionalString(env, "metricNamespace"),
  };
}

export type DownloaderSettings = Omit<DownloaderDeps, "rds" | "s3" | "dynamodb">;

export function downloaderSettings(env: Env): DownloaderSettings {
  return {
    // Set by the Lambda runtime (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime).
    region: requiredString(env, "AWS_REGION"),
    // Loopback override for tests only; the component never sets it.
    rdsRestEndpoint: optionalString(env, "RDS_REST_ENDPOINT"),
    restPathVersion: optionalOneOf(env, "restPathVersion", REST_PATH_VERSIONS),
    tableName: requiredString(env, "tableName"),
    archiveBucketName: requiredString(env, "archiveBucketName"),
    archiveKmsKeyArn: optionalString(env, "archiveKmsKeyArn"),
    keyPrefix: optionalString(env, "keyPrefix"),
    // S3's smallest multipart part is 5 MiB; config allows at most 512.
    partSizeMb: optionalInteger(env, "partSizeMb", { min: 5, max: 512 }),
    pipelineName: optionalString(env, "pipelineName"),
    metricNamespace: optionalString(env, "metricNamespace"),
  };
}

/** Endpoint overrides (`RDS_ENDPOINT`, ...) for tests on loopback only; the component never sets them. */
export function endpointOverride(env: Env, service: "RDS" | "SQS" | "S3" | "DYNAMODB"): string | undefined {
  return optionalString(env, `${service}_ENDPOINT`);
}
