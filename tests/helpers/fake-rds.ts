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
 * Parts: fake-rds-wire.ts (XML), fake-rds-query.ts (Query actions), fake-rds-rest.ts (REST download).
 */
import * as http from "http";
import { AddressInfo } from "net";
import { SignatureV4 } from "@smithy/signature-v4";
import { HttpRequest } from "@smithy/protocol-http";
import { Sha256 } from "@aws-crypto/sha256-js";
import { Content, rng } from "./log-content";
import { handleQuery } from "./fake-rds-query";
import { handleRest } from "./fake-rds-rest";
import { errorXml } from "./fake-rds-wire";

export const FAKE_CREDENTIALS = { accessKeyId: "AKIDFAKERDS", secretAccessKey: "fake-rds-secret" };

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

/** What the fake's request handlers share: its state and its fault switches' helpers. */
export interface FakeRdsContext {
  fake: FakeRds;
  random: () => number;
  count(key: string): void;
  inject(kind: string): void;
  /** Whether the file is hidden for this request (and counts the request against the hiding). */
  hidden(key: string): boolean;
  roll(rate: number): boolean;
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

  const ctx: FakeRdsContext = { fake, random, count, inject, hidden, roll };

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
            const d = (t: number) =>
              new Date(t)
                .toISOString()
                .replace(/[-:]/g, "")
                .replace(/\.\d{3}/, "");
            const now = Date.now() + fake.faults.clockSkewMs;
            return errorXml(
              res,
              403,
              "SignatureDoesNotMatch",
              `Signature expired: ${String(req.headers["x-amz-date"])} is now earlier than ${d(now - 300000)} (${d(now)} - 5 min.)`,
            );
          }
          if (!verdict) {
            fake.signatureFailures++;
            return errorXml(res, 403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.");
          }
          const url = new URL(req.url ?? "/", "http://x");
          if (url.pathname.startsWith("/v13/")) return await handleRest(ctx, req, res, url.pathname);
          if (req.method !== "POST") return errorXml(res, 400, "InvalidAction", "POST expected");
          handleQuery(ctx, res, new URLSearchParams(body.toString("utf8")));
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
