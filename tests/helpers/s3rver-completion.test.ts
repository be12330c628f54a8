/**
 * s3rver's CompleteMultipartUpload (./s3rver-completion.ts) against moto_server's: the same
 * requests, the same ETag or the same error. Expected values are computed here, not taken from
 * either server.
 */
import * as crypto from "crypto";
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { startS3rver, type LocalS3 } from "./local-servers";
import { describeWithMoto, startMoto, type MotoServer } from "./moto";
import { MIN_PART_BYTES } from "./s3rver-completion";

const BUCKET = "completion";
const md5 = (b: Buffer) => crypto.createHash("md5").update(b).digest();
/** The ETag the two servers give a multipart object (see ./s3rver-completion.ts for its source). */
const multipartEtag = (parts: Buffer[]) =>
  `"${crypto
    .createHash("md5")
    .update(Buffer.concat(parts.map(md5)))
    .digest("hex")}-${parts.length}"`;

const big = Buffer.alloc(MIN_PART_BYTES, "a");
const small = Buffer.from("the last part may be smaller than 5 MiB\n");

type Listing = (etags: string[]) => { PartNumber: number; ETag: string }[];
const asUploaded: Listing = (etags) => etags.map((ETag, i) => ({ PartNumber: i + 1, ETag }));

/** Uploads `parts` as parts 1..n, completes with `list(etags)`; the ETag, or the error's code and status. */
async function completeUpload(s3: S3Client, key: string, parts: Buffer[], list: Listing = asUploaded, uploadId?: string): Promise<string> {
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }));
  const etags: string[] = [];
  for (const [i, Body] of parts.entries())
    etags.push((await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: i + 1, Body }))).ETag as string);
  try {
    const done = await s3.send(
      new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId: uploadId ?? UploadId, MultipartUpload: { Parts: list(etags) } }),
    );
    return done.ETag as string;
  } catch (e) {
    const err = e as { name: string; $metadata?: { httpStatusCode?: number } };
    return `${err.name} ${err.$metadata?.httpStatusCode}`;
  }
}

/**
 * `motoDiffers`: where moto 5.2.1 answers otherwise than AWS's CompleteMultipartUpload page: its
 * `_complete_multipart_body` (moto/s3/responses.py) compares each part number with a `prev` it
 * never updates, so any order passes; an unknown upload ID is a KeyError, 500.
 */
const CASES: { name: string; parts: Buffer[]; list?: Listing; uploadId?: string; expected: string; motoDiffers?: true }[] = [
  { name: "two parts, the last one small", parts: [big, small], expected: multipartEtag([big, small]) },
  { name: "one part smaller than 5 MiB (it is the last)", parts: [small], expected: multipartEtag([small]) },
  { name: "a part listed with another part's ETag", parts: [big, small], list: (e) => asUploaded([e[0], e[0]]), expected: "InvalidPart 400" },
  { name: "a part that was never uploaded", parts: [big], list: (e) => [...asUploaded(e), { PartNumber: 2, ETag: e[0] }], expected: "InvalidPart 400" },
  { name: "parts out of order", parts: [big, big], list: (e) => asUploaded(e).reverse(), expected: "InvalidPartOrder 400", motoDiffers: true },
  { name: "a part number listed twice", parts: [big], list: (e) => [...asUploaded(e), ...asUploaded(e)], expected: "InvalidPartOrder 400", motoDiffers: true },
  { name: "a part before the last below 5 MiB", parts: [small, small], expected: "EntityTooSmall 400" },
  { name: "an upload ID S3 never gave", parts: [small], uploadId: "not-an-upload", expected: "NoSuchUpload 404", motoDiffers: true },
];

function clientFor(endpoint: string, credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" }): S3Client {
  return new S3Client({ endpoint, region: "cn-north-1", forcePathStyle: true, credentials });
}

describe("s3rver completes multipart uploads as S3 does", () => {
  let server: LocalS3;
  let s3: S3Client;
  beforeAll(async () => {
    server = await startS3rver(BUCKET);
    s3 = clientFor(server.endpoint);
  });
  afterAll(async () => {
    s3.destroy();
    await server.stop();
  });

  test.each(CASES)("$name: $expected", async ({ name, parts, list, uploadId, expected }) => {
    expect(await completeUpload(s3, name, parts, list, uploadId)).toBe(expected);
  });

  test("a part for an upload S3 never gave: NoSuchUpload 404", async () => {
    const err = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: "k", UploadId: "not-an-upload", PartNumber: 1, Body: small })).catch((e) => e);
    expect(`${err.name} ${err.$metadata?.httpStatusCode}`).toBe("NoSuchUpload 404");
  });

  test.each([0, 10001])("part number %s: InvalidArgument 400 (S3 takes 1 to 10,000)", async (PartNumber) => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: `range-${PartNumber}` }));
    const err = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: `range-${PartNumber}`, UploadId, PartNumber, Body: small })).catch((e) => e);
    expect(`${err.name} ${err.$metadata?.httpStatusCode}`).toBe("InvalidArgument 400");
  });

  test("the object holds the parts in order, and reads back with the multipart ETag", async () => {
    const tail = Buffer.from("tail");
    expect(await completeUpload(s3, "read-back", [big, tail])).toBe(multipartEtag([big, tail]));
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: "read-back" }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.concat([big, tail]))).toBe(true);
    expect(got.ETag).toBe(multipartEtag([big, tail]));
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: "read-back" }));
    expect(head.ContentLength).toBe(big.length + tail.length);
    // No type given at CreateMultipartUpload: S3's default, binary/octet-stream
    // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingMetadata.html, Content-Type).
    expect(head.ContentType).toBe("binary/octet-stream");
  });
});

describeWithMoto("moto_server answers the same requests alike (where it follows AWS's page)", () => {
  let moto: MotoServer;
  let s3: S3Client;
  beforeAll(async () => {
    moto = await startMoto();
    s3 = clientFor(moto.endpoint, moto.credentials);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: "cn-north-1" } }));
  }, 60_000);
  afterAll(async () => {
    s3?.destroy();
    await moto?.stop();
  });

  test.each(CASES.filter((c) => !c.motoDiffers))("$name: $expected", async ({ name, parts, list, uploadId, expected }) => {
    expect(await completeUpload(s3, name, parts, list, uploadId)).toBe(expected);
  });
});
