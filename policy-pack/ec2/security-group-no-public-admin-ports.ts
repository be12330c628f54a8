/**
 * No security group opens a database or administrative port to the whole internet (0.0.0.0/0 or
 * ::/0): inline ingress blocks, aws.ec2.SecurityGroupRule (type ingress) and
 * aws.vpc.SecurityGroupIngressRule. Protocol "-1"/"all" covers every port.
 * https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-53
 */
import { fsbp } from "../lib/controls";
import { describe, MANDATORY, read, T, validateTypes } from "../lib/kit";
import { PackResourcePolicy } from "../lib/meta";

/** SSH, RDP, MySQL/Aurora, PostgreSQL, SQL Server, Oracle, Redis, MongoDB, Redshift, Memcached, OpenSearch, Kafka, Cassandra, VNC, WinRM. */
export const DEFAULT_PORTS = [22, 3389, 3306, 5432, 1433, 1521, 6379, 27017, 5439, 11211, 9200, 9092, 9042, 5900, 5985, 5986, 23];

const OPEN = ["0.0.0.0/0", "::/0"];

interface Rule {
  from: unknown;
  to: unknown;
  protocol: unknown;
  cidrs: string[];
}

function openPorts(rule: Rule, ports: number[]): number[] {
  if (!rule.cidrs.some((c) => OPEN.includes(c))) {
    return [];
  }
  const protocol = String(rule.protocol ?? "").toLowerCase();
  if (protocol === "-1" || protocol === "all") {
    return ports;
  }
  if (protocol !== "tcp" && protocol !== "6" && protocol !== "udp" && protocol !== "17") {
    return [];
  }
  const from = Number(rule.from ?? 0);
  const to = Number(rule.to ?? from);
  return ports.filter((p) => (from === -1 && to === -1) || (p >= from && p <= to));
}

function strings(get: () => unknown): string[] {
  const r = read(get);
  if (!r.known) {
    return [];
  }
  const v = r.value;
  return (Array.isArray(v) ? v : v ? [v] : []).filter((x): x is string => typeof x === "string");
}

export const sgNoPublicAdminPorts: PackResourcePolicy = {
  name: "ec2-security-group-no-public-admin-ports",
  description:
    "No security group rule allows ingress from 0.0.0.0/0 or ::/0 to a database or administrative port (22, 3389, 3306, 5432, ...), or to all ports.",
  remediationSteps:
    "Allow the port from the client's security group (referencedSecurityGroupId / securityGroups) or a narrow CIDR; reach instances through SSM Session Manager instead of SSH/RDP.",
  enforcementLevel: MANDATORY,
  severity: "critical",
  topics: ["exposure"],
  framework: fsbp("EC2.53", "EC2 security groups should not allow ingress from 0.0.0.0/0 (EC2.54: ::/0) to remote server administration ports"),
  configSchema: {
    properties: {
      ports: {
        type: "array",
        items: { type: "integer", minimum: 0, maximum: 65535 },
        default: DEFAULT_PORTS,
        description: "Ports never open to the internet.",
      },
    },
  },
  validateResource: validateTypes([T.securityGroup, T.securityGroupRule, T.securityGroupIngressRule], (p, args, report) => {
    const ports = args.getConfig<{ ports?: number[] }>().ports ?? DEFAULT_PORTS;
    const rules: { label: string; rule: Rule }[] = [];
    if (args.type === T.securityGroup) {
      const ingress = read(() => p.ingress);
      (ingress.known && Array.isArray(ingress.value) ? ingress.value : []).forEach((r: any, i: number) =>
        rules.push({
          label: `ingress[${i}]`,
          rule: { from: r.fromPort, to: r.toPort, protocol: r.protocol, cidrs: [...strings(() => r.cidrBlocks), ...strings(() => r.ipv6CidrBlocks)] },
        }),
      );
    } else if (args.type === T.securityGroupRule) {
      const type = read(() => p.type);
      if (type.known && type.value !== "ingress") {
        args.notApplicable("egress rule");
      }
      rules.push({
        label: "rule",
        rule: { from: p.fromPort, to: p.toPort, protocol: p.protocol, cidrs: [...strings(() => p.cidrBlocks), ...strings(() => p.ipv6CidrBlocks)] },
      });
    } else {
      rules.push({
        label: "rule",
        rule: { from: p.fromPort, to: p.toPort, protocol: p.ipProtocol, cidrs: [...strings(() => p.cidrIpv4), ...strings(() => p.cidrIpv6)] },
      });
    }
    for (const { label, rule } of rules) {
      const open = openPorts(rule, ports);
      if (open.length > 0) {
        report(`${describe(args)} ${label} opens port(s) ${open.join(", ")} to ${rule.cidrs.filter((c) => OPEN.includes(c)).join(" and ")}.`);
      }
    }
  }),
};
