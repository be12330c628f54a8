/** Which backup vaults are disaster-recovery destinations: those carrying the configured tags. */
import { PolicyResource } from "@pulumi/policy";
import { read, T } from "./kit";

export const DEFAULT_DESTINATION_TAGS = { "cn-log-backup:role": "backup" };

export const destinationTagsSchema = {
  type: "object" as const,
  default: DEFAULT_DESTINATION_TAGS,
  description: "Tags (key: value) that mark a backup vault as a destination (the Ningxia copy); the program tags every resource with its stack role.",
};

export function destinationVaults(resources: PolicyResource[], tags: Record<string, string> | undefined): PolicyResource[] {
  const want = Object.entries(tags ?? DEFAULT_DESTINATION_TAGS);
  return resources.filter((r) => {
    if (r.type !== T.backupVault) {
      return false;
    }
    const t = read(() => r.props.tags);
    // Tags are literals; unknown tags may be the destination's, so the vault is judged.
    return !t.known || want.every(([k, v]) => t.value?.[k] === v);
  });
}
