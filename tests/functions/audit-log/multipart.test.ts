/**
 * functions/audit-log/multipart.ts with the real S3 client (its checksum and signing middleware
 * run) and a request handler standing in for S3 that sees the requests as they go on the wire:
 * every byte read reaches S3 once and in order, part buffers are reused only after their part was
 * sent, a part carries the CRC32 S3 verifies and is then sent UNSIGNED-PAYLOAD (signed when no
 * checksum is computed), and a source that fails aborts the upload.
 */
import { createHash, randomBytes } from "crypto";
import { Readable } from "stream";
import * as zlib from "zlib";
import { S3Client } from "@aws-sdk/client-s3";
import { HttpRequest, HttpResponse } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { Sha256 } from "@aws-crypto/sha256-js";
import { MIN_PART_SIZE, uploadStream } from "../../../functions/audit-log/multipart";

interface Seen {
  op: string;
  partNumber?: number;
  headers: Record<string, string>;
  /** The body as it was when the request was handed over. */
  body: Buffer;
  /** Whether the body's bytes changed while the request was in flight. */
  changedInFlight?: boolean;
  /** For an Abort: how many UploadPart requests had not been answered yet. */
  partsInFlightAtAbort?: number;
  /** Whether the Authorization header is the SigV4 signature S3 computes from the signed headers. */
  signatureValid?: boolean;
}

const CREDENTIALS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };

/**
 * Recomputes the request's SigV4 signature as S3 does: from the headers Authorization names as
 * signed (x-amz-content-sha256 among them, UNSIGNED-PAYLOAD or the body's hash) at its x-amz-date
 * (https://docs.amazonaws.cn/AmazonS3/latest/API/sig-v4-header-based-auth.html).
 */
async function signatureValid(req: HttpRequest): Promise<boolean> {
  const auth = req.headers.authorization ?? "";
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(auth)?.[1].split(";") ?? [];
  const headers: Record<string, string> = {};
  for (const h of signedHeaders) headers[h] = req.headers[h];
  const date = req.headers["x-amz-date"] ?? "";
  const signingDate = new Date(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`);
  const signer = new SignatureV4({ credentials: CREDENTIALS, region: "cn-north-1", service: "s3", sha256: Sha256, uriEscapePath: false, applyChecksum: false });
  const resigned = await signer.sign(new HttpRequest({ ...req, headers }), { signingDate });
  return resigned.headers.authorization === auth;
}

const xml = (s: string) => Readable.from([Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>${s}`)]);

function fakeS3(opts: { checksums?: "WHEN_SUPPORTED" | "WHEN_REQUIRED"; partDelayMs?: number } = {}) {
  const seen: Seen[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const handle = async (req: HttpRequest) => {
    const q = req.query as Record<string, string>;
    const body = Buffer.isBuffer(req.body) ? (req.body as Buffer) : Buffer.from((req.body as string | undefined) ?? "");
    const s: Seen = { op: "", headers: { ...req.headers }, body: Buffer.from(body), signatureValid: await signatureValid(req) };
    seen.push(s);
    const respond = (headers: Record<string, string>, b?: Readable) => ({
      response: new HttpResponse({ statusCode: 200, headers, body: b ?? Readable.from([]) }),
    });
    // Refused as S3 refuses them: a signature that does not match (403 SignatureDoesNotMatch), and
    // a body whose CRC32 is not the one sent (400 BadDigest,
    // https://docs.amazonaws.cn/en_us/AmazonS3/latest/userguide/checking-object-integrity-upload.html).
    const refuse = (statusCode: number, code: string) => ({
      response: new HttpResponse({ statusCode, headers: {}, body: xml(`<Error><Code>${code}</Code><Message>${code}</Message></Error>`) }),
    });
    if (!s.signatureValid) return refuse(403, "SignatureDoesNotMatch");
    const crc = req.headers["x-amz-checksum-crc32"];
    if (req.method === "PUT" && crc !== undefined && crc !== crc32b64(body)) return refuse(400, "BadDigest");
    if (req.method === "POST" && "uploads" in q) {
      s.op = "CreateMultipartUpload";
      return respond({}, xml("<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>u1</UploadId></InitiateMultipartUploadResult>"));
    }
    if (req.method === "PUT" && q.partNumber) {
      s.op = "UploadPart";
      s.partNumber = Number(q.partNumber);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, opts.partDelayMs ?? 15));
      s.changedInFlight = !body.equals(s.body);
      inFlight--;
      return respond({
        etag: `"p${q.partNumber}"`,
        ...(req.headers["x-amz-checksum-crc32"] ? { "x-amz-checksum-crc32": req.headers["x-amz-checksum-crc32"] } : {}),
      });
    }
    if (req.method === "POST" && q.uploadId) {
      s.op = "CompleteMultipartUpload";
      return respond({ "x-amz-version-id": "v1" }, xml('<CompleteMultipartUploadResult><ETag>"e-n"</ETag></CompleteMultipartUploadResult>'));
    }
    if (req.method === "DELETE" && q.uploadId) {
      s.op = "AbortMultipartUpload";
      s.partsInFlightAtAbort = inFlight;
      return { response: new HttpResponse({ statusCode: 204, headers: {}, body: Readable.from([]) }) };
    }
    if (req.method === "PUT") {
      s.op = "PutObject";
      return respond({ etag: '"one"', "x-amz-version-id": "v1" });
    }
    throw new Error(`unexpected ${req.method} ${req.path}`);
  };
  const s3 = new S3Client({
    region: "cn-north-1",
    endpoint: "https://s3.cn-north-1.amazonaws.com.cn",
    forcePathStyle: true,
    credentials: CREDENTIALS,
    requestChecksumCalculation: opts.checksums ?? "WHEN_SUPPORTED",
    maxAttempts: 1,
    requestHandler: { handle } as never,
  });
  return { s3, seen, maxInFlight: () => maxInFlight };
}

