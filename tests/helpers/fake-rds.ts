/**
 * A fake RDS log API on 127.0.0.1 that speaks the real protocols, so the real @aws-sdk/client-rds
 * (endpoint override, dummy credentials) and the downloader's SigV4-signed REST call can talk to it:
 *
 * - Query API (form-encoded POST, XML answers, namespace 2014-10-31): DescribeDBInstances,
 *   DescribeDBClusters, DescribeDBClusterParameters, DescribeDBLogFiles (FilenameContains,
 *   FileLastWritten, Marker/MaxRecords pagination), DownloadDBLogFilePortion (Marker, NumberOfLines,
 *   AdditionalDataPending, the 1 MB page limit and RDS's truncation marker), with ErrorResponse XML
 *   for DBLogFileNotFoundFault (404), DBInstanceNotFound (404) and Throttling (400).
 * - REST: GET /v13/downloadCompleteLogFile/{DBInstanceIdentifier}/{LogFileName}, streamed chunked.
 *
 * Every request's SigV4 signature is checked (service `rds`) with the known dummy secret, and its
 * time stamp against the fake's clock (`clockSkewMs` ahead of this machine's): more than 5 minutes
 * off is refused with 403 SignatureDoesNotMatch "Signature expired: ... (... - 5 min.)", the text
 * AWS sends (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_aws-signing.html: "a
 * request must reach AWS within five minutes of the time stamp"; message as quoted in
 * https://github.com/boto/botocore/issues/149). Every answer carries a Date header of that clock,
 * which the SDK reads to correct its offset.
 * Switches (`faults`) inject throttling, 5xx, dropped connections, lossy truncation, refusal of the
 * REST endpoint and rotation of a file in the middle of a download, drawn from a seeded generator.
 */
import * as http from "http";
import { AddressInfo } from "net";
import { SignatureV4 } from "@smithy/signature-v4";
import { HttpRequest } from "@smithy/protocol-http";
import { Sha256 } from "@aws-crypto/sha256-js";
import { Content, rng } from "./log-content";

export const FAKE_CREDENTIALS = { accessKeyId: "AKIDFAKERDS", secretAccessKey: "fake-rds-secret" };
const NS = "http://rds.amazonaws.com/doc/2014-10-31/";

export interface FakeFile {
  content: Content;
  lastWritten: number;
}

export interface FakeInstance {
  id: string;
  clusterId?: string;
  engine: string;
  status?: string;
  files: Map<string, FakeFile>;
}

export interface Faults {
  /** Probability that a request answers Throttling (Query) / 429 (REST). */
  throttleRate: number;
  /** Probability of a 500/503. */
  serverErrorRate: number;
  /** Probability that a REST download's connection is cut part-way. */
  dropRate: number;
  /** When a portion's NumberOfLines do not fit in the page limit, cut the page (losing data) and append RDS's marker. */
  truncate: boolean;
  /** REST endpoint answers 403 for these instances ("*" for all). */
  refuseRest: Set<string>;
  /** `instance/file` entries that disappear once half their bytes are sent (one-shot each). */
  rotateMidDownload: Set<string>;
  /** DownloadDBLogFilePortion page limit in bytes (RDS: 1 MB). */
  portionLimit: number;
  /**
   * `instance/file` -> the file RDS rotates in under the same name once half the old one was sent
   * (one-shot each): the REST response ends early and cleanly; the portion API serves the new
   * file's bytes from the next marker on.
   */
  replaceMidDownload: Map<string, FakeFile>;
  /** `instance/file` -> how many more requests (REST, portion, listing) do not see the file. */
  hideFor: Map<string, number>;
  /** `instance/file` -> how many more portion pages do not move the marker (data, pending, same marker). */
  stallPortion: Map<string, number>;
  /** `instance/file` entries whose every download answers 503 (REST) / 500 InternalFailure (portion). */
  failFiles: Set<string>;
  /** How far the fake's clock is ahead of this machine's. */
  clockSkewMs: number;
}

