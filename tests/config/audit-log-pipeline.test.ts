/** The auditLogPipeline config section (stacks/config/audit-log-pipeline.ts): its fields, and its rule tested directly. */
import { parseConfig } from "../../stacks/config";
import { auditArchiveProblems } from "../../stacks/config/audit-log-pipeline";
import { configErrorOf } from "../helpers/config";

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
