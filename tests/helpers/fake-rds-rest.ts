/** The fake's REST endpoint: GET /v13/downloadCompleteLogFile/{instance}/{file}, streamed chunked like RDS, with its faults. */
import * as http from "http";
import type { FakeRdsContext } from "./fake-rds";
import { errorXml } from "./fake-rds-wire";

export async function handleRest(ctx: FakeRdsContext, req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<void> {
  const { fake, random, count, inject, hidden, roll } = ctx;
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
