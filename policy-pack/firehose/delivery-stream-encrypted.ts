/** Kinesis Data Firehose: delivery streams encrypt the data they buffer. */
import { describe, isSet, MANDATORY, T, validateTypes } from "../lib/kit";
import { PackResourcePolicy } from "../lib/meta";

export const firehoseEncrypted: PackResourcePolicy = {
  name: "firehose-delivery-stream-encrypted",
  description: "Firehose delivery streams have server-side encryption on (for Kinesis-stream sources, the source stream's encryption applies).",
  remediationSteps:
    'Set serverSideEncryption: { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: <aws.kms.Key>.arn } on the aws.kinesis.FirehoseDeliveryStream.',
  enforcementLevel: MANDATORY,
  severity: "medium",
  topics: ["encryption"],
  validateResource: validateTypes([T.firehose], (stream, args, report) => {
    if (isSet(() => stream.kinesisSourceConfiguration)) {
      args.notApplicable("the Kinesis source stream's encryption applies");
    }
    if (stream.serverSideEncryption?.enabled !== true) {
      report(`${describe(args)} does not encrypt buffered data: set serverSideEncryption: { enabled: true }.`);
    }
  }),
};

export const firehosePolicies = [firehoseEncrypted];
