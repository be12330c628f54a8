/**
 * Amazon EC2 instance profiles: EC2 assumes the profile's role for the instance. The request
 * carries no aws:SourceAccount / aws:SourceArn (the trust names only the ec2 principal).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2.html
 */
import { Contract, ServiceRequest, T, World, all, principal, runsOf, trustOf } from "./contract";
import { ofType } from "../../tools/harness";

export const ec2: Contract = {
  service: "Amazon EC2 (instance profiles)",
  requests(w: World): ServiceRequest[] {
    const out: ServiceRequest[] = [];
    for (const { run, account, region } of runsOf(w)) {
      for (const profile of all(run, T.instanceProfile)) {
        const role = ofType(run, T.role).find((r) => r.state.name === profile.inputs.role);
        if (!role) throw new Error(`ec2 contract: no role ${profile.inputs.role} for ${profile.name}`);
        out.push({
          title: `EC2 assumes ${role.name} for instances with ${profile.name}`,
          principal: principal("ec2", region),
          action: "sts:AssumeRole",
          resource: role.state.arn,
          resourceAccount: account,
          sends: {},
          doesNotSend: ["aws:SourceAccount", "aws:SourceArn"],
          resourcePolicy: trustOf(role),
          source: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2.html",
          noAccountInRequest: "EC2 assumes instance roles with no source keys; the profile (in this account) is the only guard",
        });
      }
    }
    return out;
  },
};
