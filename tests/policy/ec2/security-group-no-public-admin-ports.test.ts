import { sgNoPublicAdminPorts } from "../../../policy-pack/ec2/security-group-no-public-admin-ports";
import { res, runOne, UNKNOWN } from "../helpers";

const SG = "aws:ec2/securityGroup:SecurityGroup";
const IN = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";

describe("ec2-security-group-no-public-admin-ports", () => {
  it("passes HTTPS from anywhere and MySQL from a security group", async () => {
    for (const preview of [false, true]) {
      const { result, messages } = await runOne(
        sgNoPublicAdminPorts,
        [
          res(IN, "https", { securityGroupId: UNKNOWN, cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: 443, toPort: 443 }),
          res(IN, "mysql", { securityGroupId: UNKNOWN, referencedSecurityGroupId: UNKNOWN, ipProtocol: "tcp", fromPort: 3306, toPort: 3306 }),
          res(SG, "sg", { ingress: [{ fromPort: 443, toPort: 443, protocol: "tcp", securityGroups: [UNKNOWN] }] }),
        ],
        { preview },
      );
      expect(messages).toEqual([]);
      expect(result.examined).toBe(3);
    }
  });

  it("reports MySQL open to 0.0.0.0/0, SSH open to ::/0 and all traffic open, in both modes", async () => {
    for (const preview of [false, true]) {
      const { messages } = await runOne(
        sgNoPublicAdminPorts,
        [
          res(IN, "mysql", { securityGroupId: UNKNOWN, cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: 3306, toPort: 3306 }),
          res(RULE, "ssh", { type: "ingress", securityGroupId: UNKNOWN, ipv6CidrBlocks: ["::/0"], protocol: "tcp", fromPort: 22, toPort: 22 }),
          res(SG, "all", { ingress: [{ fromPort: 0, toPort: 0, protocol: "-1", cidrBlocks: ["0.0.0.0/0"] }] }),
        ],
        { preview },
      );
      expect(messages[0]).toBe('SecurityGroupIngressRule "mysql" rule opens port(s) 3306 to 0.0.0.0/0.');
      expect(messages[1]).toBe('SecurityGroupRule "ssh" rule opens port(s) 22 to ::/0.');
      expect(messages[2]).toMatch(/^SecurityGroup "all" ingress\[0\] opens port\(s\) 22, 3389, 3306/);
    }
  });
});
