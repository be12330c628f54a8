/**
 * Pulumi archives as the files Terraform takes: an AssetArchive's entries (string and file assets)
 * zipped, as the Pulumi bridge does for `aws.lambda.Function` `code` (an archive of kind
 * FileArchive, format ZIP, hashed into `source_code_hash`).
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../harness";
import type { ArchiveFile } from "./translate";
import { ZipEntry, zip } from "./zip";

export function isArchive(v: unknown): boolean {
  return !!v && typeof v === "object" && (v as any).__pulumiArchive === true;
}

async function entriesOf(archive: any, prefix: string): Promise<ZipEntry[]> {
  if (archive.path !== undefined) throw new Error(`a FileArchive (${await archive.path}) is not translated; only AssetArchive is`);
  if (archive.uri !== undefined) throw new Error("a RemoteArchive is not translated");
  const assets = (await archive.assets) as Record<string, any>;
  const out: ZipEntry[] = [];
  for (const name of Object.keys(assets).sort()) {
    const a = assets[name];
    if (isArchive(a)) out.push(...(await entriesOf(a, `${prefix}${name}/`)));
    else if (a.text !== undefined) out.push({ name: `${prefix}${name}`, data: Buffer.from(await a.text, "utf8") });
    else if (a.path !== undefined) out.push({ name: `${prefix}${name}`, data: fs.readFileSync(path.resolve(PROJECT_ROOT, await a.path)) });
    else throw new Error(`archive entry ${prefix}${name} is neither a string nor a file asset`);
  }
  return out;
}

/** Zips the archive to `file` and returns its path and base64 SHA-256. */
export async function writeArchive(archive: unknown, file: string): Promise<ArchiveFile> {
  const bytes = zip(await entriesOf(archive, ""));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, bytes);
  return { path: file, sha256: crypto.createHash("sha256").update(bytes).digest("base64") };
}
