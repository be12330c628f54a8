/**
 * S3 upload requests whose body S3 already verifies with a flexible checksum header are signed with
 * `UNSIGNED-PAYLOAD` instead of a SHA-256 of the body.
 *
 * Why: SDK v3 signs a Buffer body with its SHA-256 on http and https alike
 * (`getPayloadHash` in @smithy/signature-v4 hashes any string/ArrayBuffer view body), and by default
 * (`requestChecksumCalculation` WHEN_SUPPORTED) it also computes the body's CRC32 for the
 * `x-amz-checksum-crc32` header: two passes over every part. The CRC32 is enough for S3 to reject a
 * body changed in transit ("If the checksum value calculated by S3 matches your provided value, the
 * request is accepted. If the values don't match, the request is rejected.",
 * https://docs.amazonaws.cn/en_us/AmazonS3/latest/userguide/checking-object-integrity-upload.html,
 * China regions' copy of the page; CRC32 is among the China regions' algorithms:
 * https://docs.amazonaws.cn/AmazonS3/latest/API/API_control_S3ComputeObjectChecksumOperation.html),
 * and TLS protects the request on the way. The unsigned payload option is S3's own: "You include
 * the literal string UNSIGNED-PAYLOAD when constructing a canonical request, and set the same value
 * as the x-amz-content-sha256 header value"
 * (https://docs.amazonaws.cn/AmazonS3/latest/API/sig-v4-header-based-auth.html).
 *
 * Only when such a checksum header is on the request: with `requestChecksumCalculation`
 * WHEN_REQUIRED (no checksum) the payload stays signed, so S3 always checks the body one way.
 * The downloader keeps its own SHA-256 of the whole file, which it records.
 */
import type { FinalizeHandlerArguments, FinalizeRequestMiddleware, MetadataBearer, Pluggable } from "@smithy/types";

export const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
const CHECKSUM_HEADER = /^x-amz-checksum-(crc32|crc32c|crc64nvme|sha1|sha256)$/i;

function unsignedWhenChecksummed<Input extends object, Output extends MetadataBearer>(): FinalizeRequestMiddleware<Input, Output> {
  return (next) => async (args: FinalizeHandlerArguments<Input>) => {
    const req = args.request as { headers?: Record<string, string>; body?: unknown };
    const headers = req.headers;
    if (headers && ArrayBuffer.isView(req.body) && Object.keys(headers).some((h) => CHECKSUM_HEADER.test(h) && headers[h])) {
      if (!Object.keys(headers).some((h) => h.toLowerCase() === "x-amz-content-sha256")) headers["x-amz-content-sha256"] = UNSIGNED_PAYLOAD;
    }
    return next(args);
  };
}

/** A plugin for one command (`command.middlewareStack.use(checksummedPayload())`), before the signer. */
export function checksummedPayload<Input extends object, Output extends MetadataBearer>(): Pluggable<Input, Output> {
  return {
    applyToStack: (stack) => {
      stack.addRelativeTo(unsignedWhenChecksummed<Input, Output>(), {
        relation: "before",
        toMiddleware: "httpSigningMiddleware",
        name: "cnLogBackupChecksummedPayload",
        override: true,
      });
    },
  };
}
