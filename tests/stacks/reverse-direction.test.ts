/**
 * The reverse direction (README "Reverse direction", issue 17 item 3): Ningxia is the primary,
 * Beijing the backup. The harness must run Pulumi.cn-north-1.yaml as the backup stack first and
 * hand its outputs to the Ningxia primary, as the pair is deployed; the program must replicate and
 * copy into Beijing and no description may still say the copy goes to Ningxia.
 */
import { StackRun, ofType, one } from "../../tools/harness";
import { REVERSE, runVariant, variant } from "../../tools/variants";

const descriptions = (run: StackRun) =>
  run.resources.flatMap((r) => [r.inputs.description, r.inputs.alarmDescription].filter((d): d is string => typeof d === "string"));

describe.each([false, true])("reverse direction (preview: %s)", (preview) => {
  let backup: StackRun;
  let primary: StackRun;
  beforeAll(async () => {
    // The backup stack is deployed first, so the primary's preview reads its real outputs.
    backup = await runVariant("cn-north-1", variant(REVERSE), { preview: false });
    primary = await runVariant("cn-northwest-1", variant(REVERSE), { preview });
  });

  test("Beijing's stack file is the backup stack, Ningxia's the primary", () => {
    expect(backup.outputs.role).toBe("backup");
    expect(backup.outputs.region).toBe("cn-north-1");
    expect(primary.outputs.role).toBe("primary");
    expect(primary.outputs.region).toBe("cn-northwest-1");
  });

  test("the primary reads the Beijing backup stack by its name and replicates into its replica", () => {
    const ref = one(primary, "pulumi:pulumi:StackReference", "backup-stack");
    expect(ref.inputs.name).toBe("organization/cn-log-backup/cn-north-1");
    const replica = backup.outputs.logArchiveReplicaBucketArn as string;
    expect(replica).toMatch(/^arn:aws-cn:s3:::/);
    const rule = one(primary, "aws:s3/bucketReplicationConfig:BucketReplicationConfig", "replication").inputs.rules[0];
    expect(rule.destination.bucket).toBe(replica);
    expect(rule.destination.encryptionConfiguration.replicaKmsKeyId).toBe(backup.outputs.logArchiveReplicaKeyArn);
    expect(String(backup.outputs.logArchiveReplicaKeyArn)).toMatch(/^arn:aws-cn:kms:cn-north-1:/);
  });

  test("the destination vault is in Beijing and the primary's copies go there", () => {
    for (const v of ofType(backup, "aws:backup/vault:Vault")) expect(v.region).toBe("cn-north-1");
    const starter = primary.resources.find((r) => r.type === "aws:lambda/function:Function" && r.name.includes("copy-starter"));
    const dest = starter?.inputs.environment?.variables?.destinationVaultArn;
    if (!preview || typeof dest === "string") expect(dest).toMatch(/^arn:aws-cn:backup:cn-north-1:\d{12}:backup-vault:/);
  });

  test("descriptions name the regions as configured, never the default direction", () => {
    const all = [...descriptions(backup), ...descriptions(primary)];
    expect(all.some((d) => d.includes("replica (Beijing)"))).toBe(true);
    expect(all.some((d) => d.includes("to Beijing"))).toBe(true);
    for (const d of all) {
      expect(d).not.toMatch(/to Ningxia|replica \(Ningxia\)|archive \(Beijing\)|reaches Ningxia|reached Ningxia/);
    }
  });
});

describe("reverse direction without backupStackName", () => {
  test("the Ningxia primary is refused: the default backupStackName names itself", () => {
    const { parseConfig } = require("../../stacks/config") as typeof import("../../stacks/config");
    const all = {
      "aws:region": "cn-northwest-1",
      "cn-log-backup:primaryRegion": "cn-northwest-1",
      "cn-log-backup:backupRegion": "cn-north-1",
    };
    expect(() => parseConfig(all, "cn-northwest-1")).toThrow(
      'cn-log-backup:backupStackName: "organization/cn-log-backup/cn-northwest-1" names this stack, the primary; expected the backup stack (in backupRegion cn-north-1), e.g. organization/cn-log-backup/cn-north-1',
    );
    expect(() => parseConfig({ ...all, "cn-log-backup:backupStackName": "organization/cn-log-backup/cn-north-1" }, "cn-northwest-1")).not.toThrow();
  });
});
