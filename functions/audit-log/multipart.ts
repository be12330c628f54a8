/**
 * Streams a body into one S3 object with the S3 client's own commands (no `@aws-sdk/lib-storage`,
 * which the Lambda runtime does not document): a body that fits in one part is a single PutObject;
 * anything larger is CreateMultipartUpload, UploadPart (at most `queueSize` in flight, so memory
 * stays near partSize x (queueSize + 1)), then CompleteMultipartUpload, or AbortMultipartUpload on
 * any failure, so no parts are left behind.
 *
 * `beforeComplete` runs after the whole body was read and every part accepted, before the object
 * becomes visible: a verification that throws leaves no new object version behind.
 *
 * S3 rules relied on (https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html): parts of
 * 5 MiB to 5 GiB except the last, at most 10,000 parts. Checksums as lib-storage does it: with the
 * client's default `requestChecksumCalculation` (WHEN_SUPPORTED) the upload is created with
 * ChecksumAlgorithm CRC32 and each part's checksum is passed to CompleteMultipartUpload
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html).
 */
import type { Readable } from "stream";
import {
  AbortMultipartUploadCommand,
  type CompletedPart,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
  type S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";

export const MIN_PART_SIZE = 5 * 1024 * 1024;
export const MAX_PARTS = 10000;

export interface UploadResult {
  bytesUploaded: number;
  parts: number;
  versionId?: string;
  eTag?: string;
  checksum?: string;
}

export type ObjectParams = Omit<PutObjectCommandInput, "Body" | "ContentLength">;

/** Reads `source` into chunks of exactly `size` bytes (the last one shorter). */
async function* chunksOf(source: Readable, size: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const c of source) {
    let chunk: Buffer = Buffer.isBuffer(c) ? c : Buffer.from(c);
    while (pendingBytes + chunk.length >= size) {
      const take = size - pendingBytes;
      pending.push(chunk.subarray(0, take));
      yield Buffer.concat(pending);
      chunk = chunk.subarray(take);
      pending = [];
      pendingBytes = 0;
    }
    if (chunk.length > 0) {
      pending.push(chunk);
      pendingBytes += chunk.length;
    }
  }
  if (pendingBytes > 0 || pending.length > 0) yield Buffer.concat(pending);
}

function checksumOf(o: {
  ChecksumCRC32?: string;
  ChecksumCRC32C?: string;
  ChecksumSHA1?: string;
  ChecksumSHA256?: string;
  ChecksumCRC64NVME?: string;
}): string | undefined {
  return o.ChecksumSHA256 ?? o.ChecksumCRC32C ?? o.ChecksumCRC32 ?? o.ChecksumCRC64NVME ?? o.ChecksumSHA1;
}

export async function uploadStream(
  s3: S3Client,
  params: ObjectParams,
  source: Readable,
  opts: { partSize: number; queueSize: number; beforeComplete?: () => Promise<void> | void },
): Promise<UploadResult> {
  const partSize = Math.max(MIN_PART_SIZE, opts.partSize);
  const chunks = chunksOf(source, partSize);
  const first = await chunks.next();
  const firstBody = first.done ? Buffer.alloc(0) : first.value;
  const second = first.done ? first : await chunks.next();
  if (second.done) {
    // Everything fits in one part: one PutObject, after the verification.
    await opts.beforeComplete?.();
    const out = await s3.send(new PutObjectCommand({ ...params, Body: firstBody, ContentLength: firstBody.length }));
    return { bytesUploaded: firstBody.length, parts: 1, versionId: out.VersionId, eTag: out.ETag, checksum: checksumOf(out) };
  }

  const withChecksum = (await s3.config.requestChecksumCalculation?.()) === "WHEN_SUPPORTED";
  const created = await s3.send(
    new CreateMultipartUploadCommand({ ...params, ...(withChecksum && !params.ChecksumAlgorithm ? { ChecksumAlgorithm: "CRC32" as const } : {}) }),
  );
  const uploadId = created.UploadId as string;
  const done: CompletedPart[] = [];
  let bytesUploaded = 0;
  try {
    const inFlight = new Set<Promise<void>>();
    let failure: unknown;
    const send = (n: number, body: Buffer) => {
      if (n > MAX_PARTS) throw new Error(`object would need more than ${MAX_PARTS} parts of ${partSize} bytes`);
      const p: Promise<void> = s3
        .send(
          new UploadPartCommand({
            Bucket: params.Bucket,
            Key: params.Key,
            UploadId: uploadId,
            PartNumber: n,
            Body: body,
            ContentLength: body.length,
            ...(params.SSECustomerKey ? { SSECustomerAlgorithm: params.SSECustomerAlgorithm, SSECustomerKey: params.SSECustomerKey } : {}),
          }),
        )
        .then((out) => {
          done.push({
            PartNumber: n,
            ETag: out.ETag,
            ...(out.ChecksumCRC32 ? { ChecksumCRC32: out.ChecksumCRC32 } : {}),
            ...(out.ChecksumCRC32C ? { ChecksumCRC32C: out.ChecksumCRC32C } : {}),
            ...(out.ChecksumSHA256 ? { ChecksumSHA256: out.ChecksumSHA256 } : {}),
          });
          bytesUploaded += body.length;
        })
        .catch((err) => {
          failure ??= err;
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    };
    let n = 0;
    send(++n, firstBody);
    send(++n, second.value);
    for (;;) {
      while (inFlight.size >= Math.max(1, opts.queueSize)) await Promise.race(inFlight);
      if (failure) throw failure;
      const next = await chunks.next();
      if (next.done) break;
      send(++n, next.value);
    }
    await Promise.all(inFlight);
    if (failure) throw failure;
    await opts.beforeComplete?.();
    done.sort((a, b) => (a.PartNumber ?? 0) - (b.PartNumber ?? 0));
    const out = await s3.send(
      new CompleteMultipartUploadCommand({ Bucket: params.Bucket, Key: params.Key, UploadId: uploadId, MultipartUpload: { Parts: done } }),
    );
    return { bytesUploaded, parts: done.length, versionId: out.VersionId, eTag: out.ETag, checksum: checksumOf(out) };
  } catch (err) {
    await s3.send(new AbortMultipartUploadCommand({ Bucket: params.Bucket, Key: params.Key, UploadId: uploadId })).catch(() => undefined);
    source.destroy();
    throw err;
  }
}
