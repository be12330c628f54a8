/**
 * EBS volumes are encrypted: standalone volumes, instance block devices and launch template block devices.
 */
import { fsbp } from "../lib/controls";
import { describe, MANDATORY, read, T, validateTypes } from "../lib/kit";
import { PackResourcePolicy } from "../lib/meta";

export const ec2EbsEncrypted: PackResourcePolicy = {
  name: "ec2-ebs-encrypted",
  description: "EBS volumes are encrypted: standalone volumes, instance root and data volumes, and launch template block devices.",
  remediationSteps:
    "Set encrypted: true (and a customer-managed kmsKeyId) on aws.ebs.Volume, on the instance's rootBlockDevice and ebsBlockDevices, and on every launch template blockDeviceMappings[].ebs.",
  enforcementLevel: MANDATORY,
  severity: "medium",
  topics: ["encryption"],
  framework: fsbp("EC2.3", "Attached Amazon EBS volumes should be encrypted at-rest"),
  validateResource: validateTypes([T.ec2Instance, T.ec2LaunchTemplate, T.ebsVolume], (props, args, report) => {
    if (args.type === T.ebsVolume) {
      if (props.encrypted !== true) {
        report(`${describe(args)} is not encrypted: set encrypted: true.`);
      }
      return;
    }
    if (args.type === T.ec2Instance) {
      if (props.rootBlockDevice?.encrypted !== true) {
        report(`${describe(args)}: its root volume is not encrypted: set rootBlockDevice: { encrypted: true }.`);
      }
      const devices = read(() => props.ebsBlockDevices);
      const list: any[] = devices.known && Array.isArray(devices.value) ? devices.value : [];
      list.forEach((d, i) => {
        if (d.encrypted !== true) {
          report(`${describe(args)}: ebsBlockDevices[${i}] (${d.deviceName}) is not encrypted: set encrypted: true.`);
        }
      });
      return;
    }
    const mappings = read(() => props.blockDeviceMappings);
    const list: any[] = mappings.known && Array.isArray(mappings.value) ? mappings.value : [];
    list.forEach((m, i) => {
      if (m.ebs && m.ebs.encrypted !== true && m.ebs.encrypted !== "true") {
        report(`${describe(args)}: blockDeviceMappings[${i}] (${m.deviceName}) is not encrypted: set ebs: { encrypted: "true" }.`);
      }
    });
  }),
};
