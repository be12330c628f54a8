import { ec2NoPublicIp } from "../../../policy-pack/ec2/instance-no-public-ip";
import { res, runOne, UNKNOWN } from "../helpers";

const I = "aws:ec2/instance:Instance";
const S = "aws:ec2/subnet:Subnet";

describe("ec2-instance-no-public-ip", () => {
  it("passes an instance without a public IP, also when it inherits a private subnet's setting", async () => {
    for (const preview of [false, true]) {
      const subnet = res(S, "private", { mapPublicIpOnLaunch: false });
      const { messages } = await runOne(
        ec2NoPublicIp,
        [subnet, res(I, "a", { associatePublicIpAddress: false }), res(I, "b", { subnetId: UNKNOWN }, { deps: { subnetId: [subnet] } })],
        { preview },
      );
      expect(messages).toEqual([]);
    }
  });

  it("reports a public IP asked for, or inherited from a public subnet, in both modes", async () => {
    for (const preview of [false, true]) {
      const subnet = res(S, "public", { mapPublicIpOnLaunch: true });
      const { messages } = await runOne(
        ec2NoPublicIp,
        [subnet, res(I, "a", { associatePublicIpAddress: true }), res(I, "b", { subnetId: UNKNOWN }, { deps: { subnetId: [subnet] } })],
        { preview },
      );
      expect(messages).toEqual([
        'Instance "a" associates a public IP address: set associatePublicIpAddress: false.',
        'Instance "b" leaves associatePublicIpAddress unset in a subnet with mapPublicIpOnLaunch: it gets a public IP address.',
      ]);
    }
  });
});
