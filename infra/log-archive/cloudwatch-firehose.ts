/**
 * CloudWatch Logs -> Firehose -> `cloudwatch/` of the archive: the delivery stream (SSE with the
 * archive key, hourly Hive-style partitions, optional decompression), its role (./policies.ts
 * firehoseStatements), the role CloudWatch Logs puts records with, and the subscription filters of
 * the matching log groups: those LogArchive made (./agent-kit.ts) and those that exist at
 * deployment. The subscriber Lambda (./cloudwatch-subscriber.ts) keeps later ones covered.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument, serviceTrustPolicy } from "../iam";
import { arn, servicePrincipal } from "../partition";
import { compilePatterns, matchesPatterns } from "../../functions/log-archive/common";
import type { ArchiveLogGroup } from "./agent-kit";
import type { LogArchive } from "./archive";
import { firehoseStatements } from "./policies";
import { SUBSCRIPTION_FILTER_NAME, firehoseLogGroupName, slug } from "./log-groups";

export interface FirehoseArgs {
  readonly stack: string;
  /** The archived patterns, LogArchive's own exclusions included (./log-groups.ts archivedLogGroupPatterns). */
  readonly patterns: string[];
  readonly firehoseBufferSizeMb: number;
  readonly firehoseBufferIntervalSeconds: number;
  readonly firehoseDecompression: boolean;
  readonly logGroupRetentionDays: number;
  readonly logGroups: ArchiveLogGroup[];
  readonly tags?: Record<string, string>;
}

export interface FirehoseDelivery {
  readonly deliveryStream: aws.kinesis.FirehoseDeliveryStream;
  /** The role CloudWatch Logs puts subscribed events with. */
  readonly cloudWatchLogsRole: aws.iam.Role;
}

