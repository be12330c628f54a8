/** Reading the config errors the stack files would get: what the config tests share. */
import { ConfigError, parseConfig } from "../../stacks/config";

/** The message of the ConfigError that parseConfig throws for `all` in `stack`; the test fails when it throws another error or none. */
export function configErrorOf(all: Record<string, string>, stack: string): string {
  try {
    parseConfig(all, stack);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error("expected a ConfigError");
}

/**
 * The backup stack's config (Ningxia, both regions set explicitly) with each of `sections` as its
 * `cn-log-backup:<section>` JSON value.
 */
export function backupStackConfig(sections: Record<string, unknown>): Record<string, string> {
  const all: Record<string, string> = {
    "aws:region": "cn-northwest-1",
    "cn-log-backup:primaryRegion": "cn-north-1",
    "cn-log-backup:backupRegion": "cn-northwest-1",
  };
  for (const [k, v] of Object.entries(sections)) all[`cn-log-backup:${k}`] = JSON.stringify(v);
  return all;
}
