/**
 * The rules of S3 lifecycle configurations, shared by the retention policies (s3/lifecycle-min-retention.ts, s3/noncurrent-version-retention.ts).
 */
import { read, T } from "./kit";

export const LIFECYCLE_TYPES: readonly string[] = [T.bucketLifecycle, T.bucketLifecycleV2];

/** The rules of a lifecycle configuration, or of a bucket's inline `lifecycleRules`. */
export function lifecycleRulesOf(props: Record<string, any>, type: string): { rules: any[]; known: boolean } {
  const r = read(() => (LIFECYCLE_TYPES.includes(type) ? props.rules : props.lifecycleRules));
  if (!r.known) {
    return { rules: [], known: false };
  }
  return { rules: Array.isArray(r.value) ? r.value : [], known: true };
}
