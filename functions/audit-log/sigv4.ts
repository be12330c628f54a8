/**
 * Signature Version 4 for the RDS REST endpoint's GET requests, with node:crypto only (the Lambda
 * runtime documents just "the AWS SDK for JavaScript", so the downloader requires no signer package
 * by path). Follows AWS's "Create a signed AWS API request":
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 * (canonical request, string to sign, derived signing key). Non-S3 services encode each path
 * segment twice, as the SDK's own signer does (`@smithy/signature-v4` getCanonicalPath).
 *
 * Clock skew: the SDK keeps the client's correction in `config.systemClockOffset` (ms, updated from
 * each response's Date header; `@aws-sdk/core` AwsSdkSigV4Signer signs with
 * `Date.now() + systemClockOffset`). The REST signer signs with the same offset, and corrects it the
 * same way (`getUpdatedSystemClockOffset`: server time minus local time) when the endpoint refuses a
 * request as skewed. AWS refuses a request whose time stamp is more than 5 minutes away from its
 * clock (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_aws-signing.html: "a request must
 * reach AWS within five minutes of the time stamp in the request").
 */
import { createHash, createHmac } from "crypto";

export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface GetToSign {
  host: string;
  /** The path as sent on the wire (each segment URI-encoded once). */
  path: string;
  region: string;
  service: string;
  /** Other headers to sign, lower-case names. */
  headers?: Record<string, string>;
}

/** SHA-256 of the empty payload (a GET has none). */
export const EMPTY_SHA256 = createHash("sha256").update("").digest("hex");

/** Error codes the SDK treats as clock skew (@smithy/service-error-classification CLOCK_SKEW_ERROR_CODES). */
export const CLOCK_SKEW_ERROR_CODES = [
  "AuthFailure",
  "InvalidSignatureException",
  "RequestExpired",
  "RequestInTheFuture",
  "RequestTimeTooSkewed",
  "SignatureDoesNotMatch",
];

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}

function sha256Hex(data: string): string {
  return createHash("sha256").update(data, "utf8").digest("hex");
}

/** RFC 3986 encoding as the SDK does it (`escapeUri`): encodeURIComponent plus `!'()*`. */
function escapeUri(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Canonical URI of a non-S3 service: normalized, then every segment encoded (again). */
export function canonicalPath(path: string): string {
  const segments: string[] = [];
  for (const s of path.split("/")) {
    if (s === "" || s === ".") continue;
    if (s === "..") segments.pop();
    else segments.push(s);
  }
  const normalized = `${path.startsWith("/") ? "/" : ""}${segments.join("/")}${segments.length > 0 && path.endsWith("/") ? "/" : ""}`;
  return escapeUri(normalized).replace(/%2F/g, "/");
}

/** `20150830T123600Z` */
export function amzDate(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/** Headers (lower-case) to send with a signed GET: host, x-amz-date, x-amz-content-sha256, token, authorization. */
export function signGet(req: GetToSign, credentials: SigningCredentials, signingDate: Date): Record<string, string> {
  const date = amzDate(signingDate);
  const day = date.slice(0, 8);
  const headers: Record<string, string> = { ...(req.headers ?? {}), host: req.host, "x-amz-date": date };
  if (credentials.sessionToken) headers["x-amz-security-token"] = credentials.sessionToken;
  const names = Object.keys(headers)
    .map((h) => h.toLowerCase())
    .sort();
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = String(v).trim().replace(/\s+/g, " ");
  const signedHeaders = names.join(";");
  const payloadHash = lower["x-amz-content-sha256"] ?? EMPTY_SHA256;
  const canonicalRequest = ["GET", canonicalPath(req.path), "", ...names.map((n) => `${n}:${lower[n]}`), "", signedHeaders, payloadHash].join("\n");
  const scope = `${day}/${req.region}/${req.service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", date, scope, sha256Hex(canonicalRequest)].join("\n");
  const kDate = hmac(`AWS4${credentials.secretAccessKey}`, day);
  const kSigning = hmac(hmac(hmac(kDate, req.region), req.service), "aws4_request");
  const signature = createHmac("sha256", kSigning).update(stringToSign, "utf8").digest("hex");
  return {
    ...headers,
    authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}

/**
 * The offset the SDK would set from a response's Date header (server time - local time), or
 * undefined when the header is missing or unparseable.
 */
export function offsetFromDateHeader(dateHeader: string | undefined, localNow: number): number | undefined {
  if (!dateHeader) return undefined;
  const server = Date.parse(dateHeader);
  return Number.isNaN(server) ? undefined : server - localNow;
}
