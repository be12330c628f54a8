/** The auditLogPipeline config section (stacks/config/audit-log-pipeline.ts): its fields, and its rule tested directly. */
import { parseConfig } from "../../stacks/config";
import { auditArchiveProblems } from "../../stacks/config/audit-log-pipeline";
import { backupStackConfig, configErrorOf } from "../helpers/config";

const PRIMARY = { "aws:region": "cn-north-1" };
const KEY = "arn:aws-cn:kms:cn-north-1:123456789012:key/0b7f5a3e-1111-2222-3333-444455556666";
const withAudit = (over: Record<string, unknown>) => {
  const cfg = parseConfig(PRIMARY, "cn-north-1");
  return { ...cfg, auditLogPipeline: { ...cfg.auditLogPipeline, ...over } };
};

const problems = (auditLogPipeline: unknown): string =>
  configErrorOf({ ...PRIMARY, "cn-log-backup:auditLogPipeline": JSON.stringify(auditLogPipeline) }, "cn-north-1");

describe("auditLogPipeline config", () => {
  test("the documented REST path version and memory by default; both archive keys unset", () => {
    const audit = parseConfig(PRIMARY, "cn-north-1").auditLogPipeline;
    expect(audit).toMatchObject({ restPathVersion: "v13", downloaderMemoryMb: 1024, archiveBucketName: undefined, archiveKmsKeyArn: undefined });
  });

  test("the archive bucket and its key: both or neither", () => {
    expect(auditArchiveProblems(withAudit({}))).toEqual([]);
    expect(auditArchiveProblems(withAudit({ archiveBucketName: "my-bucket", archiveKmsKeyArn: KEY }))).toEqual([]);
    expect(auditArchiveProblems(withAudit({ archiveKmsKeyArn: KEY }))).toEqual([
      { key: "cn-log-backup:auditLogPipeline.archiveBucketName", message: `is unset while auditLogPipeline.archiveKmsKeyArn is "${KEY}"; set both or neither` },
    ]);
    expect(auditArchiveProblems({ stack: "s" })).toEqual([]);
  });

  test("a REST path version AWS does not document, a bucket name S3 refuses, and memory out of range are refused", () => {
    const msg = problems({ restPathVersion: "v20", archiveBucketName: "My_Bucket", archiveKmsKeyArn: KEY, downloaderMemoryMb: 128 });
    expect(msg).toContain('cn-log-backup:auditLogPipeline.restPathVersion: "v20" is not allowed; expected one of v13, v19');
    expect(msg).toContain(
      'cn-log-backup:auditLogPipeline.archiveBucketName: "My_Bucket" is not allowed; expected an S3 bucket name (3-63 lowercase letters, digits, dots, hyphens)',
    );
    expect(msg).toContain("cn-log-backup:auditLogPipeline.downloaderMemoryMb: 128 is not allowed; expected an integer from 256 to 10240");
  });
});

// The downloader holds queueSize + 1 = 3 part buffers of partSizeMb MiB (functions/audit-log/multipart.ts,
// uploadStream; DOWNLOADER_QUEUE_SIZE 2 in functions/audit-log/settings.ts), one more part's worth for the
// transfer, plus 128 MiB of headroom: the minimum is 4 x partSizeMb + 128.
describe("auditLogPipeline: the downloader's memory holds its part buffers", () => {
  const ok = (auditLogPipeline: unknown) =>
    parseConfig({ ...PRIMARY, "cn-log-backup:auditLogPipeline": JSON.stringify(auditLogPipeline) }, "cn-north-1").auditLogPipeline;

  test("the defaults (1024 MB, 8 MiB parts) pass", () => {
    expect(ok({})).toMatchObject({ downloaderMemoryMb: 1024, partSizeMb: 8 });
  });

  test("512 MiB parts in 256 MB are refused at preview, naming both keys, the value and the minimum for that part size", () => {
    expect(problems({ partSizeMb: 512, downloaderMemoryMb: 256 })).toContain(
      "cn-log-backup:auditLogPipeline.downloaderMemoryMb: 256 is not allowed with cn-log-backup:auditLogPipeline.partSizeMb 512; expected at least 2176 (4 x 512 MiB: the downloader's 3 part buffers and one part's worth for the transfer, plus 128 MiB for the runtime and the function's start-up), or partSizeMb at most 32",
    );
  });

  test.each([
    [100, 528],
    [33, 260],
    [512, 2176],
  ])("partSizeMb %i: downloaderMemoryMb %i (the minimum) passes, one below fails", (partSizeMb, min) => {
    expect(ok({ partSizeMb, downloaderMemoryMb: min })).toMatchObject({ partSizeMb, downloaderMemoryMb: min });
    expect(problems({ partSizeMb, downloaderMemoryMb: min - 1 })).toContain(
      `cn-log-backup:auditLogPipeline.downloaderMemoryMb: ${min - 1} is not allowed with cn-log-backup:auditLogPipeline.partSizeMb ${partSizeMb}; expected at least ${min} `,
    );
  });

  test("the smallest memory, 256 MB, holds parts of up to 32 MiB; a part size out of range is reported once, by its own field", () => {
    expect(ok({ partSizeMb: 32, downloaderMemoryMb: 256 })).toMatchObject({ partSizeMb: 32, downloaderMemoryMb: 256 });
    expect(problems({ partSizeMb: 33, downloaderMemoryMb: 256 })).toContain("expected at least 260");
    const msg = problems({ partSizeMb: 1024, downloaderMemoryMb: 256 });
    expect(msg).toContain("cn-log-backup:auditLogPipeline.partSizeMb: 1024 is not allowed; expected an integer from 5 to 512");
    expect(msg).not.toContain("downloaderMemoryMb");
  });

  test("not checked where no downloader is built: the pipeline off, or the backup stack", () => {
    const tight = { partSizeMb: 512, downloaderMemoryMb: 256 };
    expect(ok({ ...tight, enabled: false })).toMatchObject({ enabled: false, partSizeMb: 512 });
    expect(parseConfig(backupStackConfig({ auditLogPipeline: tight }), "cn-northwest-1").auditLogPipeline).toMatchObject(tight);
  });
});
