/**
 * The stack's CloudTrail trail into `cloudtrail/` of the archive, encrypted with the archive key,
 * with log file validation and management events. CloudTrail writes there through the archive's
 * grants (./prefixes.ts), which name this trail (./policies.ts trailName).
 */
import * as aws from "@pulumi/aws";
import type { LogArchive } from "./archive";
import { trailName } from "./policies";

export interface CloudTrailArgs {
  readonly stack: string;
  /** `logArchive.cloudTrailMultiRegion`. */
  readonly cloudTrailMultiRegion: boolean;
  readonly tags?: Record<string, string>;
}

export function archiveTrail(archive: LogArchive, args: CloudTrailArgs): aws.cloudtrail.Trail {
  return new aws.cloudtrail.Trail(
    `${archive.name}-trail`,
    {
      name: trailName(args.stack),
      s3BucketName: archive.bucketName,
      s3KeyPrefix: "cloudtrail",
      kmsKeyId: archive.key.arn,
      enableLogFileValidation: true,
      includeGlobalServiceEvents: true,
      isMultiRegionTrail: args.cloudTrailMultiRegion,
      eventSelectors: [{ readWriteType: "All", includeManagementEvents: true }],
      tags: args.tags,
    },
    { parent: archive, dependsOn: [archive.bucketPolicy, archive.encryption] },
  );
}
