import { parseConfig, configReference } from "../../stacks/config";
import { stackConfig } from "../../tools/harness";
import { configErrorOf } from "../helpers/config";

const base = (): Record<string, string> => ({
  "aws:region": "cn-north-1",
  "cn-log-backup:primaryRegion": "cn-north-1",
  "cn-log-backup:backupRegion": "cn-northwest-1",
});

const problemsOf = (all: Record<string, string>, stack = "cn-north-1"): string => configErrorOf(all, stack);

describe("stack role", () => {
  test("the region equal to primaryRegion is the primary, the other the backup", () => {
    expect(parseConfig(base(), "cn-north-1").role).toBe("primary");
    expect(parseConfig({ ...base(), "aws:region": "cn-northwest-1" }, "cn-northwest-1").role).toBe("backup");
  });

  test("roles follow the config, not fixed regions: swapping the regions swaps the roles", () => {
    const swapped = { ...base(), "cn-log-backup:primaryRegion": "cn-northwest-1", "cn-log-backup:backupRegion": "cn-north-1" };
    expect(parseConfig(swapped, "s").role).toBe("backup");
  });

  test("both stack files parse, with the roles their regions imply", () => {
    expect(parseConfig(stackConfig("cn-north-1"), "cn-north-1").role).toBe("primary");
    expect(parseConfig(stackConfig("cn-northwest-1"), "cn-northwest-1").role).toBe("backup");
  });

  test("defaults apply when keys are absent", () => {
    const cfg = parseConfig({ "aws:region": "cn-northwest-1" }, "cn-northwest-1");
    expect(cfg.primaryRegion).toBe("cn-north-1");
    expect(cfg.backupRegion).toBe("cn-northwest-1");
    expect(cfg.lambdaLogRetentionDays).toBe(365);
    expect(cfg.kmsKeyDeletionWindowDays).toBe(30);
    expect(cfg.backupAccountId).toBeUndefined();
    expect(cfg.tags).toEqual({});
    expect(cfg.logArchive.archiveRetentionDays).toBe(400);
  });
});

describe("config errors name the key, the value and what is allowed", () => {
  test("aws:region outside China", () => {
    const msg = problemsOf({ ...base(), "aws:region": "us-east-1" });
    expect(msg).toContain('aws:region: "us-east-1" is not allowed; expected one of cn-north-1, cn-northwest-1');
  });

  test("aws:region missing", () => {
    const all = base();
    delete all["aws:region"];
    expect(problemsOf(all)).toContain("aws:region: is required; expected one of cn-north-1, cn-northwest-1");
  });

  test("primaryRegion outside China", () => {
    expect(problemsOf({ ...base(), "cn-log-backup:primaryRegion": "ap-east-1" })).toContain(
      'cn-log-backup:primaryRegion: "ap-east-1" is not allowed; expected one of cn-north-1, cn-northwest-1',
    );
  });

  test("primaryRegion == backupRegion", () => {
    expect(problemsOf({ ...base(), "cn-log-backup:backupRegion": "cn-north-1" })).toContain(
      'cn-log-backup:backupRegion: "cn-north-1" equals primaryRegion; the backup must be in the other China region',
    );
  });

  test.each([["0"], ["-3"], ["2.5"], ["ten"]])("retention %s is not a CloudWatch Logs retention", (v) => {
    expect(problemsOf({ ...base(), "cn-log-backup:lambdaLogRetentionDays": v })).toContain(
      `cn-log-backup:lambdaLogRetentionDays: "${v}" is not allowed; expected one of the CloudWatch Logs retention periods (1, 3, 5, 7, 14, 30`,
    );
  });

  test("a retention in a section that is not a positive integer, or below the legal minimum", () => {
    expect(problemsOf({ ...base(), "cn-log-backup:logArchive": JSON.stringify({ archiveRetentionDays: -1 }) })).toContain(
      "cn-log-backup:logArchive.archiveRetentionDays: -1 is not allowed; expected an integer from 180 to 36500",
    );
    expect(problemsOf({ ...base(), "cn-log-backup:logArchive": JSON.stringify({ archiveRetentionDays: 90 }) })).toContain(
      "cn-log-backup:logArchive.archiveRetentionDays: 90 is not allowed; expected an integer from 180 to 36500",
    );
  });

  test("an unknown key under a component's section", () => {
    expect(problemsOf({ ...base(), "cn-log-backup:logArchive": JSON.stringify({ archiveRetentionDay: 400 }) })).toContain(
      "cn-log-backup:logArchive.archiveRetentionDay: unknown key; allowed keys here: archiveRetentionDays",
    );
  });

  test("an unknown top-level key in the project namespace (a typo)", () => {
    expect(problemsOf({ ...base(), "cn-log-backup:backupRegoin": "cn-northwest-1" })).toContain(
      "cn-log-backup:backupRegoin: unknown key; allowed keys here: primaryRegion, backupRegion",
    );
  });

  test("a section that is not an object", () => {
    expect(problemsOf({ ...base(), "cn-log-backup:auroraLab": "yes" })).toContain(
      'cn-log-backup:auroraLab: "yes" is not valid; expected an object with keys enabled',
    );
  });

  test("a malformed account id", () => {
    expect(problemsOf({ ...base(), "cn-log-backup:backupAccountId": "1234-5678" })).toContain(
      'cn-log-backup:backupAccountId: "1234-5678" is not allowed; expected a 12-digit AWS account id',
    );
  });

  test("a non-boolean flag", () => {
    expect(problemsOf({ ...base(), "cn-log-backup:auroraLab": JSON.stringify({ enabled: "yes" }) })).toContain(
      'cn-log-backup:auroraLab.enabled: "yes" is not allowed; expected true or false',
    );
  });

  test("a KMS deletion window outside 7-30", () => {
    expect(problemsOf({ ...base(), "cn-log-backup:kmsKeyDeletionWindowDays": "3" })).toContain(
      'cn-log-backup:kmsKeyDeletionWindowDays: "3" is not allowed; expected an integer from 7 to 30',
    );
  });

  test("tags that are not a map of strings, or use the reserved aws: prefix", () => {
    expect(problemsOf({ ...base(), "cn-log-backup:tags": JSON.stringify({ "aws:owner": "x" }) })).toContain("cn-log-backup:tags:");
    expect(problemsOf({ ...base(), "cn-log-backup:tags": JSON.stringify({ owner: 3 }) })).toContain(
      "expected an object of tag keys (1-128 characters, not starting with aws:) to string values",
    );
  });

  test("a malformed stack reference name", () => {
    expect(problemsOf({ ...base(), "cn-log-backup:backupStackName": "a/b/c/d" })).toContain(
      'cn-log-backup:backupStackName: "a/b/c/d" is not allowed; expected a stack name, optionally qualified as <org>/<project>/<stack>',
    );
  });

  test("every problem is reported at once, with the stack file to fix", () => {
    const msg = problemsOf(
      { ...base(), "aws:region": "us-west-2", "cn-log-backup:backupAccountId": "x", "cn-log-backup:kmsKeyDeletionWindowDays": "99" },
      "cn-north-1",
    );
    expect(msg.split("\n").filter((l) => l.startsWith("  - "))).toHaveLength(3);
    expect(msg).toMatch(/^Invalid configuration for stack "cn-north-1":/);
    expect(msg).toContain("Fix these in Pulumi.cn-north-1.yaml");
  });
});

