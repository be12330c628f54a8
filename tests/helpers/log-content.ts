/**
 * Deterministic, seekable audit-log-like file contents for tests and benches: any byte range of a
 * file of any size can be produced without holding the file in memory, and the same seed always
 * gives the same bytes (a live file that grows keeps its prefix).
 */
import { createHash } from "crypto";
import { Readable } from "stream";

const BLOCK = 64 * 1024;
const POOL = 1024 * 1024;

/** mulberry32: small, fast, seedable. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function hashSeed(text: string): number {
  return createHash("sha256").update(text).digest().readUInt32BE(0);
}

let pool: Buffer | undefined;
/** About 1 MB of printable audit-log lines, made once per process. */
function textPool(): Buffer {
  if (pool) return pool;
  const r = rng(20260522);
  const words = [
    "SELECT",
    "INSERT",
    "UPDATE",
    "QUERY",
    "CONNECT",
    "DISCONNECT",
    "admin",
    "app_user",
    "orders",
    "sbtest1",
    "WHERE",
    "id",
    "=",
    "'x'",
    "10.0.1.17",
    "0",
    "1064",
  ];
  const out = Buffer.alloc(POOL + BLOCK);
  let i = 0;
  let line = 0;
  while (i < out.length) {
    const head = `${1716336000000000 + line * 997},ip-10-0-1-${line % 250}.cn-north-1.compute.internal,app_user,10.0.1.${line % 200},${line},${line * 3},QUERY,mydb,'`;
    let text = head;
    const n = 3 + Math.floor(r() * 40);
    for (let w = 0; w < n; w++) text += `${words[Math.floor(r() * words.length)]} `;
    text += "',0\n";
    i += out.write(text, i, "latin1");
    line++;
  }
  pool = out;
  return out;
}

export interface Content {
  readonly seed: number;
  readonly size: number;
  /** Bytes [start, end) (clamped to the size). */
  read(start: number, end: number): Buffer;
  /** The bytes from `start` to the end, in 64 KB chunks, with backpressure. */
  stream(start?: number): Readable;
}

function block(seed: number, index: number): Buffer {
  const p = textPool();
  const off = (Math.imul(seed ^ 0x9e3779b9, 2654435761) + Math.imul(index + 1, 40503)) >>> 0;
  const b = Buffer.from(p.subarray(off % POOL, (off % POOL) + BLOCK));
  b[BLOCK - 1] = 0x0a;
  return b;
}

/** A file of `size` bytes: a prefix of the endless stream that `seed` names. */
export function content(seed: number, size: number): Content {
  return {
    seed,
    size,
    read(start: number, end: number): Buffer {
      const s = Math.max(0, Math.min(start, size));
      const e = Math.max(s, Math.min(end, size));
      if (e === s) return Buffer.alloc(0);
      const parts: Buffer[] = [];
      for (let bi = Math.floor(s / BLOCK); bi * BLOCK < e; bi++) {
        const b = block(seed, bi);
        const from = Math.max(s - bi * BLOCK, 0);
        const to = Math.min(e - bi * BLOCK, BLOCK);
        parts.push(b.subarray(from, to));
      }
      return parts.length === 1 ? parts[0] : Buffer.concat(parts);
    },
    stream(start = 0): Readable {
      let pos = start;
      const self = this;
      return new Readable({
        read() {
          if (pos >= size) {
            this.push(null);
            return;
          }
          const end = Math.min(size, (Math.floor(pos / BLOCK) + 1) * BLOCK);
          const chunk = self.read(pos, end);
          pos = end;
          this.push(chunk);
        },
      });
    },
  };
}

/** SHA-256 of a whole content, streamed. */
export async function sha256Of(c: Content): Promise<string> {
  const h = createHash("sha256");
  for await (const chunk of c.stream()) h.update(chunk as Buffer);
  return h.digest("hex");
}

export async function sha256OfStream(s: AsyncIterable<Uint8Array>): Promise<{ sha256: string; bytes: number }> {
  const h = createHash("sha256");
  let bytes = 0;
  for await (const chunk of s) {
    h.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: h.digest("hex"), bytes };
}
