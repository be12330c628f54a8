/** EC2: encrypted EBS volumes and IMDSv2 (session tokens) required. */
import { ResourceValidationPolicy } from "@pulumi/policy";
import { fsbp } from "./lib/controls";
import { describe, MANDATORY, read, T, validateTypes } from "./lib/kit";

export const ec2EbsEncrypted: ResourceValidationPolicy = {
    name: "ec2-ebs-encrypted",
    description: "EBS volumes are encrypted: standalone volumes, instance root and data volumes, and launch template block devices.",
    remediationSteps: "Set encrypted: true (and a customer-managed kmsKeyId) on aws.ebs.Volume, on the instance's rootBlockDevice and ebsBlockDevices, and on every launch template blockDeviceMappings[].ebs.",
    enforcementLevel: MANDATORY,
    severity: "medium",
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

export const ec2ImdsV2Required: ResourceValidationPolicy = {
    name: "ec2-imdsv2-required",
    description: "EC2 instances and launch templates require IMDSv2 session tokens, so instance credentials cannot be read through a request-forgery bug.",
    remediationSteps: "Set metadataOptions: { httpTokens: \"required\", httpEndpoint: \"enabled\" } on the aws.ec2.Instance or aws.ec2.LaunchTemplate.",
    enforcementLevel: MANDATORY,
    severity: "high",
    framework: fsbp("EC2.8", "EC2 instances should use Instance Metadata Service Version 2 (IMDSv2)"),
    validateResource: validateTypes([T.ec2Instance, T.ec2LaunchTemplate], (props, args, report) => {
        if (props.metadataOptions?.httpTokens !== "required") {
            report(`${describe(args)} allows IMDSv1: set metadataOptions.httpTokens to "required".`);
        }
    }),
};

export const ec2Policies = [ec2EbsEncrypted, ec2ImdsV2Required];
