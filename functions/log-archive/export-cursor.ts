/**
 * The export chain's cursor: an S3 object in the archive bucket (why not SSM: see export-tasks.ts)
 * holding the next period of each log group and the task in flight.
 */
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";

export interface InFlight {
  logGroupName: string;
  /** Start of the exported range (ms, inclusive). */
  from: number;
  /** End of the exported range (ms, exclusive; the task gets `to - 1`). */
  to: number;
  taskName: string;
  destinationPrefix: string;
  /** Set once CreateExportTask returned. */
  taskId?: string;
}

export interface CursorState {
  version: 1;
  /** Per log group: start (ms) of the next range to export. */
  groups: Record<string, number>;
  inFlight?: InFlight;
}

async function readBody(body: any): Promise<string> {
  if (!body) return "";
  if (typeof body.transformToString === "function") return body.transformToString();
  if (typeof body === "string") return body;
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks).toString("utf8");
}

export async function loadCursor(s3: S3Client, bucket: string, key: string): Promise<CursorState> {
  try {
    const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const parsed = JSON.parse(await readBody(res.Body));
    if (!parsed || parsed.version !== 1 || typeof parsed.groups !== "object") {
      throw new Error(`export cursor s3://${bucket}/${key} has an unknown shape; fix or delete it`);
    }
    return parsed as CursorState;
  } catch (err: any) {
    if (err?.name === "NoSuchKey" || err?.name === "NotFound" || err?.$metadata?.httpStatusCode === 404) {
      return { version: 1, groups: {} };
    }
    throw err;
  }
}

export async function saveCursor(s3: S3Client, bucket: string, key: string, state: CursorState): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: JSON.stringify(state),
      ContentType: "application/json",
    }),
  );
}
