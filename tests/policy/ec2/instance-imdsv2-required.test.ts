import { ec2ImdsV2Required } from "../../../policy-pack/ec2/instance-imdsv2-required";
import { res, runOne } from "../helpers";

describe("ec2-instance-imdsv2-required", () => {
  const INSTANCE = "aws:ec2/instance:Instance";
  it("passes httpTokens required and reports optional", async () => {
    expect((await runOne(ec2ImdsV2Required, [res(INSTANCE, "i", { metadataOptions: { httpTokens: "required" } })])).messages).toEqual([]);
    expect((await runOne(ec2ImdsV2Required, [res(INSTANCE, "i", { metadataOptions: { httpTokens: "optional" } })])).messages).toEqual([
      'Instance "i" allows IMDSv1: set metadataOptions.httpTokens to "required".',
    ]);
  });
});
