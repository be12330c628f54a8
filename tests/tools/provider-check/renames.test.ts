/**
 * The exception tables of tools/provider-check/renames.ts: every entry names a real @pulumi/aws
 * type or input and a real Terraform type or argument, and is needed (the naming rule alone would
 * not find it). Checked against @pulumi/aws 7.48.0's own files and the provider's schema.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ARCHIVE_PROPERTIES, PROPERTY_RENAMES, TF6_ONLY_ARGUMENTS, TYPE_EXCEPTIONS } from "../../../tools/provider-check/renames";
import { parseToken, snakeCase, terraformType } from "../../../tools/provider-check/pulumi-types";
import { ProviderSchema, member, parseProviderSchema } from "../../../tools/provider-check/schema";
import { memberForPulumiName } from "../../../tools/provider-check/names";
import { AWS_PROVIDER_VERSION, terraform, terraformEnv, writeCliConfig } from "../../../tools/provider-check/terraform";
import { describeWithTerraform } from "../../helpers/terraform";

const SDK = path.dirname(require.resolve("@pulumi/aws/package.json"));

/** The Args interface text of a type token in @pulumi/aws's declarations. */
function argsOf(token: string): string {
  const { module, resource, className } = parseToken(token);
  const text = fs.readFileSync(path.join(SDK, module, `${resource}.d.ts`), "utf8");
  const start = text.indexOf(`export interface ${className}Args {`);
  expect(start).toBeGreaterThan(0);
  return text.slice(start, text.indexOf("\n}", start));
}

/** The @pulumi/aws token of a Terraform type in the tables (reverse lookup by module file). */
function tokenFor(tfType: string): string {
  const tokens: Record<string, string> = {
    aws_lambda_permission: "aws:lambda/permission:Permission",
    aws_lambda_function: "aws:lambda/function:Function",
    aws_cloudwatch_log_subscription_filter: "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter",
    aws_cloudwatch_metric_alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    aws_sns_topic_subscription: "aws:sns/topicSubscription:TopicSubscription",
  };
  expect(tokens[tfType]).toBeDefined();
  return tokens[tfType];
}

describe("exception tables against @pulumi/aws 7.48.0", () => {
  test.each(Object.keys(TYPE_EXCEPTIONS))("%s is a resource class of @pulumi/aws", (token) => {
    const { module, resource } = parseToken(token);
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const mod = require(path.join(SDK, module, resource));
    const cls = Object.values(mod).find((v: any) => v && v.__pulumiType === token);
    expect(cls).toBeDefined();
  });

  test.each(Object.entries(PROPERTY_RENAMES).flatMap(([tf, m]) => Object.keys(m).map((p) => [tf, p])))(
    "%s: `%s` is an input of the Pulumi resource",
    (tf, prop) => {
      expect(argsOf(tokenFor(tf))).toMatch(new RegExp(`^\\s+${prop}\\??: pulumi\\.Input<`, "m"));
    },
  );

  test("Lambda's `code` is an archive input in Pulumi", () => {
    expect(Object.keys(ARCHIVE_PROPERTIES)).toEqual(["aws_lambda_function"]);
    expect(argsOf("aws:lambda/function:Function")).toMatch(/^\s+code\?: pulumi\.Input<pulumi\.asset\.Archive/m);
  });

  test("`region` is a 6.x argument @pulumi/aws 7.x has on resources (e.g. SQS queues)", () => {
    expect(TF6_ONLY_ARGUMENTS.map((a) => [a.name, a.handling])).toEqual([["region", "provider-alias"]]);
    expect(argsOf("aws:sqs/queue:Queue")).toMatch(/^\s+region\?: pulumi\.Input<string/m);
    expect(TF6_ONLY_ARGUMENTS[0].changelog).toMatch(/terraform-provider-aws\/blob\/main\/CHANGELOG\.md#600/);
  });
});

describeWithTerraform(
  "exception tables against the Terraform AWS provider 5.100.0 schema",
  () => {
    let schema: ProviderSchema;
    let dir: string;
    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "provider-schema-"));
      const env = terraformEnv(writeCliConfig(dir));
      fs.writeFileSync(
        path.join(dir, "main.tf.json"),
        JSON.stringify({ terraform: { required_providers: { aws: { source: "hashicorp/aws", version: AWS_PROVIDER_VERSION } } } }),
      );
      const init = await terraform(["init", "-input=false", "-no-color", "-backend=false"], dir, env);
      expect(init.stderr).toBe("");
      schema = parseProviderSchema((await terraform(["providers", "schema", "-json"], dir, env)).stdout);
    }, 120000);
    afterAll(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

    test.each(Object.entries(TYPE_EXCEPTIONS))("%s is %s, which the naming rule would not find", (token, tfType) => {
      expect(schema.resource_schemas[tfType]).toBeDefined();
      const { module, resource } = parseToken(token);
      expect(schema.resource_schemas[`aws_${module}_${snakeCase(resource)}`]).toBeUndefined();
      expect(schema.resource_schemas[`aws_${snakeCase(resource)}`]).toBeUndefined();
      expect(terraformType(token, schema)).toBe(tfType);
    });

    test("the rule finds both shapes: aws_<module>_<resource> and aws_<resource>", () => {
      expect(terraformType("aws:sqs/queue:Queue", schema)).toBe("aws_sqs_queue");
      expect(terraformType("aws:ec2/vpc:Vpc", schema)).toBe("aws_vpc");
      expect(terraformType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", schema)).toBe("aws_vpc_security_group_ingress_rule");
    });

    test.each(Object.entries(PROPERTY_RENAMES).flatMap(([tf, m]) => Object.entries(m).map(([p, t]) => [tf, p, t])))(
      "%s: `%s` is the argument %s, which the rule would not find",
      (tf, prop, tfName) => {
        const block = schema.resource_schemas[tf].block;
        expect(member(block, tfName)).toBeDefined();
        expect(memberForPulumiName(block, prop)?.name).not.toBe(tfName);
      },
    );

    test("Lambda's archive goes to `filename`, its hash to `source_code_hash`", () => {
      const a = schema.resource_schemas.aws_lambda_function.block.attributes!;
      expect(a.filename).toMatchObject({ type: "string", optional: true });
      expect(a.source_code_hash).toMatchObject({ type: "string", optional: true });
      expect(a.code).toBeUndefined();
    });

    test("provider 5.100 has no per-resource `region` (the 6.x argument handled by a provider alias)", () => {
      for (const t of ["aws_sqs_queue", "aws_lambda_function", "aws_iam_role_policy", "aws_backup_vault"]) {
        expect(schema.resource_schemas[t].block.attributes!.region).toBeUndefined();
      }
    });
  },
  { moto: false },
);
