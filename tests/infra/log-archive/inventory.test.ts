/**
 * S3 Inventory of the archive (Beijing) and of the replica (Ningxia), each into its own bucket's
 * inventory/ (infra/log-archive/inventory.ts): the configuration's key properties, the bucket and key
 * policy statements that admit the delivery, the lifecycle of inventory/, and the flag's default.
 */
import { ACCOUNT_ID, one, policyOf, runStack } from "../../helpers/pulumi";
import type { StackRun } from "../../../tools/harness";

const INVENTORY = "aws:s3/inventory:Inventory";
const BUCKET = "aws:s3/bucket:Bucket";

function stmt(rec: { inputs: any }, sid: string, key = "policy"): any {
  const found = (policyOf(rec as any, key).Statement as any[]).find((s) => s.Sid === sid);
  if (!found) throw new Error(`no statement ${sid}`);
  return found;
}

describe.each([
  ["primary (Beijing)", "cn-north-1", "log-archive-archive"],
  ["backup (Ningxia)", "cn-northwest-1", "log-archive-replica"],
])("LogArchive S3 Inventory, %s", (_label, stack, bucketName) => {
  let run: StackRun;
  beforeAll(async () => {
    run = await runStack(stack, { config: { logArchive: { inventory: true } } });
  }, 300000);

  test("daily, every version, the comparison's fields, Parquet, SSE-KMS with the bucket's own key, into its own inventory/", () => {
    const bucket = one(run, BUCKET, bucketName);
    const key = one(run, "aws:kms/key:Key", `${bucketName}-key`);
    const inv = one(run, INVENTORY, `${bucketName}-inventory`);
    expect(inv.inputs.bucket).toBe(bucket.state.bucket);
    expect(inv.inputs.enabled).toBe(true);
    expect(inv.inputs.schedule).toEqual({ frequency: "Daily" });
    expect(inv.inputs.includedObjectVersions).toBe("All");
    expect([...inv.inputs.optionalFields].sort()).toEqual(["ChecksumAlgorithm", "ETag", "EncryptionStatus", "LastModifiedDate", "ReplicationStatus", "Size"]);
    expect(inv.inputs.filter).toBeUndefined();
    expect(inv.inputs.destination.bucket).toEqual({
      bucketArn: bucket.state.arn,
      accountId: ACCOUNT_ID,
      format: "Parquet",
      prefix: "inventory",
      encryption: { sseKms: { keyId: key.state.arn } },
    });
  });

  test("the bucket policy admits S3 to write inventory/ only, for this bucket and account, with the owner ACL", () => {
    const bucket = one(run, BUCKET, bucketName);
    const s = stmt(one(run, "aws:s3/bucketPolicy:BucketPolicy", `${bucketName}-policy`), "S3InventoryDelivers");
    expect(s).toEqual({
      Sid: "S3InventoryDelivers",
      Effect: "Allow",
      Principal: { Service: "s3.amazonaws.com" },
      Action: ["s3:PutObject"],
      Resource: [`${bucket.state.arn}/inventory/*`],
      Condition: {
        StringEquals: { "aws:SourceAccount": ACCOUNT_ID, "s3:x-amz-acl": "bucket-owner-full-control" },
        ArnLike: { "aws:SourceArn": bucket.state.arn },
      },
    });
  });

  test("the bucket's key lets S3 Inventory of this bucket (by its auto-name pattern, known at preview) generate data keys, nothing more", () => {
    const bucket = one(run, BUCKET, bucketName);
    const s = stmt(one(run, "aws:kms/key:Key", `${bucketName}-key`), "S3InventoryEncryptsReports");
    const pattern: string = s.Condition.ArnLike["aws:SourceArn"];
    expect(pattern).toBe(`arn:aws-cn:s3:::${bucketName}-*`);
    // The pattern covers the bucket as auto-named (the mocks name it as Pulumi does: <name>-<7 hex>).
    expect(bucket.state.arn).toMatch(new RegExp(`^${pattern.replace(/\*$/, "")}[0-9a-f]{7}$`));
    expect(s).toEqual({
      Sid: "S3InventoryEncryptsReports",
      Effect: "Allow",
      Principal: { Service: "s3.amazonaws.com" },
      Action: ["kms:GenerateDataKey"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID }, ArnLike: { "aws:SourceArn": `arn:aws-cn:s3:::${bucketName}-*` } },
    });
  });

  test("inventory/ expires no sooner than 180 days", () => {
    const rules: any[] = one(run, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", `${bucketName}-lifecycle`).inputs.rules;
    const covering = rules.filter((r) => r.expiration?.days !== undefined && "inventory/x".startsWith(r.filter?.prefix ?? ""));
    expect(covering.length).toBeGreaterThan(0);
    for (const r of covering) expect(r.expiration.days).toBeGreaterThanOrEqual(180);
    if (stack === "cn-north-1") expect(rules.find((r) => r.id === "inventory")).toMatchObject({ filter: { prefix: "inventory/" }, status: "Enabled" });
  });
});

describe("LogArchive S3 Inventory is off by default (availability in China unconfirmed)", () => {
  test.each(["cn-north-1", "cn-northwest-1"])(
    "%s: no inventory, no S3 statements",
    async (stack) => {
      const run = await runStack(stack);
      expect(run.resources.filter((r) => r.type === INVENTORY)).toEqual([]);
      const suffix = stack === "cn-north-1" ? "log-archive-archive" : "log-archive-replica";
      const sids = (policyOf(one(run, "aws:s3/bucketPolicy:BucketPolicy", `${suffix}-policy`), "policy").Statement as any[]).map((s) => s.Sid);
      expect(sids).not.toContain("S3InventoryDelivers");
    },
    300000,
  );
});
