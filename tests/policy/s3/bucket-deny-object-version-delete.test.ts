import { s3DenyVersionDelete } from "../../../policy-pack/s3/bucket-deny-object-version-delete";
import { res, runOne, UNKNOWN } from "../helpers";

const B = "aws:s3/bucket:Bucket";
const BP = "aws:s3/bucketPolicy:BucketPolicy";
const deny = (actions: string[], resource: any) => ({ Statement: [{ Sid: "D", Effect: "Deny", Principal: "*", Action: actions, Resource: [resource] }] });

function stack(doc: any, preview: boolean) {
  const b = res(B, "archive", { bucket: UNKNOWN }, { state: preview ? {} : { arn: "arn:aws-cn:s3:::archive" } });
  return [b, res(BP, "bp", { bucket: UNKNOWN, policy: doc }, { deps: { bucket: [b], policy: [b] } })];
}

describe("s3-bucket-deny-object-version-delete", () => {
  it("passes a deny of s3:DeleteObjectVersion on <bucket>/* (unknown ARN leaf from the bucket in preview)", async () => {
    expect((await runOne(s3DenyVersionDelete, stack(deny(["s3:DeleteObjectVersion"], "arn:aws-cn:s3:::archive/*"), false))).messages).toEqual([]);
    expect((await runOne(s3DenyVersionDelete, stack(deny(["s3:DeleteObject*"], UNKNOWN), true), { preview: true })).messages).toEqual([]);
  });

  it("reports a policy without the deny, a deny of other actions, and a bucket without a policy", async () => {
    for (const preview of [false, true]) {
      expect((await runOne(s3DenyVersionDelete, stack(deny(["s3:DeleteObjectTagging"], "arn:aws-cn:s3:::archive/*"), preview), { preview })).messages).toEqual([
        'Bucket "archive": no bucket policy denies s3:DeleteObjectVersion to Principal "*" on its objects, so any principal allowed to can erase log versions.',
      ]);
      expect((await runOne(s3DenyVersionDelete, [res(B, "bare", {})], { preview })).messages).toHaveLength(1);
      // The TLS deny covers s3:* but only for insecure requests: it does not protect versions.
      const tlsOnly = {
        Statement: [
          {
            Sid: "TLS",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: ["arn:aws-cn:s3:::archive/*"],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      };
      expect((await runOne(s3DenyVersionDelete, stack(tlsOnly, preview), { preview })).messages).toHaveLength(1);
    }
  });
});
