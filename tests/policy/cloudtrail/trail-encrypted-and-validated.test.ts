import { cloudtrailEncryptedAndValidated } from "../../../policy-pack/cloudtrail/trail-encrypted-and-validated";
import { res, runOne, UNKNOWN } from "../helpers";

describe("cloudtrail-trail-encrypted-and-validated", () => {
  const T = "aws:cloudtrail/trail:Trail";
  it("passes KMS and validation (key unknown in preview)", async () => {
    expect(
      (await runOne(cloudtrailEncryptedAndValidated, [res(T, "t", { kmsKeyId: UNKNOWN, enableLogFileValidation: true })], { preview: true })).messages,
    ).toEqual([]);
  });
  it("reports both missing", async () => {
    expect((await runOne(cloudtrailEncryptedAndValidated, [res(T, "t", {})])).messages).toEqual([
      'Trail "t" does not encrypt its log files with KMS: set kmsKeyId.',
      'Trail "t" has log file validation off: set enableLogFileValidation: true.',
    ]);
  });
});
