/**
 * EC2 instances of this program get no public IP: associatePublicIpAddress is never true, and an
 * instance that leaves it unset is not launched into a subnet with mapPublicIpOnLaunch (launch
 * templates likewise). The lab client is reached through SSM Session Manager.
 * https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-9
 */
import { PolicyResource } from "@pulumi/policy";
import { fsbp } from "../lib/controls";
import { dependenciesOf, describe, MANDATORY, read, T, validateStackOf } from "../lib/kit";
import { PackStackPolicy } from "../lib/meta";

function truthy(v: unknown): boolean {
  return v === true || v === "true";
}

export const ec2NoPublicIp: PackStackPolicy = {
  name: "ec2-instance-no-public-ip",
  description: "EC2 instances and launch templates do not associate a public IP address, explicitly or through their subnet's mapPublicIpOnLaunch.",
  remediationSteps:
    "Set associatePublicIpAddress: false on the aws.ec2.Instance (and on launch template networkInterfaces), and mapPublicIpOnLaunch: false on its subnet.",
  enforcementLevel: MANDATORY,
  severity: "high",
  topics: ["exposure"],
  framework: fsbp("EC2.9", "EC2 instances should not have a public IPv4 address"),
  validateStack: validateStackOf([T.ec2Instance, T.ec2LaunchTemplate, T.subnet], (args, report) => {
    const subnetMaps = (s: PolicyResource) => {
      const m = read(() => s.props.mapPublicIpOnLaunch);
      return !m.known || truthy(m.value);
    };
    for (const r of args.resources) {
      if (r.type === T.ec2Instance) {
        const a = read(() => r.props.associatePublicIpAddress);
        if (!a.known || truthy(a.value)) {
          report(`${describe(r)} associates a public IP address${a.known ? "" : " (unknown during preview)"}: set associatePublicIpAddress: false.`, r.urn);
          continue;
        }
        if (a.value === undefined || a.value === null) {
          const subnets = dependenciesOf(r, "subnetId").filter((d) => d.type === T.subnet);
          if (subnets.some(subnetMaps)) {
            report(`${describe(r)} leaves associatePublicIpAddress unset in a subnet with mapPublicIpOnLaunch: it gets a public IP address.`, r.urn);
          }
        }
      } else if (r.type === T.ec2LaunchTemplate) {
        const nis = read(() => r.props.networkInterfaces);
        (nis.known && Array.isArray(nis.value) ? nis.value : []).forEach((ni: any, i: number) => {
          const a = read(() => ni.associatePublicIpAddress);
          if (!a.known || truthy(a.value)) {
            report(`${describe(r)} networkInterfaces[${i}] associates a public IP address: set associatePublicIpAddress: "false".`, r.urn);
          }
        });
      }
    }
  }),
};