describe("problem order", () => {
  test("field problems first, in declaration order, then the cross-key rules of every section in CONFIG_RULES order", () => {
    const set = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [`cn-log-backup:${k}`, JSON.stringify(v)]));
    const msg = problemsOf(
      {
        "aws:region": "cn-north-1",
        ...set({
          kmsKeyDeletionWindowDays: 3,
          auroraLab: { enabled: true, sysbenchSource: "https://example.com/sysbench.tgz" },
          auditLogPipeline: { archiveBucketName: "my-bucket" },
          lambdaNetwork: { securityGroupIds: ["sg-0cccccccccccccccc"] },
          backupEvents: { retainAfterCopyDays: 40 },
          logArchive: { infrequentAccessAfterDays: 40, glacierAfterDays: 60 },
        }),
        "cn-log-backup:backupStackName": "cn-north-1",
      },
      "cn-north-1",
    );
    const keys = msg
      .split("\n")
      .filter((l) => l.startsWith("  - "))
      .map((l) => l.slice(4, l.indexOf(": ")));
    expect(keys).toEqual([
      "cn-log-backup:kmsKeyDeletionWindowDays",
      "cn-log-backup:auroraLab.sysbenchSource",
      "cn-log-backup:auditLogPipeline.archiveKmsKeyArn",
      "cn-log-backup:lambdaNetwork.subnetIds",
      "cn-log-backup:backupEvents.retainAfterCopyDays",
      "cn-log-backup:backupStackName",
      "cn-log-backup:logArchive.glacierAfterDays",
    ]);
  });
});

describe("config reference", () => {
  test("lists every key with its default and what is allowed", () => {
    const rows = configReference();
    const byKey = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(byKey["primaryRegion"]).toMatchObject({ default: '"cn-north-1"', allowed: "one of cn-north-1, cn-northwest-1" });
    expect(byKey["logArchive.archiveRetentionDays"]).toMatchObject({ default: "400", allowed: "an integer from 180 to 36500" });
    expect(byKey["backupAccountId"].default).toBe("(unset)");
  });
});
