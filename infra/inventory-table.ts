/**
 * A Glue table over an S3 Inventory in Parquet through its Hive symlinks, as Athena's "Querying
 * Amazon S3 Inventory with Athena" documents it: ParquetHiveSerDe, SymlinkTextInputFormat,
 * IgnoreKeyTextOutputFormat, partitioned by `dt` (the `hive/dt=YYYY-MM-DD-HH-MM/` folders), the
 * location being the `hive/` folder (or, for the archive's inventory as replicated, the folder the
 * completeness function writes its rewritten symlinks to).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/storage-inventory-athena-query.html
 * https://docs.amazonaws.cn/en_us/AmazonS3/latest/userguide/storage-inventory-location.html
 *
 * Only the columns this program's inventory has (INVENTORY_OPTIONAL_FIELDS plus the fixed ones);
 * the Parquet SerDe maps columns by name, so a subset reads correctly.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Column names and Hive types, in the order Athena's page lists them. */
export const INVENTORY_COLUMNS: readonly { name: string; type: string }[] = [
  { name: "bucket", type: "string" },
  { name: "key", type: "string" },
  { name: "version_id", type: "string" },
  { name: "is_latest", type: "boolean" },
  { name: "is_delete_marker", type: "boolean" },
  { name: "size", type: "bigint" },
  { name: "last_modified_date", type: "timestamp" },
  { name: "e_tag", type: "string" },
  { name: "replication_status", type: "string" },
  { name: "encryption_status", type: "string" },
  { name: "checksum_algorithm", type: "string" },
];

export const SYMLINK_INPUT_FORMAT = "org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat";
export const IGNORE_KEY_OUTPUT_FORMAT = "org.apache.hadoop.hive.ql.io.IgnoreKeyTextOutputFormat";
export const PARQUET_SERDE = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe";

export interface InventoryTableArgs {
  readonly databaseName: pulumi.Input<string>;
  readonly tableName: string;
  /** `s3://bucket/.../` holding `dt=.../symlink.txt` folders. */
  readonly location: pulumi.Input<string>;
  readonly description: string;
}

export function inventoryTable(name: string, args: InventoryTableArgs, opts: pulumi.CustomResourceOptions): aws.glue.CatalogTable {
  return new aws.glue.CatalogTable(
    name,
    {
      name: args.tableName,
      databaseName: args.databaseName,
      description: args.description,
      tableType: "EXTERNAL_TABLE",
      parameters: { EXTERNAL: "TRUE", classification: "parquet" },
      partitionKeys: [{ name: "dt", type: "string" }],
      storageDescriptor: {
        location: args.location,
        inputFormat: SYMLINK_INPUT_FORMAT,
        outputFormat: IGNORE_KEY_OUTPUT_FORMAT,
        serDeInfo: { serializationLibrary: PARQUET_SERDE, parameters: { "serialization.format": "1" } },
        columns: INVENTORY_COLUMNS.map((c) => ({ name: c.name, type: c.type })),
      },
    },
    opts,
  );
}
