/**
 * Where the downloader reads a log file from: the RDS REST endpoint
 * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/DownloadCompleteDBLogFile.html, and the
 * China copy https://docs.amazonaws.cn/en_us/AmazonRDS/latest/UserGuide/DownloadCompleteDBLogFile.html:
 * `GET /v13/downloadCompleteLogFile/{DBInstanceIdentifier}/{LogFileName}`, SigV4 service `rds`,
 * the file as a stream), the DownloadDBLogFilePortion API, and DescribeDBLogFiles to learn whether
 * RDS still lists a file (and with which size) after a download went wrong.
 */
// Named imports, not `import * as http`: SWC's wildcard helper builds a null-prototype copy of the
// module that Pulumi's closure serializer does not recognise as a module (its isImportStarResult in
// @pulumi/pulumi runtime/closure/createClosure.js wants TypeScript's Object.prototype wrapper), so
// it would try to serialize Node's http module by value and fail.
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from "http";
import { request as httpsRequest } from "https";
import { Readable } from "stream";
import { DescribeDBLogFilesCommand, DownloadDBLogFilePortionCommand, type RDSClient } from "@aws-sdk/client-rds";
import { AUDIT_PREFIX, rdsRestEndpointFor } from "./common";
import { CLOCK_SKEW_ERROR_CODES, EMPTY_SHA256, offsetFromDateHeader, signGet, type SigningCredentials } from "./sigv4";

/** Markers RDS appends to a DownloadDBLogFilePortion page it cut short. */
export const TRUNCATION_MARKERS = ["[Your log file was truncated]", "[Your log message was truncated]"];

/**
 * Path version of the REST endpoint. Every AWS page of the doc above that we could check (English,
 * China, Japanese `ja_jp`, and the other translations) documents `/v13/`; a `/v19/` path appears
 * only in a copy under `docs.aws.amazon.com/jp_jp/...` (not one of AWS's locales, English text),
 * with a note that `/v13/` stops working after 2027-03-01. Unconfirmed, so `/v13/` stays the
 * default and `/v19/` is a setting (`restPathVersion`), off.
 */
export const DEFAULT_REST_PATH_VERSION = "v13";

export interface JobFile {
  DBInstanceIdentifier: string;
  LogFileName: string;
  Size: number;
  LastWritten: number;
}

export interface RestDeps {
  rds: RDSClient;
  region: string;
  rdsRestEndpoint?: string;
  restPathVersion?: string;
  idleTimeoutMs?: number;
}

export function retryable(message: string, name: string, extra?: Record<string, unknown>): Error {
  const err = new Error(message);
  err.name = name;
  Object.assign(err, { retryable: true }, extra);
  return err;
}

/** A failure that another attempt will not fix. */
export function permanent(message: string, name: string): Error {
  const err = new Error(message);
  err.name = name;
  (err as { retryable?: boolean }).retryable = false;
  return err;
}

/** Ends with one of RDS's truncation markers (whitespace around it allowed). */
export function hasTruncationMarker(data: string): boolean {
  const tail = data.slice(-200).trimEnd();
  return TRUNCATION_MARKERS.some((m) => tail.endsWith(m));
}

/** Path of the complete-file endpoint; the log file name keeps its `/` separators. */
export function completeFilePath(instanceId: string, logFileName: string, version: string = DEFAULT_REST_PATH_VERSION): string {
  if (!/^v\d+$/.test(version)) throw new Error(`restPathVersion must look like v13 or v19, got ${JSON.stringify(version)}`);
  return `/${version}/downloadCompleteLogFile/${encodeURIComponent(instanceId)}/${logFileName.split("/").map(encodeURIComponent).join("/")}`;
}

type ClientConfig = { credentials: () => Promise<SigningCredentials>; systemClockOffset?: number };

function request(base: URL, path: string, headers: Record<string, string>, idleMs: number): Promise<IncomingMessage> {
  const send = base.protocol === "http:" ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const req = send({ method: "GET", protocol: base.protocol, hostname: base.hostname, port: base.port || undefined, path, headers }, resolve);
    req.setTimeout(idleMs, () => req.destroy(retryable("RDS REST endpoint idle", "TimeoutError")));
    req.on("error", reject);
    req.end();
  });
}

async function drain(body: Readable, limit = 4096): Promise<string> {
  let text = "";
  for await (const chunk of body) {
    if (text.length < limit) text += chunk.toString("utf8");
  }
  return text.slice(0, limit);
}

/**
 * Opens the complete-file endpoint, signed with the RDS client's credentials and clock offset.
 * When the endpoint refuses the signature as skewed (a clock-skew error code and a Date header),
 * the client's offset is corrected from that header, as the SDK does, and the request is signed
 * once more: a skewed clock must not silently turn the endpoint off.
 */
