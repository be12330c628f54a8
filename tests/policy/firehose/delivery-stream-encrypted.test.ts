import { firehoseEncrypted } from "../../../policy-pack/firehose/delivery-stream-encrypted";
import { keyArn, res, runOne } from "../helpers";

describe("firehose-delivery-stream-encrypted", () => {
  const T = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream";
  it("passes SSE on and leaves Kinesis-sourced streams to their source", async () => {
    const { result, messages } = await runOne(firehoseEncrypted, [
      res(T, "direct", { destination: "extended_s3", serverSideEncryption: { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: keyArn() } }),
      res(T, "from-stream", {
        destination: "extended_s3",
        kinesisSourceConfiguration: { kinesisStreamArn: "arn:aws-cn:kinesis:cn-north-1:111122223333:stream/s" },
      }),
    ]);
    expect(messages).toEqual([]);
    expect(result.examinedResources).toEqual([`${T} direct`]);
  });
  it("reports SSE off", async () => {
    expect((await runOne(firehoseEncrypted, [res(T, "s", { destination: "extended_s3" })])).messages).toEqual([
      'FirehoseDeliveryStream "s" does not encrypt buffered data: set serverSideEncryption: { enabled: true }.',
    ]);
  });
});
