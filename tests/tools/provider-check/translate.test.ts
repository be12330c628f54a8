/**
 * The translation's rules on a small schema in the provider's format (no Terraform needed): each
 * rule places what it must, and anything it cannot place is an error naming the input.
 */
import * as zlib from "zlib";
import type { ResourceRecord } from "../../../tools/types";
import { ProviderSchema } from "../../../tools/provider-check/schema";
import { escapeTemplate, translateResource } from "../../../tools/provider-check/translate";
import { zip } from "../../../tools/provider-check/zip";
import { configText, withoutAliases } from "../../../tools/provider-check/config";

const schema: ProviderSchema = {
  provider: { block: {} },
  resource_schemas: {
    aws_sqs_queue: {
      version: 0,
      block: {
        attributes: {
          name: { type: "string", optional: true, computed: true },
          message_retention_seconds: { type: "number", optional: true },
          policy: { type: "string", optional: true },
          tags: { type: ["map", "string"], optional: true },
          arn: { type: "string", computed: true },
        },
      },
    },
    aws_iam_role: {
      version: 0,
      block: { attributes: { assume_role_policy: { type: "string", required: true }, name: { type: "string", optional: true } } },
    },
    aws_s3_bucket_lifecycle_configuration: {
      version: 0,
      block: {
        attributes: { bucket: { type: "string", required: true } },
        block_types: {
          rule: {
            nesting_mode: "list",
            block: {
              attributes: { id: { type: "string", required: true }, status: { type: "string", required: true } },
              block_types: {
                expiration: { nesting_mode: "list", block: { attributes: { days: { type: "number", optional: true } } } },
                transition: {
                  nesting_mode: "set",
                  block: { attributes: { days: { type: "number", optional: true }, storage_class: { type: "string", required: true } } },
                },
              },
            },
          },
        },
      },
    },
    aws_security_group: {
      version: 0,
      block: {
        attributes: {
          ingress: {
            type: ["set", ["object", { from_port: "number", to_port: "number", protocol: "string", cidr_blocks: ["list", "string"] }]],
            optional: true,
            computed: true,
          },
        },
      },
    },
  },
};

function record(type: string, inputs: Record<string, any>, state: Record<string, any> = {}): ResourceRecord {
  return { type, name: "r", urn: "urn:r", inputs, state: { ...inputs, ...state }, propertyDependencies: {}, custom: true, region: "cn-north-1" };
}

const translate = (r: ResourceRecord) => translateResource(r, { schema, stackRegion: "cn-north-1" });

