/**
 * Where the Pulumi AWS bridge (pulumi/pulumi-aws `provider/resources.go`,
 * https://github.com/pulumi/pulumi-aws/blob/master/provider/resources.go) departs from its naming
 * rules, and where @pulumi/aws 7.x (which embeds Terraform AWS provider 6.x) has arguments that
 * provider 5.100 lacks. The rules themselves live in translate.ts; everything here is an explicit
 * exception with a test (tests/tools/provider-check/renames.test.ts), and nothing not listed is
 * guessed.
 */

/**
 * Type tokens whose Terraform type is neither `aws_<module>_<resource>` nor `aws_<resource>`
 * (camelCase to snake_case). Source: the `Tok:` entries of resources.go for these Terraform types.
 */
export const TYPE_EXCEPTIONS: Readonly<Record<string, string>> = {
  "aws:cloudtrail/trail:Trail": "aws_cloudtrail",
  "aws:rds/subnetGroup:SubnetGroup": "aws_db_subnet_group",
  "aws:rds/parameterGroup:ParameterGroup": "aws_db_parameter_group",
  "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication": "aws_db_instance_automated_backups_replication",
  "aws:s3/bucketReplicationConfig:BucketReplicationConfig": "aws_s3_bucket_replication_configuration",
  // pulumi-aws provider/resources.go: "aws_s3_bucket_inventory": {Tok: awsResource(s3Mod, "Inventory")}.
  "aws:s3/inventory:Inventory": "aws_s3_bucket_inventory",
};

/**
 * Top-level inputs Pulumi names differently from the Terraform argument (resources.go `Fields`
 * with `Name:`), by Terraform type: Pulumi name -> Terraform name.
 */
export const PROPERTY_RENAMES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  // `function_name` is `function` in Pulumi (a `lambda.Function` or its name).
  aws_lambda_permission: { function: "function_name" },
  // `function_name` is the function's `name` (auto-named).
  aws_lambda_function: { name: "function_name" },
  // `log_group_name` is `logGroup` (a `cloudwatch.LogGroup` or its name).
  aws_cloudwatch_log_subscription_filter: { logGroup: "log_group_name" },
  // `alarm_name` is the resource's `name` (auto-named).
  aws_cloudwatch_metric_alarm: { name: "alarm_name" },
  // `topic_arn` is `topic` (an `sns.Topic` or its ARN).
  aws_sns_topic_subscription: { topic: "topic_arn" },
};

/**
 * The input the bridge auto-names (resources.go `SetAutonaming`: every resource whose Terraform
 * `name`, or what PROPERTY_RENAMES maps Pulumi's `name` to, is a settable string gets
 * `<logical name>-<random hex>` when the program sets neither it nor `namePrefix`). Pulumi does that in the provider's
 * Check, which the mocks do not run: the check takes the name the mocks gave the resource (its
 * state), which is also the name the rest of the stack refers to.
 */
export const AUTONAMED_INPUT = "name";

/**
 * Inputs that are Pulumi assets or archives: the Terraform argument takes a file name, and the
 * hash field (resources.go `AssetTranslation.HashField`) the base64 SHA-256 of the file.
 */
export const ARCHIVE_PROPERTIES: Readonly<Record<string, Readonly<Record<string, { name: string; hashField: string }>>>> = {
  aws_lambda_function: { code: { name: "filename", hashField: "source_code_hash" } },
};

/**
 * Arguments of Terraform AWS provider 6.x (embedded by @pulumi/aws 7.x) that 5.100 does not have,
 * and how the check handles each instead of dropping it.
 */
export interface Tf6Argument {
  /** Terraform argument name (top level of a resource). */
  name: string;
  /** Which resources: `*` for every resource that does not have the argument in 5.100. */
  resources: "*" | readonly string[];
  changelog: string;
  /** What the check does with it. */
  handling: "provider-alias";
}

/*
 * 6.0.0's BREAKING CHANGES for the Terraform types this program uses, reviewed against its inputs
 * (same changelog section): aws_eip `vpc` removed (the program sets `domain`), aws_flow_log
 * `log_group_name` removed (it sets `log_destination`), aws_instance `user_data` shown in clear and
 * `cpu_core_count`/`cpu_threads_per_core` removed (it sets `user_data_base64`, neither of the
 * others), aws_s3_bucket `bucket_region` added (computed). None reaches an input the program sets,
 * so `region` is the only entry. A translation that meets any other argument 5.100 lacks fails.
 */
export const TF6_ONLY_ARGUMENTS: readonly Tf6Argument[] = [
  {
    // 6.0.0: "provider: Add enhanced `region` support to most resources, data sources, and
    // ephemeral resources, allowing per-resource Region targeting without requiring multiple
    // provider configurations." The check gives such a resource a provider configuration of that
    // region (an alias), which is what 5.100 requires.
    name: "region",
    resources: "*",
    changelog:
      "https://github.com/hashicorp/terraform-provider-aws/blob/main/CHANGELOG.md#600-june-18-2025 (guide: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/guides/enhanced-region-support)",
    handling: "provider-alias",
  },
];

/** The 6.x-only argument entry for a top-level input of a Terraform type, if listed. */
export function tf6OnlyArgument(tfType: string, name: string): Tf6Argument | undefined {
  return TF6_ONLY_ARGUMENTS.find((a) => a.name === name && (a.resources === "*" || a.resources.includes(tfType)));
}
