import { dynamodbTableEncryptedWithCmk } from "../../../policy-pack/dynamodb/table-encrypted-with-cmk";
import { keyArn, res, runOne, UNKNOWN } from "../helpers";

describe("dynamodb-table-encrypted-with-cmk", () => {
  const T = "aws:dynamodb/table:Table";
  it("passes a CMK, also when its ARN is unknown in preview", async () => {
    expect((await runOne(dynamodbTableEncryptedWithCmk, [res(T, "t", { serverSideEncryption: { enabled: true, kmsKeyArn: keyArn() } })])).messages).toEqual([]);
    const preview = await runOne(dynamodbTableEncryptedWithCmk, [res(T, "t", { serverSideEncryption: { enabled: true, kmsKeyArn: UNKNOWN } })], {
      preview: true,
    });
    expect(preview.messages).toEqual([]);
    expect(preview.result.skipped).toEqual([]);
    expect(preview.result.examined).toBe(1);
  });
  it("reports the AWS owned key and the AWS managed key", async () => {
    expect((await runOne(dynamodbTableEncryptedWithCmk, [res(T, "t", {})])).messages).toEqual([
      'Table "t" is encrypted with an AWS owned key: set serverSideEncryption: { enabled: true, kmsKeyArn: <customer-managed key ARN> }.',
    ]);
    expect((await runOne(dynamodbTableEncryptedWithCmk, [res(T, "t", { serverSideEncryption: { enabled: true } })])).messages).toEqual([
      'Table "t": serverSideEncryption.kmsKeyArn is not set (the AWS managed key would be used); use a customer-managed key.',
    ]);
  });
});