describe("translation against the provider schema", () => {
  test("camelCase inputs land on snake_case arguments; numbers and maps keep their types", () => {
    const { resource, errors } = translate(record("aws:sqs/queue:Queue", { messageRetentionSeconds: 1209600, tags: { owner: "platform" } }));
    expect(errors).toEqual([]);
    expect(resource!.tfType).toBe("aws_sqs_queue");
    expect(resource!.body).toEqual({ message_retention_seconds: 1209600, tags: { owner: "platform" } });
  });

  test("the auto-name the mocks gave the resource is its Terraform name", () => {
    const { resource } = translate(record("aws:sqs/queue:Queue", {}, { name: "errors-1a2b3c4" }));
    expect(resource!.body).toEqual({ name: "errors-1a2b3c4" });
  });

  test("no auto-name where the program gives a name prefix (Terraform refuses both)", () => {
    const s2: ProviderSchema = JSON.parse(JSON.stringify(schema));
    s2.resource_schemas.aws_sqs_queue.block.attributes!.name_prefix = { type: "string", optional: true };
    const { resource } = translateResource(record("aws:sqs/queue:Queue", { namePrefix: "errors-" }, { name: "errors-1a2b3c4" }), {
      schema: s2,
      stackRegion: "cn-north-1",
    });
    expect(resource!.body).toEqual({ name_prefix: "errors-" });
  });

  test("plural list names go back to their blocks; a single object becomes one block", () => {
    const { resource, errors } = translate(
      record("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", {
        bucket: "b",
        rules: [{ id: "x", status: "Enabled", expiration: { days: 30 }, transitions: [{ days: 7, storageClass: "GLACIER" }] }],
      }),
    );
    expect(errors).toEqual([]);
    expect(resource!.body).toEqual({
      bucket: "b",
      rule: [{ id: "x", status: "Enabled", expiration: [{ days: 30 }], transition: [{ days: 7, storage_class: "GLACIER" }] }],
    });
  });

  test("a policy-document object becomes JSON text only where Pulumi types it string | PolicyDocument", () => {
    const doc = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "lambda.amazonaws.com" } }] };
    const role = translate(record("aws:iam/role:Role", { assumeRolePolicy: doc }));
    expect(role.errors).toEqual([]);
    expect(JSON.parse(role.resource!.body.assume_role_policy as string)).toEqual(doc);
    // QueueArgs.policy is a plain string in @pulumi/aws: an object there is an error, not JSON.
    const queue = translate(record("aws:sqs/queue:Queue", { policy: doc }));
    expect(queue.errors).toEqual([expect.stringContaining("policy: takes a string, got an object")]);
  });

  test("`${` and `%{` are escaped (Terraform JSON strings are templates), keys too", () => {
    expect(escapeTemplate("${aws:username} %{if} $x")).toBe("$${aws:username} %%{if} $x");
    const { resource } = translate(record("aws:sqs/queue:Queue", { tags: { "${k}": "${v}" } }));
    expect(resource!.body.tags).toEqual({ "$${k}": "$${v}" });
  });

  test("object-typed attributes get every attribute, unset ones null", () => {
    const { resource, errors } = translate(record("aws:ec2/securityGroup:SecurityGroup", { ingress: [{ fromPort: 443, toPort: 443, protocol: "tcp" }] }));
    expect(errors).toEqual([]);
    expect(resource!.body.ingress).toEqual([{ from_port: 443, to_port: 443, protocol: "tcp", cidr_blocks: null }]);
  });

  test.each([
    [{ messageRetentionSecs: 60 }, 'messageRetentionSecs: no argument or block of the provider schema is named "messageRetentionSecs"'],
    [{ arn: "arn:aws-cn:sqs:cn-north-1:123456789012:q" }, "arn: is computed by the provider and cannot be set"],
    [{ messageRetentionSeconds: "two weeks" }, 'messageRetentionSeconds: takes a number, got string "two weeks"'],
    [{ tags: ["a"] }, "tags: takes a map, got a list"],
  ])("an input it cannot place fails: %j", (inputs, message) => {
    const { resource, errors } = translate(record("aws:sqs/queue:Queue", inputs));
    expect(resource).toBeUndefined();
    expect(errors).toEqual([`aws:sqs/queue:Queue "r" ${message}`]);
  });

  test("a nested input it cannot place fails with its path", () => {
    const { errors } = translate(
      record("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", { bucket: "b", rules: [{ id: "x", status: "Enabled", expiry: { days: 1 } }] }),
    );
    expect(errors).toEqual([expect.stringContaining('rules[0].expiry: no argument or block of the provider schema is named "expiry"')]);
  });

  test("a type token the provider has no resource for fails", () => {
    const { errors } = translate(record("aws:sqs/queueThing:QueueThing", {}));
    expect(errors).toEqual([expect.stringContaining("the provider has neither aws_sqs_queue_thing nor aws_queue_thing")]);
  });

  test("a `region` input (provider 6.x) puts the resource under that region's provider alias", () => {
    const { resource, errors } = translate(record("aws:sqs/queue:Queue", { region: "cn-northwest-1", messageRetentionSeconds: 60 }));
    expect(errors).toEqual([]);
    expect(resource!.region).toBe("cn-northwest-1");
    expect(resource!.body).toEqual({ message_retention_seconds: 60 });
    const { text } = configText(["sqs"], "cn-north-1", "http://127.0.0.1:1", [
      { tfType: resource!.tfType, tfName: "q", region: resource!.region, body: resource!.body },
    ]);
    const config = JSON.parse(text);
    expect(config.resource.aws_sqs_queue.q.provider).toBe("aws.cn_northwest_1");
    expect(config.provider.aws.map((p: any) => [p.alias, p.region])).toEqual([
      [undefined, "cn-north-1"],
      ["cn_northwest_1", "cn-northwest-1"],
    ]);
    expect(config.provider.aws[0]).toMatchObject({
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: true,
      endpoints: [{ sqs: "http://127.0.0.1:1" }],
    });
  });
});

describe("endpoint aliases", () => {
  test("the provider's complaint about aliases of one service keeps the first name", () => {
    const w =
      'Invalid Attribute Combination: Only one of the following attributes should be set: "endpoints[0].logs", "endpoints[0].cloudwatchlog", "endpoints[0].cloudwatchlogs"';
    expect(withoutAliases(["logs", "cloudwatchlog", "cloudwatchlogs", "sqs"], [w])).toEqual(["logs", "sqs"]);
  });
});

describe("zip", () => {
  test("entries come back byte for byte (local header, deflate, CRC)", () => {
    const data = Buffer.from("exports.handler = async () => 1;\n".repeat(50));
    const bytes = zip([{ name: "__index.js", data }]);
    expect(bytes.readUInt32LE(0)).toBe(0x04034b50);
    const nameLength = bytes.readUInt16LE(26);
    const packed = bytes.readUInt32LE(18);
    expect(bytes.subarray(30, 30 + nameLength).toString()).toBe("__index.js");
    const out = zlib.inflateRawSync(bytes.subarray(30 + nameLength, 30 + nameLength + packed));
    expect(out.equals(data)).toBe(true);
    expect(bytes.readUInt32LE(14)).toBe(zlib.crc32(data));
    expect(bytes.readUInt32LE(bytes.length - 22)).toBe(0x06054b50);
  });
});
