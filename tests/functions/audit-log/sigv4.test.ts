/**
 * The downloader's own SigV4 (node:crypto only): AWS's published test vector, and agreement with the
 * SDK's signer (@smithy/signature-v4, a test-only reference here) on the request the downloader sends.
 */
import { SignatureV4 } from "@smithy/signature-v4";
import { Sha256 } from "@aws-crypto/sha256-js";
import { canonicalPath, EMPTY_SHA256, offsetFromDateHeader, signGet } from "../../../functions/audit-log/sigv4";
import { completeFilePath } from "../../../functions/audit-log/rds-source";

describe("sigv4", () => {
  test("AWS SigV4 test suite, get-vanilla (AKIDEXAMPLE, 20150830T123600Z, us-east-1, service)", () => {
    const h = signGet(
      { host: "example.amazonaws.com", path: "/", region: "us-east-1", service: "service" },
      { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" },
      new Date(Date.UTC(2015, 7, 30, 12, 36, 0)),
    );
    expect(h.authorization).toBe(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
    );
  });

  test("the complete-file request signs exactly as the SDK's signer does (double-encoded path, session token, cn-north-1)", async () => {
    const credentials = { accessKeyId: "AKIDCN", secretAccessKey: "secret/with+chars", sessionToken: "tok==" };
    const date = new Date(Date.UTC(2026, 10, 22, 1, 2, 3));
    const path = completeFilePath("db-1", "audit/audit.log.0.2026-11-22-00-00.0 (1)");
    const host = "rds.cn-north-1.amazonaws.com.cn";
    const mine = signGet({ host, path, region: "cn-north-1", service: "rds", headers: { "x-amz-content-sha256": EMPTY_SHA256 } }, credentials, date);
    const sdk: { headers: Record<string, string> } = (await new SignatureV4({ credentials, region: "cn-north-1", service: "rds", sha256: Sha256 }).sign(
      { method: "GET", protocol: "https:", hostname: host, path, headers: { host, "x-amz-content-sha256": EMPTY_SHA256 }, query: {} } as never,
      { signingDate: date },
    )) as never;
    expect(mine.authorization).toBe(sdk.headers.authorization);
    expect(mine["x-amz-security-token"]).toBe("tok==");
  });

  test("canonical path: segments encoded once more, dot segments removed", () => {
    expect(canonicalPath("/v13/downloadCompleteLogFile/db/audit/a%20b")).toBe("/v13/downloadCompleteLogFile/db/audit/a%2520b");
    expect(canonicalPath("/a/./b/../c")).toBe("/a/c");
  });

  test("the clock offset from a Date header, as the SDK computes it (server - local)", () => {
    const local = Date.UTC(2026, 0, 1, 0, 0, 0);
    expect(offsetFromDateHeader(new Date(local + 20 * 60000).toUTCString(), local)).toBe(20 * 60000);
    expect(offsetFromDateHeader("not a date", local)).toBeUndefined();
    expect(offsetFromDateHeader(undefined, local)).toBeUndefined();
  });

  test("the REST path version: v13 by default, v19 only when set, anything else refused", () => {
    expect(completeFilePath("db-1", "audit/x")).toBe("/v13/downloadCompleteLogFile/db-1/audit/x");
    expect(completeFilePath("db-1", "audit/x", "v19")).toBe("/v19/downloadCompleteLogFile/db-1/audit/x");
    expect(() => completeFilePath("db-1", "audit/x", "19/../")).toThrow(/restPathVersion/);
  });
});
