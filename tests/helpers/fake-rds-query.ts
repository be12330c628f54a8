/** The fake's Query API actions (form-encoded POST, XML answers), with their faults. */
import * as http from "http";
import type { FakeRdsContext } from "./fake-rds";
import { el, errorXml, page, parseFilters, respond } from "./fake-rds-wire";

export function handleQuery(ctx: FakeRdsContext, res: http.ServerResponse, p: URLSearchParams): void {
  const { fake, count, inject, hidden, roll } = ctx;
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
        .map(
          (i) =>
            `<DBInstance>${el("DBInstanceIdentifier", i.id)}${el("Engine", i.engine)}${el("DBInstanceStatus", i.status)}${el("DBClusterIdentifier", i.clusterId)}</DBInstance>`,
        )
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
        .map(
          ([id, c]) =>
            `<DBCluster>${el("DBClusterIdentifier", id)}${el("Engine", c.engine)}${el("DBClusterParameterGroup", c.parameterGroup)}${el("Status", "available")}</DBCluster>`,
        )
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
        .map(
          ([n, f]) =>
            `<DescribeDBLogFilesDetails>${el("LogFileName", n)}${el("LastWritten", f.lastWritten)}${el("Size", f.content.size)}</DescribeDBLogFilesDetails>`,
        )
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
