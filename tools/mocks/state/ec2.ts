/** Resource state the provider returns for EC2 VPCs, subnets, security groups, instances, flow logs and VPC endpoints (ids as EC2 makes them). */
import { hex } from "../ids";
import type { StateRules } from "./context";

export const ec2State: StateRules = {
  "aws:ec2/vpc:Vpc": ({ seed, acct, arnOf }) => {
    const id = `vpc-${hex(seed, 17)}`;
    return {
      id,
      state: {
        arn: arnOf("ec2", `vpc/${id}`),
        defaultSecurityGroupId: `sg-${hex(seed + "sg", 17)}`,
        mainRouteTableId: `rtb-${hex(seed + "rtb", 17)}`,
        ownerId: acct,
      },
      knownInPreview: {},
      idUnknownInPreview: true,
    };
  },
  "aws:ec2/subnet:Subnet": ({ seed, acct, arnOf }) => {
    const id = `subnet-${hex(seed, 17)}`;
    return { id, state: { arn: arnOf("ec2", `subnet/${id}`), ownerId: acct }, knownInPreview: {}, idUnknownInPreview: true };
  },
  "aws:ec2/securityGroup:SecurityGroup": ({ seed, acct, autoname, arnOf }) => {
    const id = `sg-${hex(seed, 17)}`;
    return { id, state: { arn: arnOf("ec2", `security-group/${id}`), name: autoname(255), ownerId: acct }, knownInPreview: {}, idUnknownInPreview: true };
  },
  "aws:ec2/instance:Instance": ({ seed, arnOf }) => {
    const id = `i-${hex(seed, 17)}`;
    return {
      id,
      state: { arn: arnOf("ec2", `instance/${id}`), privateIp: "10.0.1.10", primaryNetworkInterfaceId: `eni-${hex(seed, 17)}` },
      knownInPreview: {},
      idUnknownInPreview: true,
    };
  },
  "aws:ec2/flowLog:FlowLog": ({ seed, arnOf }) => {
    const id = `fl-${hex(seed, 17)}`;
    return { id, state: { arn: arnOf("ec2", `vpc-flow-log/${id}`) }, knownInPreview: {}, idUnknownInPreview: true };
  },
  "aws:ec2/vpcEndpoint:VpcEndpoint": ({ inputs, seed, arnOf }) => {
    const id = `vpce-${hex(seed, 17)}`;
    // Gateway endpoints (S3, DynamoDB) expose the service's managed prefix list.
    const prefixListId = inputs.vpcEndpointType === "Gateway" ? `pl-${hex(seed + "pl", 8)}` : undefined;
    return {
      id,
      state: { arn: arnOf("ec2", `vpc-endpoint/${id}`), dnsEntries: [], networkInterfaceIds: [], prefixListId },
      knownInPreview: {},
      idUnknownInPreview: true,
    };
  },
};