export function cloudWatchLogsViaFirehose(archive: LogArchive, args: FirehoseArgs): FirehoseDelivery {
  const name = archive.name;
  const parent = { parent: archive };
  const bucketArn = archive.bucketArn;
  const accountId = archive.accountId;
  const firehoseLogGroup = new aws.cloudwatch.LogGroup(
    `${name}-firehose-logs`,
    { name: firehoseLogGroupName(args.stack), retentionInDays: args.logGroupRetentionDays, kmsKeyId: archive.key.arn, tags: args.tags },
    parent,
  );
  const firehoseRole = new aws.iam.Role(
    `${name}-firehose-role`,
    {
      description: "cn-log-backup: Firehose writes CloudWatch Logs records into cloudwatch/ of the archive",
      // Firehose documents sts:ExternalId (the account id) as its confused-deputy guard.
      assumeRolePolicy: policyDocument([
        {
          Effect: "Allow",
          Principal: { Service: servicePrincipal("firehose", parent) },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "sts:ExternalId": accountId } },
        },
      ]),
      tags: args.tags,
    },
    parent,
  );
  const firehosePolicy = new aws.iam.RolePolicy(
    `${name}-firehose-policy`,
    {
      role: firehoseRole.id,
      policy: policyDocument(
        firehoseStatements({ bucketArn, keyArn: archive.key.arn, region: archive.region, logGroupArn: firehoseLogGroup.arn, parent: archive }),
      ),
    },
    parent,
  );
  const partition = "year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/";
  const decompress = args.firehoseDecompression;
  const deliveryStream = new aws.kinesis.FirehoseDeliveryStream(
    `${name}-cloudwatch`,
    {
      destination: "extended_s3",
      serverSideEncryption: { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: archive.key.arn },
      extendedS3Configuration: {
        bucketArn,
        roleArn: firehoseRole.arn,
        prefix: `cloudwatch/logs/${partition}`,
        errorOutputPrefix: `cloudwatch/errors/!{firehose:error-output-type}/${partition}`,
        bufferingSize: args.firehoseBufferSizeMb,
        bufferingInterval: args.firehoseBufferIntervalSeconds,
        // CloudWatch Logs sends gzip records; with decompression on, Firehose unpacks them and
        // compresses whole objects (GZIP); without it the records stay gzip (.gz objects).
        compressionFormat: decompress ? "GZIP" : "UNCOMPRESSED",
        fileExtension: decompress ? undefined : ".gz",
        processingConfiguration: decompress
          ? {
              enabled: true,
              processors: [
                { type: "Decompression", parameters: [{ parameterName: "CompressionFormat", parameterValue: "GZIP" }] },
                { type: "CloudWatchLogProcessing", parameters: [{ parameterName: "DataMessageExtraction", parameterValue: "true" }] },
              ],
            }
          : undefined,
        kmsKeyArn: archive.key.arn,
        cloudwatchLoggingOptions: { enabled: true, logGroupName: firehoseLogGroup.name, logStreamName: "S3Delivery" },
      },
      tags: args.tags,
    },
    { parent: archive, dependsOn: [firehosePolicy] },
  );
  new aws.cloudwatch.LogStream(`${name}-firehose-log-stream`, { name: "S3Delivery", logGroupName: firehoseLogGroup.name }, parent);

  const logsSourceArn = arn({ service: "logs", resource: "*" }, parent);
  const cloudWatchLogsRole = new aws.iam.Role(
    `${name}-cwl-role`,
    {
      description: "cn-log-backup: CloudWatch Logs puts subscribed log events into the archive's Firehose stream",
      assumeRolePolicy: serviceTrustPolicy({
        principal: servicePrincipal("logs", { parent: archive, region: archive.region }),
        sourceAccount: accountId,
        sourceArn: logsSourceArn,
      }),
      tags: args.tags,
    },
    parent,
  );
  const cwlRolePolicy = new aws.iam.RolePolicy(
    `${name}-cwl-policy`,
    {
      role: cloudWatchLogsRole.id,
      policy: policyDocument([
        { Sid: "PutIntoArchiveStream", Effect: "Allow", Action: ["firehose:PutRecord", "firehose:PutRecordBatch"], Resource: [deliveryStream.arn] },
      ]),
    },
    parent,
  );

  const subscriptionFilter = (resourceName: string, logGroupName: pulumi.Input<string>) =>
    new aws.cloudwatch.LogSubscriptionFilter(
      resourceName,
      { name: SUBSCRIPTION_FILTER_NAME, logGroup: logGroupName, filterPattern: "", destinationArn: deliveryStream.arn, roleArn: cloudWatchLogsRole.arn },
      { parent: archive, dependsOn: [cwlRolePolicy] },
    );
  const compiled = compilePatterns(args.patterns);
  for (const g of args.logGroups) {
    if (matchesPatterns(compiled, g.logGroupName)) subscriptionFilter(`${g.resourceName}-subscription`, g.group.name);
    else pulumi.log.warn(`LogArchive: log group ${g.logGroupName} does not match logArchive.logGroupPatterns; it is not archived`, archive);
  }

  // Existing log groups that match now (the subscriber keeps future ones covered), except LogArchive's own.
  const own = new Set(args.logGroups.map((g) => g.logGroupName));
  const prefixes = [...new Set(compiled.filter((p) => !p.exclude).map((p) => p.prefix ?? p.source.slice(0, p.source.indexOf("*"))))];
  const lookups = prefixes.map((prefix) => aws.cloudwatch.getLogGroupsOutput(prefix ? { logGroupNamePrefix: prefix } : {}, parent));
  pulumi.all(lookups.map((l) => l.logGroupNames)).apply((lists) => {
    const names = [...new Set(lists.flat())].filter((n) => matchesPatterns(compiled, n) && !own.has(n)).sort();
    for (const n of names) subscriptionFilter(`${name}-existing-${slug(n)}`, n);
    return names;
  });
  return { deliveryStream, cloudWatchLogsRole };
}