export interface FakeRds {
  url: string;
  region: string;
  instances: Map<string, FakeInstance>;
  clusters: Map<string, { engine: string; parameterGroup: string }>;
  parameterGroups: Map<string, Record<string, string>>;
  faults: Faults;
  /** Requests by Action (Query) or "REST"; faults injected by kind. */
  calls: Record<string, number>;
  injected: Record<string, number>;
  restBytesSent: number;
  signatureFailures: number;
  addInstance(id: string, clusterId: string, engine?: string): FakeInstance;
  setFile(instanceId: string, name: string, file: FakeFile): void;
  resetCounters(): void;
  stop(): Promise<void>;
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function el(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? "" : `<${name}>${xmlEscape(String(value))}</${name}>`;
}

function respond(res: http.ServerResponse, action: string, result: string): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${NS}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${reqId()}</RequestId></ResponseMetadata></${action}Response>`;
  res.writeHead(200, { "content-type": "text/xml", "x-amzn-requestid": reqId() });
  res.end(body);
}

function reqId(): string {
  return "00000000-0000-4000-8000-" + Math.floor(Math.random() * 1e12).toString(16).padStart(12, "0");
}

function errorXml(res: http.ServerResponse, status: number, code: string, message: string, type = "Sender"): void {
  res.writeHead(status, { "content-type": "text/xml" });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${NS}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error><RequestId>${reqId()}</RequestId></ErrorResponse>`);
}

/** `Filters.Filter.1.Name=engine&Filters.Filter.1.Values.Value.1=aurora-mysql` -> { engine: [...] } */
function parseFilters(p: URLSearchParams): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of p) {
    const m = /^Filters\.(?:Filter\.)?(\d+)\.Name$/.exec(k);
    if (!m) continue;
    const values: string[] = [];
    for (const [k2, v2] of p) if (new RegExp(`^Filters\\.(?:Filter\\.)?${m[1]}\\.Values\\.(?:Value\\.)?\\d+$`).test(k2)) values.push(v2);
    out[v] = values;
  }
  return out;
}

function page<T>(items: T[], p: URLSearchParams, defaultMax = 100): { items: T[]; marker?: string } {
  const start = Number(p.get("Marker") ?? "0");
  const max = Number(p.get("MaxRecords") ?? defaultMax);
  const slice = items.slice(start, start + max);
  return { items: slice, marker: start + max < items.length ? String(start + max) : undefined };
}

