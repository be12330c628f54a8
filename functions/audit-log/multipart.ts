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
import { checksummedPayload } from "./checksummed-payload";

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

/**
 * Fills part buffers from the source's `data` events, copying each chunk once (a chunk that
 * straddles two parts is split, its rest kept for the next part) and pausing the source while no
 * buffer is being filled. No stream stage or async iterator in between: those concatenate buffered
 * chunks into new Buffers, garbage the collector then spends its time on.
 */
export class PartFiller {
  private rest: Buffer | undefined;
  private ended = false;
  private error: Error | undefined;
  private pending: { buf: Buffer; n: number; resolve: (n: number) => void; reject: (err: Error) => void } | undefined;
  constructor(
    private readonly source: Readable,
    private readonly onChunk?: (chunk: Buffer) => void,
  ) {
    source.on("data", (c: Buffer | string) => this.onData(Buffer.isBuffer(c) ? c : Buffer.from(c)));
    source.pause();
    source.on("error", (err: Error) => {
      this.error ??= err;
      this.settle();
    });
    source.on("end", () => {
      this.ended = true;
      this.settle();
    });
    source.on("close", () => {
      if (!this.ended) this.error ??= Object.assign(new Error("source closed before its end"), { code: "ERR_STREAM_PREMATURE_CLOSE" });
      this.settle();
    });
  }
  /** True once the source ended and every byte was handed out. */
  get done(): boolean {
    return this.ended && !this.rest;
  }
  /** Fills `buf`; resolves to the bytes filled: `buf.length` but at the end. */
  fill(buf: Buffer): Promise<number> {
    let n = 0;
    if (this.rest) {
      const r = this.rest;
      this.rest = undefined;
      n = this.put(buf, 0, r);
    }
    if (n === buf.length || this.ended) return Promise.resolve(n);
    if (this.error) return Promise.reject(this.error);
    return new Promise<number>((resolve, reject) => {
      this.pending = { buf, n, resolve, reject };
      this.source.resume();
    });
  }
  private onData(chunk: Buffer): void {
    this.onChunk?.(chunk);
    const p = this.pending;
    if (!p) {
      // Not expected while paused; kept, never dropped.
      this.rest = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
      this.source.pause();
      return;
    }
    p.n = this.put(p.buf, p.n, chunk);
    if (p.n === p.buf.length) this.settle();
  }
  /** Copies what fits of `chunk` into `buf` at `n`, keeps the rest; returns the new fill. */
  private put(buf: Buffer, n: number, chunk: Buffer): number {
    const take = Math.min(chunk.length, buf.length - n);
    chunk.copy(buf, n, 0, take);
    if (take < chunk.length) this.rest = chunk.subarray(take);
    return n + take;
  }
  private settle(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    this.source.pause();
    if (this.error && !this.ended) p.reject(this.error);
    else p.resolve(p.n);
  }
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

/**
 * Part buffers: at most `queueSize + 1` of `partSize` bytes (`queueSize` in flight, one filling
 * while they are), allocated once per upload and reused when a part's UploadPart settles, so memory
 * is bounded by them whatever the body's size and does not wait for the garbage collector.
 */
export async function uploadStream(
  s3: S3Client,
  params: ObjectParams,
  source: Readable,
  opts: {
    partSize: number;
    queueSize: number;
    beforeComplete?: () => Promise<void> | void;
    /** Sees every chunk of the source once, in order, as it is read (a byte count, a hash). */
    onChunk?: (chunk: Buffer) => void;
  },
): Promise<UploadResult> {
  const partSize = Math.max(MIN_PART_SIZE, opts.partSize);
  const queueSize = Math.max(1, opts.queueSize);
  const free: Buffer[] = [];
  const take = () => free.pop() ?? Buffer.allocUnsafeSlow(partSize);
  const filler = new PartFiller(source, opts.onChunk);
  const firstBuf = take();
  const firstBody = firstBuf.subarray(0, await filler.fill(firstBuf));
  const secondBuf = firstBody.length === partSize ? take() : undefined;
  const secondBody = secondBuf ? secondBuf.subarray(0, await filler.fill(secondBuf)) : undefined;
  if (!secondBody || secondBody.length === 0) {
    // Everything fits in one part: one PutObject, after the verification.
    await opts.beforeComplete?.();
    const command = new PutObjectCommand({ ...params, Body: firstBody, ContentLength: firstBody.length });
    command.middlewareStack.use(checksummedPayload());
    const out = await s3.send(command);
    return { bytesUploaded: firstBody.length, parts: 1, versionId: out.VersionId, eTag: out.ETag, checksum: checksumOf(out) };
  }

  const withChecksum = (await s3.config.requestChecksumCalculation?.()) === "WHEN_SUPPORTED";
  const created = await s3.send(
    new CreateMultipartUploadCommand({ ...params, ...(withChecksum && !params.ChecksumAlgorithm ? { ChecksumAlgorithm: "CRC32" as const } : {}) }),
  );
  const uploadId = created.UploadId as string;
  const done: CompletedPart[] = [];
  let bytesUploaded = 0;
  const inFlight = new Set<Promise<void>>();
  try {
    let failure: unknown;
    const send = (n: number, buf: Buffer, body: Buffer) => {
      if (n > MAX_PARTS) throw new Error(`object would need more than ${MAX_PARTS} parts of ${partSize} bytes`);
      const command = new UploadPartCommand({
        Bucket: params.Bucket,
        Key: params.Key,
        UploadId: uploadId,
        PartNumber: n,
        Body: body,
        ContentLength: body.length,
        ...(params.SSECustomerKey ? { SSECustomerAlgorithm: params.SSECustomerAlgorithm, SSECustomerKey: params.SSECustomerKey } : {}),
      });
      command.middlewareStack.use(checksummedPayload());
      const p: Promise<void> = s3
        .send(command)
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
        .finally(() => {
          inFlight.delete(p);
          free.push(buf); // the request is over: the buffer can take the next part
        });
      inFlight.add(p);
    };
    let n = 0;
    send(++n, firstBuf, firstBody);
    send(++n, secondBuf as Buffer, secondBody);
    while (!filler.done) {
      // Fill the next part while up to queueSize are in flight, then wait for a free slot.
      if (failure) throw failure;
      const buf = take();
      const body = buf.subarray(0, await filler.fill(buf));
      if (body.length === 0) break;
      while (inFlight.size >= queueSize) await Promise.race(inFlight);
      if (failure) throw failure;
      send(++n, buf, body);
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
    // Parts still being sent "might or might not succeed" after an abort and would stay billed
    // (https://docs.aws.amazon.com/AmazonS3/latest/API/API_AbortMultipartUpload.html): let every
    // request answer first (send() never rejects: failures are recorded), then abort.
    await Promise.allSettled(inFlight);
    await s3.send(new AbortMultipartUploadCommand({ Bucket: params.Bucket, Key: params.Key, UploadId: uploadId })).catch(() => undefined);
    source.destroy();
    throw err;
  }
}
