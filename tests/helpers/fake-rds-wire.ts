/** The RDS Query API's wire format as the fake answers it: XML results and errors, filters, pages. */
import * as http from "http";

const NS = "http://rds.amazonaws.com/doc/2014-10-31/";

export function xmlEscape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function el(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? "" : `<${name}>${xmlEscape(String(value))}</${name}>`;
}

export function respond(res: http.ServerResponse, action: string, result: string): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${NS}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${reqId()}</RequestId></ResponseMetadata></${action}Response>`;
  res.writeHead(200, { "content-type": "text/xml", "x-amzn-requestid": reqId() });
  res.end(body);
}

export function reqId(): string {
  return (
    "00000000-0000-4000-8000-" +
    Math.floor(Math.random() * 1e12)
      .toString(16)
      .padStart(12, "0")
  );
}

export function errorXml(res: http.ServerResponse, status: number, code: string, message: string, type = "Sender"): void {
  res.writeHead(status, { "content-type": "text/xml" });
  res.end(
    `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${NS}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error><RequestId>${reqId()}</RequestId></ErrorResponse>`,
  );
}

/** `Filters.Filter.1.Name=engine&Filters.Filter.1.Values.Value.1=aurora-mysql` -> { engine: [...] } */
export function parseFilters(p: URLSearchParams): Record<string, string[]> {
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

export function page<T>(items: T[], p: URLSearchParams, defaultMax = 100): { items: T[]; marker?: string } {
  const start = Number(p.get("Marker") ?? "0");
  const max = Number(p.get("MaxRecords") ?? defaultMax);
  const slice = items.slice(start, start + max);
  return { items: slice, marker: start + max < items.length ? String(start + max) : undefined };
}