export async function startFakeRds(
  opts: { region?: string; seed?: number; faults?: Partial<Faults>; credentials?: { accessKeyId: string; secretAccessKey: string } } = {},
): Promise<FakeRds> {
  const region = opts.region ?? "cn-north-1";
  const random = rng(opts.seed ?? 1);
  const credentials = opts.credentials ?? FAKE_CREDENTIALS;
  const signer = new SignatureV4({ credentials, region, service: "rds", sha256: Sha256 });
  const fake: FakeRds = {
    url: "",
    region,
    instances: new Map(),
    clusters: new Map(),
    parameterGroups: new Map(),
    faults: {
      throttleRate: 0,
      serverErrorRate: 0,
      dropRate: 0,
      truncate: false,
      refuseRest: new Set(),
      rotateMidDownload: new Set(),
      portionLimit: 1024 * 1024,
      replaceMidDownload: new Map(),
      hideFor: new Map(),
      stallPortion: new Map(),
      failFiles: new Set(),
      clockSkewMs: 0,
      ...opts.faults,
    },
    calls: {},
    injected: {},
    restBytesSent: 0,
    signatureFailures: 0,
    addInstance(id, clusterId, engine = "aurora-mysql") {
      const inst: FakeInstance = { id, clusterId, engine, status: "available", files: new Map() };
      fake.instances.set(id, inst);
      return inst;
    },
    setFile(instanceId, name, file) {
      const inst = fake.instances.get(instanceId);
      if (!inst) throw new Error(`no instance ${instanceId}`);
      inst.files.set(name, file);
    },
    resetCounters() {
      fake.calls = {};
      fake.injected = {};
      fake.restBytesSent = 0;
    },
    stop: async () => undefined,
  };

  function count(key: string): void {
    fake.calls[key] = (fake.calls[key] ?? 0) + 1;
  }
  function inject(kind: string): void {
    fake.injected[kind] = (fake.injected[kind] ?? 0) + 1;
  }
  /** Whether the file is hidden for this request (and counts the request against the hiding). */
  function hidden(key: string): boolean {
    const left = fake.faults.hideFor.get(key) ?? 0;
    if (left <= 0) return false;
    if (left === 1) fake.faults.hideFor.delete(key);
    else fake.faults.hideFor.set(key, left - 1);
    inject("hidden");
    return true;
  }
  function roll(rate: number): boolean {
    return rate > 0 && random() < rate;
  }

  async function signatureOk(req: http.IncomingMessage, body: Buffer): Promise<boolean | "expired"> {
    const auth = String(req.headers.authorization ?? "");
    const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(auth);
    if (!m || m[1] !== credentials.accessKeyId || m[3] !== region || m[4] !== "rds") return false;
    const amzDate = String(req.headers["x-amz-date"] ?? "");
    const d = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
    if (!d) return false;
    const signingDate = new Date(Date.UTC(+d[1], +d[2] - 1, +d[3], +d[4], +d[5], +d[6]));
    const serverNow = Date.now() + fake.faults.clockSkewMs;
    if (Math.abs(signingDate.getTime() - serverNow) > 5 * 60 * 1000) return "expired";
    const headers: Record<string, string> = {};
    for (const h of m[5].split(";")) headers[h] = String(req.headers[h] ?? "");
    const url = new URL(req.url ?? "/", "http://x");
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    const request = new HttpRequest({ method: req.method, hostname: "x", path: url.pathname, query, headers, body: body.length ? body : undefined });
    const signed = await signer.sign(request, { signingDate, signableHeaders: new Set(Object.keys(headers)), unsignableHeaders: new Set() });
    const sig = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization ?? signed.headers.Authorization))?.[1];
    return sig === m[6];
  }

  async function handleRest(req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<void> {
    count("REST");
    const m = /^\/v13\/downloadCompleteLogFile\/([^/]+)\/(.+)$/.exec(path);
    if (!m || req.method !== "GET") return void errorXml(res, 404, "UnknownOperation", "no such path");
    const instanceId = decodeURIComponent(m[1]);
    const fileName = m[2].split("/").map(decodeURIComponent).join("/");
    if (fake.faults.refuseRest.has("*") || fake.faults.refuseRest.has(instanceId)) {
      inject("restRefused");
      return void errorXml(res, 403, "AccessDenied", "User is not authorized to perform: rds:DownloadCompleteDBLogFile");
    }
    if (roll(fake.faults.throttleRate)) {
      inject("restThrottled");
      return void errorXml(res, 429, "Throttling", "Rate exceeded");
    }
    if (roll(fake.faults.serverErrorRate)) {
      inject("rest5xx");
      return void errorXml(res, 503, "ServiceUnavailable", "Service unavailable", "Receiver");
    }
    const inst = fake.instances.get(instanceId);
    if (!inst) return void errorXml(res, 404, "DBInstanceNotFound", `DBInstance ${instanceId} not found.`);
    const file = inst.files.get(fileName);
    const rotateKey = `${instanceId}/${fileName}`;
    if (!file || hidden(rotateKey)) return void errorXml(res, 404, "DBLogFileNotFoundFault", `DBLogFile ${fileName} not found`);
    const size = file.content.size;
    if (fake.faults.failFiles.has(rotateKey)) {
      inject("failed");
      return void errorXml(res, 503, "ServiceUnavailable", "Service unavailable", "Receiver");
    }
    const replacement = fake.faults.replaceMidDownload.get(rotateKey);
    const rotate = fake.faults.rotateMidDownload.has(rotateKey) || !!replacement;
    const drop = !rotate && size > 0 && roll(fake.faults.dropRate);
    const stopAt = rotate ? Math.floor(size / 2) : drop ? Math.floor(random() * size) : size;
    res.writeHead(200, { "content-type": "application/octet-stream" }); // chunked, like RDS
    const src = file.content.stream();
    let sent = 0;
    let cut = false;
    src.on("data", (chunk: Buffer) => {
      if (cut) return;
      const room = stopAt - sent;
      const piece = chunk.length > room ? chunk.subarray(0, room) : chunk;
      sent += piece.length;
      fake.restBytesSent += piece.length;
      const ok = piece.length > 0 ? res.write(piece) : true;
      if (sent >= stopAt && stopAt < size) {
        cut = true;
        src.destroy();
        if (rotate) {
          // The file is rotated away: RDS ends the response early, cleanly.
          inject("rotated");
          fake.faults.rotateMidDownload.delete(rotateKey);
          fake.faults.replaceMidDownload.delete(rotateKey);
          if (replacement) inst.files.set(fileName, replacement);
          else inst.files.delete(fileName);
          res.end();
        } else {
          inject("dropped");
          res.socket?.destroy();
        }
        return;
      }
      if (!ok) {
        src.pause();
        res.once("drain", () => src.resume());
      }
    });
    src.on("end", () => res.end());
    res.on("close", () => src.destroy());
  }

  function handleQuery(res: http.ServerResponse, p: URLSearchParams): void {
    const action = p.get("Action") ?? "";
    count(action);
    if (p.get("Version") !== "2014-10-31") return void errorXml(res, 400, "InvalidParameterValue", `bad Version ${p.get("Version")}`);
    if (roll(fake.faults.throttleRate)) {
      inject("throttled");
      return void errorXml(res, 400, "Throttling", "Rate exceeded");
    }
    if (roll(fake.faults.serverErrorRate)) {
      inject("5xx");
      return void errorXml(res, 500, "InternalFailure", "internal failure", "Receiver");
    }
    switch (action) {
      case "DescribeDBInstances": {
        const filters = parseFilters(p);
        let list = [...fake.instances.values()];
        if (p.get("DBInstanceIdentifier")) list = list.filter((i) => i.id === p.get("DBInstanceIdentifier"));
        if (filters.engine) list = list.filter((i) => filters.engine.includes(i.engine));
        const pg = page(list, p);
        const xml = pg.items
          .map((i) => `<DBInstance>${el("DBInstanceIdentifier", i.id)}${el("Engine", i.engine)}${el("DBInstanceStatus", i.status)}${el("DBClusterIdentifier", i.clusterId)}</DBInstance>`)
          .join("");
        return respond(res, action, `<DBInstances>${xml}</DBInstances>${el("Marker", pg.marker)}`);
      }
      case "DescribeDBClusters": {
        const filters = parseFilters(p);
        let list = [...fake.clusters.entries()];
        if (p.get("DBClusterIdentifier")) list = list.filter(([id]) => id === p.get("DBClusterIdentifier"));
        if (filters.engine) list = list.filter(([, c]) => filters.engine.includes(c.engine));
        const pg = page(list, p);
        const xml = pg.items
          .map(([id, c]) => `<DBCluster>${el("DBClusterIdentifier", id)}${el("Engine", c.engine)}${el("DBClusterParameterGroup", c.parameterGroup)}${el("Status", "available")}</DBCluster>`)
          .join("");
        return respond(res, action, `<DBClusters>${xml}</DBClusters>${el("Marker", pg.marker)}`);
      }
      case "DescribeDBClusterParameters": {
        const name = p.get("DBClusterParameterGroupName") ?? "";
        const group = fake.parameterGroups.get(name);
        if (!group) return void errorXml(res, 404, "DBParameterGroupNotFound", `DBClusterParameterGroup not found: ${name}`);
        const pg = page(Object.entries(group), p);
        const xml = pg.items
          .map(([k, v]) => `<Parameter>${el("ParameterName", k)}${el("ParameterValue", v)}${el("Source", "user")}${el("ApplyType", "dynamic")}</Parameter>`)
          .join("");
        return respond(res, action, `<Parameters>${xml}</Parameters>${el("Marker", pg.marker)}`);
      }
      case "DescribeDBLogFiles": {
        const inst = fake.instances.get(p.get("DBInstanceIdentifier") ?? "");
        if (!inst) return void errorXml(res, 404, "DBInstanceNotFound", `DBInstance ${p.get("DBInstanceIdentifier")} not found.`);
        const contains = p.get("FilenameContains");
        const since = p.get("FileLastWritten");
        let list = [...inst.files.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
        if (contains) list = list.filter(([n]) => n.includes(contains));
        if (since) list = list.filter(([, f]) => f.lastWritten >= Number(since));
        list = list.filter(([n]) => !hidden(`${inst.id}/${n}`));
        const pg = page(list, p, 1000);
        const xml = pg.items
          .map(([n, f]) => `<DescribeDBLogFilesDetails>${el("LogFileName", n)}${el("LastWritten", f.lastWritten)}${el("Size", f.content.size)}</DescribeDBLogFilesDetails>`)
          .join("");
        return respond(res, action, `<DescribeDBLogFiles>${xml}</DescribeDBLogFiles>${el("Marker", pg.marker)}`);
      }
      case "DownloadDBLogFilePortion": {
        const instanceId = p.get("DBInstanceIdentifier") ?? "";
        const fileName = p.get("LogFileName") ?? "";
        const inst = fake.instances.get(instanceId);
        if (!inst) return void errorXml(res, 404, "DBInstanceNotFound", `DBInstance ${instanceId} not found.`);
        const rotateKey = `${instanceId}/${fileName}`;
        let file = inst.files.get(fileName);
        if (!file || hidden(rotateKey)) return void errorXml(res, 404, "DBLogFileNotFoundFault", `DBLogFile ${fileName} not found`);
        const replacement = fake.faults.replaceMidDownload.get(rotateKey);
        if (replacement && Number(p.get("Marker") ?? "0") >= file.content.size / 2) {
          inject("rotated");
          fake.faults.replaceMidDownload.delete(rotateKey);
          inst.files.set(fileName, replacement);
          file = replacement;
        }
        if (fake.faults.failFiles.has(rotateKey)) {
          inject("failed");
          return void errorXml(res, 500, "InternalFailure", "internal failure", "Receiver");
        }
        const stalls = fake.faults.stallPortion.get(rotateKey) ?? 0;
        if (stalls > 0) {
          fake.faults.stallPortion.set(rotateKey, stalls - 1);
          inject("stalled");
          const m = p.get("Marker") ?? "0";
          const chunk = file.content.read(0, Math.min(file.content.size, 1024));
          return respond(res, action, `${el("LogFileData", chunk.toString("latin1"))}${el("AdditionalDataPending", true)}${el("Marker", m)}`);
        }
        const size = file.content.size;
        const start = Math.min(Number(p.get("Marker") ?? "0") || 0, size);
        const lines = Number(p.get("NumberOfLines") ?? "0") || Infinity;
        const limit = fake.faults.portionLimit;
        // Find the end of `lines` lines from `start`, looking at most limit * 4 bytes ahead.
        const window = file.content.read(start, start + limit * 4);
        let end = start;
        let seen = 0;
        let idx = 0;
        while (seen < lines && idx < window.length) {
          const nl = window.indexOf(0x0a, idx);
          if (nl < 0) {
            idx = window.length;
            break;
          }
          idx = nl + 1;
          seen++;
        }
        end = start + idx;
        let data: Buffer;
        let marker = end;
        if (end - start > limit) {
          if (fake.faults.truncate) {
            inject("truncated");
            data = Buffer.concat([window.subarray(0, limit), Buffer.from("\n [Your log file was truncated]\n")]);
          } else {
            const cut = window.subarray(0, limit).lastIndexOf(0x0a);
            marker = start + (cut >= 0 ? cut + 1 : limit);
            data = window.subarray(0, marker - start);
          }
        } else {
          data = window.subarray(0, end - start);
        }
        const pending = marker < size;
        if (fake.faults.rotateMidDownload.has(rotateKey) && marker >= size / 2) {
          inject("rotated");
          fake.faults.rotateMidDownload.delete(rotateKey);
          inst.files.delete(fileName);
          return void errorXml(res, 404, "DBLogFileNotFoundFault", `DBLogFile ${fileName} not found`);
        }
        return respond(res, action, `${el("LogFileData", data.toString("latin1"))}${el("AdditionalDataPending", pending)}${el("Marker", String(marker))}`);
      }
      default:
        return void errorXml(res, 400, "InvalidAction", `The action ${action} is not valid for this web service.`);
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      res.setHeader("Date", new Date(Date.now() + fake.faults.clockSkewMs).toUTCString());
      void (async () => {
        try {
          const verdict = await signatureOk(req, body);
          if (verdict === "expired") {
            inject("skewRefused");
            const d = (t: number) => new Date(t).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
            const now = Date.now() + fake.faults.clockSkewMs;
            return errorXml(res, 403, "SignatureDoesNotMatch", `Signature expired: ${String(req.headers["x-amz-date"])} is now earlier than ${d(now - 300000)} (${d(now)} - 5 min.)`);
          }
          if (!verdict) {
            fake.signatureFailures++;
            return errorXml(res, 403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.");
          }
          const url = new URL(req.url ?? "/", "http://x");
          if (url.pathname.startsWith("/v13/")) return await handleRest(req, res, url.pathname);
          if (req.method !== "POST") return errorXml(res, 400, "InvalidAction", "POST expected");
          handleQuery(res, new URLSearchParams(body.toString("utf8")));
        } catch (err) {
          if (!res.headersSent) errorXml(res, 500, "InternalFailure", String(err), "Receiver");
          else res.destroy();
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    });
  return fake;
}
