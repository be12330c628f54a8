import { ec2EbsEncrypted } from "../../../policy-pack/ec2/ebs-encrypted";
import { res, runOne } from "../helpers";

describe("ec2-ebs-encrypted", () => {
  const INSTANCE = "aws:ec2/instance:Instance";
  const LT = "aws:ec2/launchTemplate:LaunchTemplate";
  const VOLUME = "aws:ebs/volume:Volume";
  it("passes encrypted root, data, template and standalone volumes", async () => {
    const { result, messages } = await runOne(ec2EbsEncrypted, [
      res(INSTANCE, "i", { rootBlockDevice: { encrypted: true }, ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: true }] }),
      res(LT, "lt", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true" } }] }),
      res(VOLUME, "v", { encrypted: true }),
    ]);
    expect(messages).toEqual([]);
    expect(result.examined).toBe(3);
  });
  it("reports each unencrypted volume", async () => {
    const { messages } = await runOne(ec2EbsEncrypted, [
      res(INSTANCE, "i", { ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: false }] }),
      res(LT, "lt", { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: 8 } }] }),
      res(VOLUME, "v", {}),
    ]);
    expect(messages).toEqual([
      'Instance "i": its root volume is not encrypted: set rootBlockDevice: { encrypted: true }.',
      'Instance "i": ebsBlockDevices[0] (/dev/sdf) is not encrypted: set encrypted: true.',
      'LaunchTemplate "lt": blockDeviceMappings[0] (/dev/xvda) is not encrypted: set ebs: { encrypted: "true" }.',
      'Volume "v" is not encrypted: set encrypted: true.',
    ]);
  });
});
