import { lambdaPermissionSourceArn } from "../../../policy-pack/lambda/permission-source-arn";
import { ACCOUNT, res, runOne, UNKNOWN } from "../helpers";

describe("lambda-permission-source-arn", () => {
  const PERM = "aws:lambda/permission:Permission";
  it("passes a service permission with sourceArn (unknown in preview) and ignores account principals", async () => {
    const { result, messages } = await runOne(
      lambdaPermissionSourceArn,
      [
        res(PERM, "events", { action: "lambda:InvokeFunction", function: "f", principal: "events.amazonaws.com", sourceArn: UNKNOWN }),
        res(PERM, "account", { action: "lambda:InvokeFunction", function: "f", principal: ACCOUNT }),
      ],
      { preview: true },
    );
    expect(messages).toEqual([]);
    expect(result.examinedResources).toEqual([`${PERM} events`]);
  });
  it("reports a service permission without sourceArn", async () => {
    expect(
      (await runOne(lambdaPermissionSourceArn, [res(PERM, "p", { action: "lambda:InvokeFunction", function: "f", principal: "s3.amazonaws.com" })])).messages,
    ).toEqual(['Permission "p" lets s3.amazonaws.com invoke the function from any source: set sourceArn.']);
  });
});
