/**
 * infra/iam.ts: policy documents are plain objects whose leaves are Inputs, so in a preview of a
 * new stack only the ARNs of resources not created yet are unknown and everything else reaches the
 * provider (and the policy pack) as known values.
 */
import * as aws from "@pulumi/aws";
import { denyInsecureTransport, policyDocument, policyDocumentJson, serviceTrustPolicy } from "../../infra/iam";
import { isUnknown } from "../../tools/harness";
import { ACCOUNT_ID, settle, useMocks } from "../helpers/pulumi";

describe("policy documents in preview (infra/iam.ts)", () => {
  let mocks: Awaited<ReturnType<typeof useMocks>>;
  const record = (name: string) => {
    const found = mocks.resources.filter((r) => r.name === name);
    expect(found).toHaveLength(1);
    return found[0];
  };

  beforeAll(async () => {
    mocks = await useMocks("cn-north-1", { preview: true });
    const bucket = new aws.s3.Bucket("b", {});
    new aws.s3.BucketPolicy("bp", {
      bucket: bucket.id,
      policy: policyDocument([denyInsecureTransport([bucket.arn, bucket.arn.apply((a) => `${a}/*`)], "s3:*")]),
    });
    new aws.iam.Role("r", { assumeRolePolicy: serviceTrustPolicy({ principal: "s3.amazonaws.com", sourceAccount: ACCOUNT_ID, sourceArn: bucket.arn }) });
    new aws.kms.Key("k", {
      policy: policyDocumentJson([{ Effect: "Allow", Principal: { AWS: `arn:aws-cn:iam::${ACCOUNT_ID}:root` }, Action: "kms:*", Resource: "*" }]),
    });
    new aws.kms.Key("k2", {
      policy: policyDocumentJson([
        { Effect: "Allow", Principal: { AWS: `arn:aws-cn:iam::${ACCOUNT_ID}:root` }, Action: "kms:Decrypt", Resource: [bucket.arn] },
      ]),
    });
    await settle();
  });

  test("a bucket policy keeps its literals known and only the bucket's ARNs unknown, leaf by leaf", () => {
    const bp = record("bp");
    const [st] = bp.inputs.policy.Statement;
    expect(bp.inputs.policy.Version).toBe("2012-10-17");
    expect({ ...st, Resource: undefined }).toEqual({
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    expect(st.Resource).toHaveLength(2);
    expect(st.Resource.map(isUnknown)).toEqual([true, true]);
  });

  test("a service trust policy keeps the principal, action and condition keys known; only aws:SourceArn is unknown", () => {
    const [st] = record("r").inputs.assumeRolePolicy.Statement;
    expect(st.Principal).toEqual({ Service: "s3.amazonaws.com" });
    expect(st.Action).toBe("sts:AssumeRole");
    expect(st.Condition.StringEquals).toEqual({ "aws:SourceAccount": ACCOUNT_ID });
    expect(Object.keys(st.Condition.ArnLike)).toEqual(["aws:SourceArn"]);
    expect(isUnknown(st.Condition.ArnLike["aws:SourceArn"])).toBe(true);
  });

  test("policyDocumentJson (string-only fields) is known when its leaves are, and wholly unknown otherwise", () => {
    expect(JSON.parse(record("k").inputs.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws-cn:iam::${ACCOUNT_ID}:root` }, Action: "kms:*", Resource: "*" }],
    });
    expect(isUnknown(record("k2").inputs.policy)).toBe(true);
  });
});
