/** EC2 instances and launch templates require IMDSv2 session tokens. */
import { fsbp } from "../lib/controls";
import { describe, MANDATORY, read, T, validateTypes } from "../lib/kit";
import { PackResourcePolicy } from "../lib/meta";

export const ec2ImdsV2Required: PackResourcePolicy = {
  name: "ec2-instance-imdsv2-required",
  description: "EC2 instances and launch templates require IMDSv2 session tokens, so instance credentials cannot be read through a request-forgery bug.",
  remediationSteps: 'Set metadataOptions: { httpTokens: "required", httpEndpoint: "enabled" } on the aws.ec2.Instance or aws.ec2.LaunchTemplate.',
  enforcementLevel: MANDATORY,
  severity: "high",
  topics: ["exposure"],
  framework: fsbp("EC2.8", "EC2 instances should use Instance Metadata Service Version 2 (IMDSv2)"),
  validateResource: validateTypes([T.ec2Instance, T.ec2LaunchTemplate], (props, args, report) => {
    if (props.metadataOptions?.httpTokens !== "required") {
      report(`${describe(args)} allows IMDSv1: set metadataOptions.httpTokens to "required".`);
    }
  }),
};
