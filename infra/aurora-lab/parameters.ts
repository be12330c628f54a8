/** Pure helpers of the lab: its address plan and the parameter groups' parameters. */
import { AUDIT_EVENTS } from "./args";

/** Splits an IPv4 CIDR block into four equal blocks (prefix length + 2). */
export function quarterCidr(cidr: string): [string, string, string, string] {
  const [ip, bits] = cidr.split("/");
  const prefix = Number(bits);
  const base = ip.split(".").reduce((a, o) => a * 256 + Number(o), 0);
  const size = 2 ** (32 - prefix - 2);
  const toIp = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
  return [0, 1, 2, 3].map((i) => `${toIp(base + i * size)}/${prefix + 2}`) as [string, string, string, string];
}

/** The cluster parameter group's parameters: Advanced Auditing as Aurora MySQL 3 names it. */
export function auditParameters(excludedUsers: string[]): { name: string; value: string; applyMethod: string }[] {
  const params = [
    { name: "server_audit_logging", value: "1", applyMethod: "immediate" },
    { name: "server_audit_events", value: AUDIT_EVENTS, applyMethod: "immediate" },
  ];
  if (excludedUsers.length > 0) {
    params.push({ name: "server_audit_excl_users", value: excludedUsers.join(","), applyMethod: "immediate" });
  }
  return params;
}

/** The instance parameter group's parameters: a slow query log to export. */
export function instanceParameters(slowQuerySeconds: number): { name: string; value: string; applyMethod: string }[] {
  return [
    { name: "slow_query_log", value: "1", applyMethod: "immediate" },
    { name: "long_query_time", value: String(slowQuerySeconds), applyMethod: "immediate" },
    { name: "log_output", value: "FILE", applyMethod: "immediate" },
  ];
}
