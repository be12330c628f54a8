/**
 * CompleteMultipartUpload for s3rver, answered as S3 answers it.
 *
 * s3rver 3.7.1 (node_modules/s3rver/lib/stores/filesystem.js, `putObjectMultipart`) accepts any
 * part list, and gives the object the MD5 of its whole body as its ETag, reading every byte back
 * from disk to take it. S3 refuses a bad list, and a multipart object's ETag is not its MD5
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html, "Special
 * errors"; https://docs.aws.amazon.com/AmazonS3/latest/API/API_Object.html: "If an object is
 * created by either the Multipart Upload or Part Copy operation, the ETag is not an MD5 digest"):
 * - a part number not above the one before it: 400 InvalidPartOrder;
 * - a part that was not uploaded, or is listed with another ETag: 400 InvalidPart;
 * - a part other than the last one smaller than 5 MiB: 400 EntityTooSmall (part sizes 5 MiB to
 *   5 GiB, "There is no minimum size limit on the last part",
 *   https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html);
 * - an upload ID it does not know (aborted, completed or never made): 404 NoSuchUpload.
 * The ETag takes the form moto gives it (moto 5, moto/s3/models.py `FakeMultipart.complete`): the
 * MD5 of the parts' binary MD5s, "-", the number of parts. AWS calls the value opaque; no AWS page
 * gives the formula. The checks come in moto's order, part by part. tests/helpers/
 * s3rver-completion.test.ts runs the same requests against moto_server and this, and compares.
 *
 * Still kinder than S3, because s3rver's store is not told the request's key: a completion or a
 * part sent under another key than the upload's is accepted (S3 ties an upload ID to its key), and
 * part checksums (the SDK's CRC32) are neither verified nor returned. The downloader's checksum
 * path is tested against moto and tests/functions/audit-log/multipart.test.ts's fake instead.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3Error = require("s3rver/lib/models/error");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3Object = require("s3rver/lib/models/object");

/** S3's smallest part, except the last (qfacts.html above; moto's S3_UPLOAD_PART_MIN_SIZE). */
export const MIN_PART_BYTES = 5 * 1024 * 1024;

/** What s3rver's controller passes: the request's parts in its order, ETags without quotes. */
interface ListedPart {
  number: number;
  etag: string;
}

/** The part of s3rver's FilesystemStore this uses. */
interface FilesystemStore {
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  putMetadata(bucket: string, key: string, metadata: unknown, md5: string): Promise<void>;
  putObjectMultipart(bucket: string, uploadId: string, parts: ListedPart[]): Promise<{ md5: string; size: number }>;
  putPart(bucket: string, uploadId: string, partNumber: number | string, content: unknown): Promise<{ md5: string; size: number }>;
}

/**
 * Replaces `store`'s completion with one that checks the list and computes the ETag as S3 does,
 * and refuses a part for an upload it does not know (s3rver makes the upload's directory for it;
 * S3 answers 404 NoSuchUpload, https://docs.aws.amazon.com/AmazonS3/latest/API/API_UploadPart.html).
 */
export function completeMultipartUploadsAsS3(store: FilesystemStore): void {
  const putPart = store.putPart.bind(store);
  store.putPart = async (bucket, uploadId, partNumber, content) => {
    // "Part numbers can be any number from 1 to 10,000, inclusive" (API_UploadPart); s3rver would
    // take any string, even one naming the upload's own `key` file, as a file name.
    if (!/^\d{1,5}$/.test(String(partNumber)) || Number(partNumber) < 1 || Number(partNumber) > 10000)
      throw new S3Error("InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive");
    if (!fs.existsSync(path.join(store.getResourcePath(bucket, undefined, "uploads"), uploadId, "key"))) throw noSuchUpload();
    return putPart(bucket, uploadId, partNumber, content);
  };
  store.putObjectMultipart = (bucket, uploadId, parts) => complete(store, bucket, uploadId, parts);
}

function noSuchUpload(): Error {
  return new S3Error("NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.");
}

async function complete(store: FilesystemStore, bucket: string, uploadId: string, parts: ListedPart[]): Promise<{ md5: string; size: number }> {
  const uploadDir = path.join(store.getResourcePath(bucket, undefined, "uploads"), uploadId);
  let key: string;
  let metadata: unknown;
  try {
    key = await fs.promises.readFile(path.join(uploadDir, "key"), "utf8");
    metadata = JSON.parse(await fs.promises.readFile(path.join(uploadDir, "metadata"), "utf8"));
  } catch {
    throw noSuchUpload();
  }
  const files: string[] = [];
  const md5s: Buffer[] = [];
  let previous = 0;
  let previousSize: number | undefined;
  for (const part of parts) {
    if (part.number <= previous)
      throw new S3Error("InvalidPartOrder", "The list of parts was not in ascending order. The parts list must be specified in order by part number.");
    previous = part.number;
    const file = path.join(uploadDir, String(part.number));
    const stored = await fs.promises.readFile(`${file}.md5`, "utf8").catch(() => undefined);
    if (stored !== part.etag)
      throw new S3Error(
        "InvalidPart",
        "One or more of the specified parts could not be found. The part might not have been uploaded, or the specified entity tag might not have matched the part's entity tag.",
      );
    if (previousSize !== undefined && previousSize < MIN_PART_BYTES)
      throw new S3Error("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.");
    previousSize = (await fs.promises.stat(file)).size;
    files.push(file);
    md5s.push(Buffer.from(stored, "hex"));
  }
  const objectPath = store.getResourcePath(bucket, key, "object");
  await fs.promises.mkdir(path.dirname(objectPath), { recursive: true });
  const size = await concatenate(files, objectPath);
  const md5 = `${crypto.createHash("md5").update(Buffer.concat(md5s)).digest("hex")}-${parts.length}`;
  // As s3rver's own completion stores it: S3Object keeps the allowed headers and defaults the type.
  await store.putMetadata(bucket, key, new S3Object(bucket, key, null, metadata).metadata, md5);
  await fs.promises.rm(uploadDir, { recursive: true, force: true });
  return { md5, size };
}

/** Writes `files` one after another into `target`; returns the bytes written. */
async function concatenate(files: string[], target: string): Promise<number> {
  const out = await fs.promises.open(target, "w");
  const buffer = Buffer.allocUnsafe(1024 * 1024);
  let size = 0;
  try {
    for (const file of files) {
      const input = await fs.promises.open(file, "r");
      try {
        for (let n; (n = (await input.read(buffer, 0, buffer.length, null)).bytesRead) > 0; size += n) await out.write(buffer, 0, n);
      } finally {
        await input.close();
      }
    }
  } finally {
    await out.close();
  }
  return size;
}
