/**
 * The China regions' everyday names, for descriptions that say where a copy goes. Either region
 * may be the primary (README "Reverse direction"), so no description names a region by hand.
 * Region codes and names: https://docs.amazonaws.cn/en_us/aws/latest/userguide/endpoints-Beijing.html
 * and https://docs.amazonaws.cn/en_us/aws/latest/userguide/endpoints-Ningxia.html
 */
const NAMES: Record<string, string> = { "cn-north-1": "Beijing", "cn-northwest-1": "Ningxia" };

/** "Beijing" for cn-north-1, "Ningxia" for cn-northwest-1, the code itself for anything else. */
export function regionName(region: string): string {
  return NAMES[region] ?? region;
}
