/**
 * The downloader's memory must hold its part buffers (stacks/config/audit-log-pipeline.ts): the
 * primary stack's own file with `partSizeMb: 512` and `downloaderMemoryMb: 256`, as a user would
 * edit it, is refused before any resource is registered, as `pulumi preview` would meet it.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_ROOT, runStack } from "../../tools/harness";

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "cn-log-backup-downloader-memory-"));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test("Pulumi.cn-north-1.yaml with 512 MiB parts in a 256 MB downloader: the preview fails naming both keys and the minimum", async () => {
  const text = fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.cn-north-1.yaml"), "utf8");
  const edited = text.replace(/^(\s+downloaderMemoryMb:\s*)1024$/m, "$1256").replace(/^(\s+partSizeMb:\s*)8$/m, "$1512");
  expect(edited.match(/^\s+(downloaderMemoryMb: 256|partSizeMb: 512)$/gm)).toHaveLength(2);
  const file = path.join(dir, "Pulumi.cn-north-1.yaml");
  fs.writeFileSync(file, edited);
  const run = runStack("cn-north-1", { configFile: file, preview: true });
  await expect(run).rejects.toThrow(
    "cn-log-backup:auditLogPipeline.downloaderMemoryMb: 256 is not allowed with cn-log-backup:auditLogPipeline.partSizeMb 512; expected at least 2176 ",
  );
  await expect(run).rejects.toThrow("Fix these in Pulumi.cn-north-1.yaml");
});
