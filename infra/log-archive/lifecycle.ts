/** The archive's and the replica's lifecycle rules, derived from the archive's writers (./prefixes.ts). */
import * as aws from "@pulumi/aws";
import { ARCHIVE_LAYOUT, ArchivePrefix } from "./prefixes";

export interface LifecycleArgs {
  /** Days until current objects expire (>= 180 for network logs: Cybersecurity Law). */
  expirationDays: number;
  /** Per-prefix expiry overriding `expirationDays` (primary only). */
  prefixExpirationDays?: Partial<Record<ArchivePrefix, number>>;
  infrequentAccessDays: number;
  glacierDays: number;
  noncurrentVersionExpirationDays: number;
  abortIncompleteMultipartUploadDays: number;
}

/** Refuses an expiry below six months (`component`: the LogArchive's name, for the message). */
export function checkRetention(component: string, l: LifecycleArgs): void {
  if (l.expirationDays < 180) {
    throw new Error(`LogArchive ${component}: expirationDays ${l.expirationDays} is below 180 (Cybersecurity Law: keep network logs six months)`);
  }
}

/** Lifecycle rules: one per prefix of the archive's layout (`"archive"`), or one whole-bucket rule (`"replica"`). */
export function lifecycleRules(l: LifecycleArgs, bucket: "archive" | "replica"): aws.types.input.s3.BucketLifecycleConfigurationRule[] {
  const transitions = [
    { days: l.infrequentAccessDays, storageClass: "STANDARD_IA" },
    { days: l.glacierDays, storageClass: "GLACIER" },
  ];
  const rules: aws.types.input.s3.BucketLifecycleConfigurationRule[] = [];
  const one = (id: string, prefix: string, days: number) => ({
    id,
    status: "Enabled",
    filter: { prefix },
    transitions,
    expiration: { days },
    noncurrentVersionExpiration: { noncurrentDays: l.noncurrentVersionExpirationDays },
  });
  if (bucket === "replica") {
    rules.push(one("all-objects", "", l.expirationDays));
  } else {
    for (const p of ARCHIVE_LAYOUT) {
      if (p.lifecycle === "tiered") {
        rules.push(one(`${p.prefix.replace(/\/$/, "")}`, p.prefix, l.prefixExpirationDays?.[p.prefix] ?? l.expirationDays));
      } else {
        rules.push({
          id: p.prefix.replace(/\/$/, ""),
          status: "Enabled",
          filter: { prefix: p.prefix },
          noncurrentVersionExpiration: { noncurrentDays: l.noncurrentVersionExpirationDays },
        });
      }
    }
  }
  rules.push({
    id: "abort-incomplete-multipart-uploads",
    status: "Enabled",
    filter: { prefix: "" },
    abortIncompleteMultipartUpload: { daysAfterInitiation: l.abortIncompleteMultipartUploadDays },
  });
  rules.push({ id: "expired-delete-markers", status: "Enabled", filter: { prefix: "" }, expiration: { expiredObjectDeleteMarker: true } });
  return rules;
}