export async function openCompleteFile(
  deps: RestDeps,
  job: JobFile,
): Promise<{ status: number; body: IncomingMessage; headers: IncomingHttpHeaders; errorText?: string }> {
  const base = new URL(deps.rdsRestEndpoint ?? rdsRestEndpointFor(deps.region));
  const path = completeFilePath(job.DBInstanceIdentifier, job.LogFileName, deps.restPathVersion);
  const config = deps.rds.config as unknown as ClientConfig;
  for (let attempt = 0; ; attempt++) {
    const credentials = await config.credentials();
    const signingDate = new Date(Date.now() + (config.systemClockOffset ?? 0));
    const headers = signGet(
      { host: base.host, path, region: deps.region, service: "rds", headers: { "x-amz-content-sha256": EMPTY_SHA256 } },
      credentials,
      signingDate,
    );
    const res = await request(base, path, headers, deps.idleTimeoutMs ?? 60000);
    if (res.statusCode === 200) return { status: 200, body: res, headers: res.headers };
    const errorText = await drain(res);
    const code = /<Code>([^<]+)<\/Code>/.exec(errorText)?.[1] ?? "";
    const offset = offsetFromDateHeader(res.headers.date, Date.now());
    if (attempt === 0 && CLOCK_SKEW_ERROR_CODES.includes(code) && offset !== undefined && Math.abs(offset - (config.systemClockOffset ?? 0)) >= 240_000) {
      // 240 s: the SDK's own threshold for a correction (AwsSdkSigV4Signer, skewExceedsThreshold).
      config.systemClockOffset = offset;
      continue;
    }
    return { status: res.statusCode ?? 0, body: res, headers: res.headers, errorText };
  }
}

/** The file as RDS lists it now (exact name), or undefined when it is not listed. */
export async function describeLogFile(rds: RDSClient, instanceId: string, logFileName: string): Promise<{ Size: number; LastWritten: number } | undefined> {
  let marker: string | undefined;
  do {
    const page = await rds.send(
      new DescribeDBLogFilesCommand({
        DBInstanceIdentifier: instanceId,
        FilenameContains: logFileName.startsWith(AUDIT_PREFIX) ? logFileName : AUDIT_PREFIX,
        Marker: marker,
        MaxRecords: 1000,
      }),
    );
    const f = (page.DescribeDBLogFiles ?? []).find((d) => d.LogFileName === logFileName);
    if (f) return { Size: Number(f.Size ?? 0), LastWritten: Number(f.LastWritten ?? 0) };
    marker = page.Marker;
  } while (marker);
  return undefined;
}

function sameStart(a: Buffer, b: Buffer): boolean {
  const n = Math.min(a.length, b.length);
  return a.subarray(0, n).equals(b.subarray(0, n));
}

function withoutMarker(data: string): string {
  const trimmed = data.trimEnd();
  for (const m of TRUNCATION_MARKERS) if (trimmed.endsWith(m)) return trimmed.slice(0, -m.length).replace(/\n\s*$/, "");
  return data;
}

/**
 * Pages through DownloadDBLogFilePortion from marker "0"; halves NumberOfLines on a truncated page.
 * Bounded: a page that does not move the marker while more data is pending is a stall (retryable),
 * and at most `maxPages` pages are read. After the last page the first page is read again: if the
 * file's start changed, RDS rotated it while we paged (our bytes would be the old file's start and
 * the new file's rest), and the attempt fails with `RotatedDuringDownload` instead of recording a
 * mixed file.
 */
export function portionStream(rds: RDSClient, job: JobFile, lines: number, counter: { calls: number }, maxPages = 100000): Readable {
  const fetchPage = (marker: string, want: number) => {
    counter.calls++;
    return rds.send(
      new DownloadDBLogFilePortionCommand({
        DBInstanceIdentifier: job.DBInstanceIdentifier,
        LogFileName: job.LogFileName,
        Marker: marker,
        NumberOfLines: want,
      }),
    );
  };
  async function* pages(): AsyncGenerator<Buffer> {
    let marker = "0";
    let want = lines;
    let first: { data: Buffer; lines: number } | undefined;
    for (let n = 0; ; n++) {
      if (n >= maxPages) throw retryable(`portion API still pending after ${maxPages} pages of ${job.LogFileName}`, "PortionStalled");
      const page = await fetchPage(marker, want);
      const data = page.LogFileData ?? "";
      if (hasTruncationMarker(data)) {
        if (want <= 1) throw permanent(`a single line of ${job.LogFileName} is larger than one portion: RDS truncates it`, "UnrecoverableTruncation");
        want = Math.max(1, Math.floor(want / 2));
        continue;
      }
      const pending = !!page.AdditionalDataPending && !!page.Marker;
      if (pending && page.Marker === marker) throw retryable(`portion API did not move past marker ${marker} of ${job.LogFileName}`, "PortionStalled");
      const buf = Buffer.from(data, "utf8");
      if (marker === "0") first = { data: buf, lines: want };
      if (buf.length > 0) yield buf;
      if (!pending) break;
      marker = page.Marker as string;
      if (want < lines) want = Math.min(lines, want * 2);
    }
    if (first && first.data.length > 0) {
      const again = await fetchPage("0", first.lines);
      const now = Buffer.from(withoutMarker(again.LogFileData ?? ""), "utf8");
      if (!sameStart(first.data, now)) throw retryable(`${job.LogFileName} was rotated while its portions were read`, "RotatedDuringDownload");
    }
  }
  return Readable.from(pages(), { objectMode: false });
}
