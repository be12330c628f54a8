/**
 * infra/aurora-lab/user-data.ts: quoting and the heredoc guard of the client's boot script.
 */
import { renderUserData } from "../../../infra/aurora-lab";
import { R } from "./lab-helpers";

describe("AuroraLab helpers", () => {
  test("user data values are shell-quoted, so a quote in a value cannot break out", () => {
    const script = renderUserData({
      region: R,
      dbInstances: ["d-1"],
      endpoint: "e",
      readerEndpoint: "r",
      secretArn: "it's",
      prefix: "audit-logs/",
      scripts: { "setup_ec2.sh": "#!/bin/sh\n" },
    });
    expect(script).toContain("--secret-arn 'it'\\''s'");
  });

  test("a script containing the heredoc terminator is refused", () => {
    expect(() =>
      renderUserData({
        region: R,
        dbInstances: [],
        endpoint: "e",
        readerEndpoint: "r",
        secretArn: "s",
        prefix: "p/",
        scripts: { "x.sh": "a\nAURORA_LAB_SCRIPT_END\nb" },
      }),
    ).toThrow(/x\.sh contains the line AURORA_LAB_SCRIPT_END/);
  });
});