/** The bytes cut into chunks whose sizes cycle through `sizes` (so they straddle part boundaries). */
function chunked(bytes: Buffer, sizes: number[]): Readable {
  const out: Buffer[] = [];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const n = Math.min(sizes[i % sizes.length], bytes.length - at);
    out.push(bytes.subarray(at, at + n));
    at += n;
  }
  return Readable.from(out, { objectMode: false });
}

const crc32b64 = (b: Buffer) => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(zlib.crc32(b) >>> 0);
  return out.toString("base64");
};

test("the fake's signature check refuses a payload hash changed after signing", async () => {
  const signer = new SignatureV4({ credentials: CREDENTIALS, region: "cn-north-1", service: "s3", sha256: Sha256, uriEscapePath: false, applyChecksum: false });
  const req = new HttpRequest({
    method: "PUT",
    hostname: "s3.cn-north-1.amazonaws.com.cn",
    path: "/b/k",
    query: { partNumber: "1", uploadId: "u1" },
    headers: { host: "s3.cn-north-1.amazonaws.com.cn", "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
    body: Buffer.from("part"),
  });
  const signed = (await signer.sign(req)) as HttpRequest;
  expect(await signatureValid(signed)).toBe(true);
  signed.headers["x-amz-content-sha256"] = createHash("sha256").update("part").digest("hex");
  expect(await signatureValid(signed)).toBe(false);
});

describe("uploadStream", () => {
  test("every byte read reaches S3 once, in order, for a size that is not a multiple of the part size read in chunks that straddle parts; no part's buffer changes while it is sent", async () => {
    const bytes = randomBytes(3 * MIN_PART_SIZE + 123_457);
    const { s3, seen, maxInFlight } = fakeS3();
    let counted = 0;
    const out = await uploadStream(s3, { Bucket: "b", Key: "k" }, chunked(bytes, [1, 777_777, 65_536, 3_000_001, 13]), {
      partSize: MIN_PART_SIZE,
      queueSize: 2,
      onChunk: (c) => (counted += c.length),
    });
    const parts = seen.filter((s) => s.op === "UploadPart").sort((a, b) => (a.partNumber ?? 0) - (b.partNumber ?? 0));
    expect(parts.map((p) => p.partNumber)).toEqual([1, 2, 3, 4]);
    expect(parts.map((p) => p.body.length)).toEqual([MIN_PART_SIZE, MIN_PART_SIZE, MIN_PART_SIZE, 123_457]);
    expect(Buffer.concat(parts.map((p) => p.body)).equals(bytes)).toBe(true);
    expect(parts.filter((p) => p.changedInFlight)).toEqual([]);
    expect(out).toMatchObject({ bytesUploaded: bytes.length, parts: 4, versionId: "v1" });
    expect(counted).toBe(bytes.length);
    expect(maxInFlight()).toBeLessThanOrEqual(2);
    expect(seen.map((s) => s.op).filter((op) => op !== "UploadPart")).toEqual(["CreateMultipartUpload", "CompleteMultipartUpload"]);
    const complete = seen.find((s) => s.op === "CompleteMultipartUpload")!.body.toString();
    for (const p of parts) expect(complete).toContain(`<ChecksumCRC32>${crc32b64(p.body)}</ChecksumCRC32>`);
  });

  test("a part carries the CRC32 S3 verifies and is sent UNSIGNED-PAYLOAD; without checksums (WHEN_REQUIRED) the payload stays signed with its SHA-256", async () => {
    const bytes = randomBytes(MIN_PART_SIZE + 10);
    const withCrc = fakeS3();
    await uploadStream(withCrc.s3, { Bucket: "b", Key: "k" }, chunked(bytes, [65_536]), { partSize: MIN_PART_SIZE, queueSize: 2 });
    const parts = withCrc.seen.filter((s) => s.op === "UploadPart");
    expect(parts).toHaveLength(2);
    for (const p of parts) {
      expect(p.headers["x-amz-checksum-crc32"]).toBe(crc32b64(p.body));
      expect(p.headers["x-amz-content-sha256"]).toBe("UNSIGNED-PAYLOAD");
      expect(p.headers.authorization).toContain("x-amz-checksum-crc32");
      expect(p.signatureValid).toBe(true);
    }

    const signed = fakeS3({ checksums: "WHEN_REQUIRED" });
    await uploadStream(signed.s3, { Bucket: "b", Key: "k" }, chunked(bytes, [65_536]), { partSize: MIN_PART_SIZE, queueSize: 2 });
    const signedParts = signed.seen.filter((s) => s.op === "UploadPart");
    expect(signedParts).toHaveLength(2);
    for (const p of signedParts) {
      expect(p.headers["x-amz-checksum-crc32"]).toBeUndefined();
      expect(p.headers["x-amz-content-sha256"]).toBe(createHash("sha256").update(p.body).digest("hex"));
      expect(p.signatureValid).toBe(true);
    }
  });

  test("a body within one part is one PutObject with its CRC32, UNSIGNED-PAYLOAD", async () => {
    const bytes = randomBytes(1_000_003);
    const { s3, seen } = fakeS3();
    const out = await uploadStream(s3, { Bucket: "b", Key: "k" }, chunked(bytes, [4096, 7]), { partSize: MIN_PART_SIZE, queueSize: 2 });
    expect(seen.map((s) => s.op)).toEqual(["PutObject"]);
    expect(seen[0].body.equals(bytes)).toBe(true);
    expect(seen[0].headers["x-amz-checksum-crc32"]).toBe(crc32b64(bytes));
    expect(seen[0].headers["x-amz-content-sha256"]).toBe("UNSIGNED-PAYLOAD");
    expect(out.bytesUploaded).toBe(bytes.length);
  });

  test.each([
    ["fails", (r: Readable) => r.destroy(Object.assign(new Error("connection reset"), { code: "ECONNRESET" })), "ECONNRESET"],
    ["closes before its end", (r: Readable) => r.destroy(), "ERR_STREAM_PREMATURE_CLOSE"],
  ])("a source that %s mid-way rejects and aborts the upload; nothing is completed", async (_what, breakIt, code) => {
    const { s3, seen } = fakeS3();
    let sent = 0;
    const source = new Readable({
      read() {
        if (sent >= 2 * MIN_PART_SIZE + 5) {
          breakIt(this);
          return;
        }
        sent += 65_536;
        this.push(Buffer.alloc(65_536, 7));
      },
    });
    await expect(uploadStream(s3, { Bucket: "b", Key: "k" }, source, { partSize: MIN_PART_SIZE, queueSize: 2 })).rejects.toMatchObject({ code });
    const ops = seen.map((s) => s.op);
    expect(ops).toContain("AbortMultipartUpload");
    expect(ops).not.toContain("CompleteMultipartUpload");
  });

  test("a failure while parts are in flight aborts only after every UploadPart has answered", async () => {
    // AbortMultipartUpload: "if any part uploads are currently in progress, those part uploads might
    // or might not succeed" (https://docs.aws.amazon.com/AmazonS3/latest/API/API_AbortMultipartUpload.html),
    // so aborting early can leave billed parts behind.
    const { s3, seen } = fakeS3({ partDelayMs: 200 });
    let sent = 0;
    const source = new Readable({
      read() {
        if (sent >= 2 * MIN_PART_SIZE + 5) {
          this.destroy(Object.assign(new Error("connection reset"), { code: "ECONNRESET" }));
          return;
        }
        sent += 65_536;
        this.push(Buffer.alloc(65_536, 7));
      },
    });
    await expect(uploadStream(s3, { Bucket: "b", Key: "k" }, source, { partSize: MIN_PART_SIZE, queueSize: 2 })).rejects.toMatchObject({ code: "ECONNRESET" });
    const abort = seen.find((s) => s.op === "AbortMultipartUpload");
    expect(seen.filter((s) => s.op === "UploadPart").length).toBeGreaterThan(0);
    expect(abort?.partsInFlightAtAbort).toBe(0);
  });
});
